package dev.kerb.djl

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.index.NDIndex
import ai.djl.ndarray.types.DataType
import dev.kerb.core.ApplyOptions
import dev.kerb.core.Constraint
import dev.kerb.core.MaxNorm
import dev.kerb.core.MinMaxNorm
import dev.kerb.core.NonNeg
import dev.kerb.core.NormConstraint
import dev.kerb.core.Shape
import dev.kerb.core.UnitNorm
import dev.kerb.core.thirdparty.Clip
import dev.kerb.core.thirdparty.WeightClip

/**
 * Which way [Attachment.apply] projects a parameter: [AUTO] chooses by device, type and layout; the tests force
 * [COPY] or [DEVICE] to hold one path against the others.
 */
internal enum class ProjectionPath {
    /** On the device for a GPU parameter, in place through a buffer for a contiguous CPU one, else on a copy. */
    AUTO,

    /** Always on a host copy, written back. */
    COPY,

    /** On the array's device with NDArray operations whenever the constraint can be written in them. */
    DEVICE,
}

/**
 * A constraint written in DJL's NDArray operations, run in place on the array's own device with no host copy:
 * Keras' formulas with Kerb's float32 rules (sums of squares and factors in float64, each factor rounded to float32
 * before it scales a float32 weight), so a result matches the core kernel's to the last bit or two. Other floating
 * types (float16) are projected on a float32 copy on the device and cast back, as the copy path does on the host.
 */
internal sealed class DeviceProjection {
    /** Projects [target], a float32 or float64 array whose intermediates land in [scope], in place. */
    protected abstract fun project(target: NDArray, shape: Shape, options: ApplyOptions, scope: Scope)

    /**
     * Returns whether [weight] can be projected here: the writes go through `stopGradient()`, which in PyTorch
     * (`detach`) shares the weight's storage, while another engine may hand back a copy and drop the update.
     */
    fun runs(weight: NDArray): Boolean = weight.manager.engine.engineName == PYTORCH

    /**
     * Projects [weight], of Kerb [shape], in place on its device; every intermediate is closed before this returns.
     *
     * @throws IllegalArgumentException if the constraint's axes do not fit the shape; [weight] is then unchanged
     */
    fun apply(weight: NDArray, shape: Shape, options: ApplyOptions) {
        weight.manager.newSubManager(weight.device).use { sub ->
            val scope = Scope(sub)
            // A detached alias of the weight's storage: PyTorch refuses in-place writes to a tensor that records
            // gradients while grad mode is on, PyTorch's default on any thread but the one that loaded the engine.
            val target = scope.hold(weight.stopGradient())
            when (weight.dataType) {
                DataType.FLOAT32, DataType.FLOAT64 -> project(target, shape, options, scope)
                else -> {
                    val wide = scope.hold(target.toType(DataType.FLOAT32, true))
                    project(wide, shape, options, scope)
                    target.set(ALL, scope.hold(wide.toType(weight.dataType, false)))
                }
            }
        }
    }

    /** Where intermediates go: results of operations on held arrays land in the same manager, closed at the end. */
    protected class Scope(private val manager: NDManager) {
        /** Moves [array], made by an operation on an array that is not held, into this scope. */
        fun hold(array: NDArray): NDArray {
            array.attach(manager)
            return array
        }
    }

    /** MaxNorm, MinMaxNorm and UnitNorm on their axes (DJL's layout), as `w * desired(norm) / (epsilon + norm)`. */
    private class Norm(private val constraint: NormConstraint) : DeviceProjection() {
        override fun project(target: NDArray, shape: Shape, options: ApplyOptions, scope: Scope) {
            constraint.check(shape) // the kernel's message for axes out of range or named twice, before any write
            val axes = axes(shape.rank())
            val wide = if (target.dataType == DataType.FLOAT64) target else scope.hold(target.toType(DataType.FLOAT64, true))
            val squares = wide.square()
            // An empty axis list reduces nothing (each element is its own slice), but PyTorch's sum over no dims
            // reduces everything, so the squares are taken as they are.
            val norms = (if (axes.isEmpty()) squares else squares.sum(axes, true)).sqrt()
            val factors = desired(norms).div(norms.add(options.epsilon()))
            target.muli(if (target.dataType == DataType.FLOAT64) factors else factors.toType(DataType.FLOAT32, false))
        }

        /** Returns the norm each slice should have, as NormConstraint computes it in double. */
        private fun desired(norms: NDArray): NDArray = when (constraint) {
            is MaxNorm -> clip(norms, 0.0, constraint.maxValue.toDouble())
            is MinMaxNorm -> {
                val rate = constraint.rate.toDouble()
                clip(norms, constraint.minValue.toDouble(), constraint.maxValue.toDouble()).mul(rate)
                    .add(norms.mul(1 - rate))
            }
            is UnitNorm -> norms.onesLike()
        }

        /** Returns max(min(norms, high), low), the kernel's order: the lower bound wins when low > high. */
        private fun clip(norms: NDArray, low: Double, high: Double): NDArray = norms.minimum(high).maximum(low)

        private fun axes(rank: Int): IntArray {
            val axis = constraint.axis
            if (axis.isAll) return IntArray(rank) { it }
            return axis.values().map { if (it < 0) it + rank else it }.sorted().toIntArray()
        }
    }

    /** NonNeg, Clip and WeightClip: every element clamped to [lower, upper] as `max(min(w, upper), lower)`. */
    private class Clamp(private val lower: Double, private val upper: Double) : DeviceProjection() {
        override fun project(target: NDArray, shape: Shape, options: ApplyOptions, scope: Scope) {
            // The bounds are rounded to the weight's type first, as the kernel's float32 loop rounds them.
            val float = target.dataType == DataType.FLOAT32
            val capped = if (upper == Double.POSITIVE_INFINITY) target
                else target.minimum(if (float) upper.toFloat() else upper)
            var clamped = capped.maximum(if (float) lower.toFloat() else lower)
            // Java's max(-0.0, 0.0) is +0.0 (Keras 3.15's maximum(w, 0) gives +0.0 too); PyTorch may keep -0.0, and
            // adding +0.0 turns only -0.0 into +0.0.
            if (lower.toRawBits() == 0L) clamped = clamped.addi(0.0)
            target.set(ALL, clamped)
        }
    }

    /** The identity: nothing to write. */
    private object Unchanged : DeviceProjection() {
        override fun project(target: NDArray, shape: Shape, options: ApplyOptions, scope: Scope) = Unit
    }

    companion object {
        private const val PYTORCH = "PyTorch"

        /** Every element: a full slice, so set() copies on the device. */
        private val ALL get() = NDIndex("...")

        /** Returns [projection] written in NDArray operations, or null where it can only run on a copy. */
        fun of(projection: Projection): DeviceProjection? {
            if (projection !is Projection.InPlace) return null
            return of(projection.constraint)
        }

        private fun of(constraint: Constraint): DeviceProjection? = when (constraint) {
            is NormConstraint -> Norm(constraint)
            is NonNeg -> Clamp(0.0, Double.POSITIVE_INFINITY)
            is Clip -> Clamp(constraint.minValue.toDouble(), constraint.maxValue.toDouble())
            is WeightClip -> constraint.clipValue.toDouble().let { Clamp(-it, it) }
            else -> if (constraint == Constraint.identity()) Unchanged else null
        }
    }
}
