package dev.kerb.djl

import ai.djl.Device
import ai.djl.engine.Engine
import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import ai.djl.ndarray.types.Shape
import ai.djl.nn.Parameter
import dev.kerb.core.ApplyOptions
import dev.kerb.core.Axis
import dev.kerb.core.Constraint
import dev.kerb.core.MaxNorm
import dev.kerb.core.MinMaxNorm
import dev.kerb.core.NonNeg
import dev.kerb.core.RadialConstraint
import dev.kerb.core.Shape as KerbShape
import dev.kerb.core.UnitNorm
import dev.kerb.core.thirdparty.Clip
import dev.kerb.core.thirdparty.WeightClip
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlin.math.abs

/**
 * The device path (NDArray operations on the array's own device) forced on CPU arrays, against Kerb's core kernels
 * on the same values: every axis set of ranks 1-4, bounds that bind and bounds that do not, zero slices. Float32
 * must agree within 1e-6 of the largest magnitude and float64 within 1e-13, which an epsilon dropped or a factor
 * computed in float32 exceeds. On a machine with a GPU, the same check runs on a GPU array with no host copy.
 */
class DeviceProjectionTest : FunSpec() {
    /** One constraint on one type, for every axis set its kind takes. */
    class Case(val name: String, val type: DataType, val make: (Axis) -> Constraint) {
        override fun toString() = "$name, $type"
    }

    init {
        for (case in normCases()) {
            test("the device path is the kernel on every axis set of ranks 1 to 4: $case") {
                val random = java.util.Random(case.name.hashCode().toLong())
                var checked = 0
                for (rank in 1..4) {
                    for (mask in 0 until (1 shl rank)) {
                        val picked = (0 until rank).filter { mask and (1 shl it) != 0 }
                        val dims = IntArray(rank) { 1 + random.nextInt(4) }
                        // Every other set is written with negative axes; the empty mask is both axis=None (one norm over
                        // everything) and an empty list (each element its own slice).
                        val axes = when {
                            picked.isEmpty() -> listOf(Axis.all(), Axis.list())
                            mask % 2 == 1 -> listOf(Axis.list(*picked.map { it - rank }.toIntArray()))
                            picked.size == 1 -> listOf(Axis.of(picked[0]))
                            else -> listOf(Axis.list(*picked.toIntArray()))
                        }
                        for (axis in axes) {
                            val reduced = if (axis.isAll) (0 until rank).toList() else picked
                            val values = values(dims, reduced, random)
                            check(case.make(axis), dims, values, case.type, "$case, shape ${dims.toList()}, axis $axis")
                            checked++
                        }
                    }
                }
                checked shouldBe (1..4).sumOf { (1 shl it) + 1 }
            }
        }
    }

    init {
        for (case in clampCases()) {
            test("element-wise constraints give the kernel's bits, NaN and signed zeros included: $case") {
                val dims = intArrayOf(3, 4)
                val values = doubleArrayOf(-2.0, -0.5, -0.0, 0.0, 0.25, 0.5, 0.75, 2.0, Double.NaN, -1e-30, 1e-30, 1.0)
                val type = case.type
                val constraint = case.make(Axis.of(0))
                val (actual, attachment) = onDevice(constraint, dims, values, type)
                attachment.deviceUpdates shouldBe 1L
                val expected = kernel(constraint, dims, values, type)
                actual.map { it.toBits() } shouldBe expected.map { it.toBits() }
            }
        }

        test("float16 is projected in float32 as on the copy path") {
            // Not bfloat16: DJL 0.35.1's PyTorch JNI aborts the JVM when it creates a bfloat16 array on the CPU.
            val random = java.util.Random(5)
            val type = DataType.FLOAT16
            for (constraint in listOf(MaxNorm(1.0, 1), UnitNorm(Axis.list(0, 1)), NonNeg.INSTANCE, Clip(-0.3, 0.4))) {
                val values = DoubleArray(24) { random.nextGaussian() }
                val (device, attachment) = onDevice(constraint, intArrayOf(4, 6), values, type)
                attachment.deviceUpdates shouldBe 1L
                val copy = manager.create(values, Shape(4, 6)).toType(type, false)
                attachment(constraint).apply(copy, ApplyOptions.DEFAULT, ProjectionPath.COPY)
                val expected = copy.toType(DataType.FLOAT64, false).toDoubleArray()
                // Both round the same float32 result to float16, so they agree to the bit.
                device.map { it.toBits() } shouldBe expected.map { it.toBits() }
            }
        }

        test("Keras-layout constraints are moved onto DJL axes on the device too") {
            // Keras' MaxNorm(axis=0) on a Dense kernel (in, out) is a norm over DJL axis 1 of the Linear weight (out, in).
            val weight = manager.randomNormal(0f, 2f, Shape(5, 7), DataType.FLOAT32)
            val expected = DjlTesting.kerasOracle(weight, KerasLayout.DENSE_KERNEL, MaxNorm(1.5))
            val attachment = Attachment("w", MaxNorm(1.5), KerasLayout.DENSE_KERNEL, null, "test", parameter())
            attachment.apply(weight, ApplyOptions.DEFAULT, ProjectionPath.DEVICE)
            attachment.deviceUpdates shouldBe 1L
            val actual = DjlTesting.toKerasLayout(weight, KerasLayout.DENSE_KERNEL).toType(DataType.FLOAT64, false).toDoubleArray()
            DjlTesting.assertClose(actual, expected, 1e-6, "Dense MaxNorm on the device")
        }

        test("constraints not written in NDArray operations keep the host paths") {
            // RadialConstraint runs on a Keras-layout copy; forced to the device, it takes the path it would take anyway.
            val weight = manager.randomNormal(0f, 2f, Shape(4, 3, 3, 3), DataType.FLOAT32)
            val expected = DjlTesting.kerasOracle(weight, KerasLayout.CONV2D_KERNEL, RadialConstraint.INSTANCE)
            val radial = Attachment("w", RadialConstraint.INSTANCE, KerasLayout.CONV2D_KERNEL, null, "test", parameter())
            radial.apply(weight, ApplyOptions.DEFAULT, ProjectionPath.DEVICE)
            radial.deviceUpdates shouldBe 0L
            radial.inPlaceUpdates + radial.copiedUpdates shouldBe 1L
            val actual = DjlTesting.toKerasLayout(weight, KerasLayout.CONV2D_KERNEL).toType(DataType.FLOAT64, false).toDoubleArray()
            DjlTesting.assertClose(actual, expected, 1e-6, "RadialConstraint")
        }

        test("a weight that records gradients is written through a detached alias") {
            // Inside a gradient collector PyTorch's grad mode is on, where an in-place write to such a tensor throws.
            val weight = manager.randomNormal(0f, 3f, Shape(6, 5), DataType.FLOAT32)
            weight.setRequiresGradient(true)
            val values = weight.toType(DataType.FLOAT64, false).toDoubleArray()
            val attachment = attachment(MaxNorm(1.0, 1))
            Engine.getInstance().newGradientCollector().use {
                attachment.apply(weight, ApplyOptions.DEFAULT, ProjectionPath.DEVICE)
            }
            val actual = weight.toType(DataType.FLOAT64, false).toDoubleArray()
            DjlTesting.assertClose(actual, kernel(MaxNorm(1.0, 1), intArrayOf(6, 5), values, DataType.FLOAT32), 1e-6, "MaxNorm")
            weight.hasGradient() shouldBe true
        }

        test("every intermediate is closed so nothing piles up per step") {
            NDManager.newBaseManager().use { own ->
                val weight = own.randomNormal(0f, 1f, Shape(8, 4, 3), DataType.FLOAT32)
                val attachments = listOf(MinMaxNorm(0.5, 1.0, 0.7, Axis.list(1, 2)), UnitNorm(Axis.all()), NonNeg.INSTANCE,
                    Clip(-0.2, 0.2)).map(::attachment)
                val before = own.managedArrays.size
                repeat(50) { attachments.forEach { it.apply(weight, ApplyOptions.DEFAULT, ProjectionPath.DEVICE) } }
                own.managedArrays.size shouldBe before
                attachments.forEach { it.deviceUpdates shouldBe 50L }
            }
        }

        test("on a GPU the parameter is projected there with no host copy") {
            if (Engine.getInstance().gpuCount == 0) {
                println("DeviceProjectionTest: no GPU, device path checked on CPU arrays only")
                return@test
            }
            NDManager.newBaseManager(Device.gpu()).use { gpu ->
                val random = java.util.Random(21)
                val values = DoubleArray(6 * 5 * 3) { random.nextGaussian() * 2 }
                for (constraint in listOf(MaxNorm(1.0, Axis.list(1, 2)), MinMaxNorm(0.5, 1.0, 0.7, 0), NonNeg.INSTANCE)) {
                    val weight = gpu.create(values, Shape(6, 5, 3)).toType(DataType.FLOAT32, false)
                    weight.device.isGpu shouldBe true
                    val attachment = attachment(constraint)
                    attachment.apply(weight, ApplyOptions.DEFAULT) // the default path: a GPU array goes to the device path
                    attachment.deviceUpdates shouldBe 1L
                    attachment.copiedUpdates shouldBe 0L
                    attachment.inPlaceUpdates shouldBe 0L
                    weight.device.isGpu shouldBe true
                    val actual = weight.toType(DataType.FLOAT64, false).toDoubleArray()
                    DjlTesting.assertClose(actual, kernel(constraint, intArrayOf(6, 5, 3), values, DataType.FLOAT32), 1e-6,
                        "$constraint on ${weight.device}")
                }
            }
        }
    }

    /** Asserts the device path on a CPU array of [type] gives the kernel's result on the same values. */
    private fun check(constraint: Constraint, dims: IntArray, values: DoubleArray, type: DataType, what: String) {
        val (actual, attachment) = onDevice(constraint, dims, values, type)
        attachment.deviceUpdates shouldBe 1L
        attachment.copiedUpdates + attachment.inPlaceUpdates shouldBe 0L
        val expected = kernel(constraint, dims, values, type)
        DjlTesting.assertClose(actual, expected, if (type == DataType.FLOAT64) 1e-13 else 1e-6, what)
        if (type == DataType.FLOAT32) {
            // Factors from float64 sums, rounded to float32, as the kernel's: an element is off by an ulp only when
            // the two sums' last bits straddle a rounding boundary; float32 sums miss by several ulps.
            for (i in actual.indices) {
                withClue("$what, element $i") { abs(actual[i] - expected[i]) shouldBeLessThanOrEqual Math.ulp(expected[i].toFloat()).toDouble() }
            }
        }
    }

    /** Returns [values] projected by the forced device path as an array of [type], and the attachment that ran it. */
    private fun onDevice(constraint: Constraint, dims: IntArray, values: DoubleArray, type: DataType): Pair<DoubleArray, Attachment> {
        val weight = manager.create(values, Shape(*dims.map { it.toLong() }.toLongArray())).toType(type, false)
        val attachment = attachment(constraint)
        attachment.apply(weight, ApplyOptions.DEFAULT, ProjectionPath.DEVICE)
        return weight.toType(DataType.FLOAT64, false).toDoubleArray() to attachment
    }

    /** Returns [values], rounded to [type] (float32 or float64), projected by the core kernel. */
    private fun kernel(constraint: Constraint, dims: IntArray, values: DoubleArray, type: DataType): DoubleArray {
        val shape = KerbShape.of(*dims)
        if (type == DataType.FLOAT64) return constraint.applied(values, shape)
        val floats = FloatArray(values.size) { values[it].toFloat() }
        return constraint.applied(floats, shape).map { it.toDouble() }.toDoubleArray()
    }

    /** Returns N(0, s) values, s drawn per tensor so bounds both bind and not, with the slice of element 0 zeroed. */
    private fun values(dims: IntArray, reduced: List<Int>, random: java.util.Random): DoubleArray {
        val scale = listOf(0.05, 0.5, 3.0)[random.nextInt(3)]
        val values = DoubleArray(dims.fold(1) { a, b -> a * b }) { random.nextGaussian() * scale }
        if (reduced.size == dims.size) return values // one slice only: zeroing it would leave nothing to check
        for (i in values.indices) {
            var rest = i
            var inFirstSlice = true
            for (a in dims.indices.reversed()) {
                if (a !in reduced && rest % dims[a] != 0) inFirstSlice = false
                rest /= dims[a]
            }
            if (inFirstSlice) values[i] = 0.0
        }
        return values
    }

    init {
        afterSpec { manager.close() }
    }

    companion object {
        private val manager: NDManager = NDManager.newBaseManager()


        private fun parameter(): Parameter = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build()

        /** Returns [constraint] attached in DJL's own axes, as attachNative attaches it. */
        private fun attachment(constraint: Constraint) = Attachment("w", constraint, null, null, "test", parameter())

        private val TYPES = listOf(DataType.FLOAT32, DataType.FLOAT64)

        @JvmStatic
        fun normCases(): List<Case> = TYPES.flatMap { type ->
            listOf(
                Case("MaxNorm(0.5)", type) { MaxNorm(0.5, it) },
                Case("MaxNorm(1.5)", type) { MaxNorm(1.5, it) },
                Case("MaxNorm(1000), never binding", type) { MaxNorm(1000, it) },
                Case("MinMaxNorm(0.5, 1.5, rate 0.7)", type) { MinMaxNorm(0.5, 1.5, 0.7, it) },
                Case("MinMaxNorm(1, 2, rate 1)", type) { MinMaxNorm(1.0, 2.0, 1.0, it) },
                Case("MinMaxNorm(2, 1), the lower bound wins", type) { MinMaxNorm(2.0, 1.0, 0.5, it) },
                Case("UnitNorm", type) { UnitNorm(it) },
            )
        }

        @JvmStatic
        fun clampCases(): List<Case> = TYPES.flatMap { type ->
            listOf(
                Case("NonNeg", type) { NonNeg.INSTANCE },
                Case("Clip(-0.5, 0.5)", type) { Clip(-0.5, 0.5) },
                Case("Clip(0, 0.75)", type) { Clip(0, 0.75) },
                Case("Clip(1, -1), the lower bound wins", type) { Clip(1, -1) },
                Case("WeightClip(0.3)", type) { WeightClip(0.3) },
                Case("the identity", type) { Constraint.identity() },
            )
        }
    }
}
