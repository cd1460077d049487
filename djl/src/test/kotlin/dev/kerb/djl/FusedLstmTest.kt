@file:OptIn(InternalKerbApi::class)

package dev.kerb.djl

import ai.djl.engine.Engine
import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDList
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import ai.djl.ndarray.types.Shape
import ai.djl.nn.Parameter
import ai.djl.training.ParameterStore
import dev.kerb.djl.graph.Forward
import dev.kerb.djl.graph.LayerContext
import dev.kerb.djl.graph.LayerOps
import dev.kerb.djl.graph.LstmCell
import dev.kerb.model.InternalKerbApi
import dev.kerb.model.catalog.LayerArgs
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.util.Random

/**
 * Float32 LSTMs on the CPU compute what PyTorch's float64 LSTM kernel (ATen's loop, checked against Keras by the
 * fixtures) computes, in inference and in training, both at hidden sizes libtorch 2.7.1's oneDNN kernel got wrong on
 * AVX-512 CPUs outside autograd (1-16, 48, 65) and at sizes it got right (32, 64); and Kerb takes the fused float32
 * kernel exactly where it computes right, so it loses no speed where it need not.
 */
class FusedLstmTest : FunSpec() {
    private val sizes = listOf(1, 8, 16, 32, 48, 64, 65)
    private val inputs = 5L

    init {
        for (units in sizes) for (training in listOf(false, true)) {
            val mode = if (training) "training" else "inference"
            test("float32 LSTM outputs equal the float64 kernel's: $units units, $mode") {
                NDManager.newBaseManager().use { manager ->
                    val single = Layer(manager, units, DataType.FLOAT32)
                    val double = Layer(manager, units, DataType.FLOAT64)
                    DjlTesting.assertClose(values(single.call(training)), values(double.call(training)), 1e-5,
                        "LSTM($units) float32")
                }
            }
        }
    }

    init {
        for (units in sizes) test("the fused float32 kernel is taken exactly where it computes right: $units units") {
            NDManager.newBaseManager().use { manager ->
                val layer = Layer(manager, units, DataType.FLOAT32)
                val expected = values(Layer(manager, units, DataType.FLOAT64).fusedKernel())
                val error = values(layer.fusedKernel()).zip(expected) { a, b -> kotlin.math.abs(a - b) }.max()
                LstmCell(layer.context).fusable(layer.x) shouldBe (error <= 1e-5)
            }
        }
    }

    /** An LSTM layer of [units] returning every step's output, with variables and an input drawn from fixed seeds. */
    private inner class Layer(private val manager: NDManager, units: Int, private val type: DataType) {
        private val random = Random(3)
        private fun draw(vararg shape: Long): NDArray = manager.create(
            DoubleArray(shape.fold(1L, Long::times).toInt()) { random.nextGaussian() * 0.5 }, Shape(*shape))
            .toType(type, false)

        private val gates = 4L * units
        val kernel = draw(inputs, gates)
        val recurrent = draw(units.toLong(), gates)
        val bias = draw(gates)
        val x = draw(4, 6, inputs)
        private val values = mapOf("lstm_cell/kernel" to kernel, "lstm_cell/recurrent_kernel" to recurrent,
            "lstm_cell/bias" to bias)
        private val parameters = values.mapValues { (path, _) ->
            Parameter.builder().setName(path).setType(Parameter.Type.WEIGHT).build()
        }
        val context = LayerContext(
            LayerArgs("LSTM", JsonObject(mapOf("units" to JsonPrimitive(units), "return_sequences" to JsonPrimitive(true)))),
            listOf(listOf(null, 6, inputs.toInt())), emptyList(), parameters)
        private val op = LayerOps.build(context)
        private val store = ParameterStore(manager, false)

        init {
            // The op keeps its kernels in PyTorch's layout, as KerasDjl.model loads them.
            for ((path, parameter) in parameters) {
                val keras = values.getValue(path)
                parameter.setArray((context.layouts[parameter]?.fromKeras(manager, keras) ?: keras)
                    .also { it.setRequiresGradient(true) })
            }
        }

        /** The layer's outputs, in a GradientCollector when [training], as a training step runs it. */
        fun call(training: Boolean): NDArray {
            val forward = Forward(store, x.device, training)
            if (!training) return op.call(forward, listOf(x)).single()
            return Engine.getInstance().newGradientCollector().use { op.call(forward, listOf(x)).single() }
        }

        /** PyTorch's fused LSTM on the same values, called directly outside autograd, as a prediction runs it. */
        fun fusedKernel(): NDArray {
            val zeros = manager.zeros(Shape(1, x.shape[0], recurrent.shape[0]), x.dataType)
            val params = NDList(kernel.transpose(), recurrent.transpose(), bias, bias.zerosLike())
            return x.getNDArrayInternal().lstm(x, NDList(zeros, zeros), params, true, 1, 0.0, false, false, true)[0]
        }
    }

    private fun values(array: NDArray): DoubleArray = array.toType(DataType.FLOAT64, false).toDoubleArray()
}
