package dev.kerb.djl

import ai.djl.Device
import ai.djl.ndarray.NDArray
import ai.djl.ndarray.types.DataType
import ai.djl.nn.Parameter
import dev.kerb.core.ApplyOptions
import dev.kerb.core.Constraint
import dev.kerb.core.DType
import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import java.nio.ByteBuffer
import java.nio.ByteOrder

/**
 * One constraint on one DJL parameter, as attached.
 *
 * @property parameterPath the parameter's name in the trained block's `getParameters()`, e.g. `01Linear_weight`
 * @property constraint the constraint as given: in Keras' axes when [layout] is set, in DJL's own axes otherwise
 * @property layout the Keras layout the constraint's axes refer to, or null for DJL's own axes
 * @property slices the role-named slices that replace a norm constraint's axes, or null
 * @property source where the attachment came from: the builder call, or the Keras layer and config key
 */
public class Attachment internal constructor(
    public val parameterPath: String,
    public val constraint: Constraint,
    public val layout: KerasLayout?,
    public val slices: Slices?,
    public val source: String,
    internal val parameter: Parameter,
) {
    internal val projection: Projection = try {
        Projection.of(constraint, layout, slices)
    } catch (e: IllegalArgumentException) {
        throw IllegalArgumentException("$source: ${e.message}", e)
    }

    /** Returns the constraint as it runs on DJL's layout, e.g. `MaxNorm(max_value=2, axis=1)`. */
    public val djlConstraint: String get() = projection.toString()

    /** Updates projected in place through a direct buffer over the parameter's own memory. */
    @Volatile internal var inPlaceUpdates: Long = 0

    /** Updates projected on a host copy that was written back (non-contiguous, not float32/64, or not on a GPU). */
    @Volatile internal var copiedUpdates: Long = 0

    /** Updates projected on the array's own device with NDArray operations, with no host copy. */
    @Volatile internal var deviceUpdates: Long = 0

    /** The constraint in NDArray operations, or null where it runs only on the host (a Keras-layout copy, custom). */
    private val onDevice: DeviceProjection? = DeviceProjection.of(projection)

    /**
     * Projects [weight], one device copy of the parameter, in place, the way [path] says.
     *
     * @throws IllegalArgumentException if the parameter's rank does not fit the layout or its type is not floating point
     */
    internal fun apply(weight: NDArray, options: ApplyOptions, path: ProjectionPath = ProjectionPath.AUTO) {
        val dims = weight.shape.shape.map { Math.toIntExact(it) }.toIntArray()
        require(projection.rank < 0 || dims.size == projection.rank) {
            "$source: parameter '$parameterPath' has shape ${weight.shape}, rank ${dims.size}; a Keras " +
                "${layout?.description} has rank ${projection.rank}"
        }
        val type = weight.dataType
        require(type.isFloating) { "$source: parameter '$parameterPath' is $type; constraints apply to floating-point weights" }
        val shape = Shape.of(*dims)
        if (weight.size() == 0L) return
        // Only CUDA parameters go to the device on their own: the float32 rules sum in float64, which MPS lacks.
        val device = onDevice?.takeIf {
            (path == ProjectionPath.DEVICE || path == ProjectionPath.AUTO && weight.device.isGpu) && it.runs(weight)
        }
        if (device != null) {
            device.apply(weight, shape, options)
            deviceUpdates++
            return
        }
        if (path != ProjectionPath.COPY && weight.device == Device.cpu() && (type == DataType.FLOAT32 || type == DataType.FLOAT64)) {
            val bytes = weight.toByteBuffer(true)
            if (bytes.isDirect && aliasesWeight(weight, bytes)) {
                val dtype = if (type == DataType.FLOAT64) DType.FLOAT64 else DType.FLOAT32
                projection.apply(Tensor.of(bytes.order(ByteOrder.nativeOrder()), dtype, shape), options)
                inPlaceUpdates++
                return
            }
        }
        applyToCopy(weight, shape, options)
        copiedUpdates++
    }

    private fun applyToCopy(weight: NDArray, shape: Shape, options: ApplyOptions) {
        val type = weight.dataType
        if (type == DataType.FLOAT64) {
            val values = weight.toDoubleArray()
            projection.apply(Tensor.of(values, shape), options)
            weight.set(values)
            return
        }
        val values = if (type == DataType.FLOAT32) weight.toFloatArray() else weight.toType(DataType.FLOAT32, true).use { it.toFloatArray() }
        projection.apply(Tensor.of(values, shape), options)
        if (type == DataType.FLOAT32) {
            weight.set(values)
        } else {
            weight.manager.create(values, weight.shape).use { f32 -> f32.toType(type, false).use { weight.set(it.toByteBuffer()) } }
        }
    }

    override fun toString(): String = "$parameterPath: $djlConstraint ($source)"

    private companion object {
        /**
         * Returns whether [bytes] is the weight's own memory rather than a copy: DJL gives a contiguous copy, silently,
         * for a tensor that is not contiguous. A second view sees a byte flipped through the first only if both are
         * the tensor's memory; the byte is restored either way.
         */
        fun aliasesWeight(weight: NDArray, bytes: ByteBuffer): Boolean {
            val other = weight.toByteBuffer(true)
            if (!other.isDirect) return false
            val original = bytes.get(0)
            bytes.put(0, (original.toInt() xor 1).toByte())
            val seen = other.get(0) != original
            bytes.put(0, original)
            return seen
        }
    }
}
