package dev.kerb.djl

import dev.kerb.core.ApplyOptions
import dev.kerb.core.Axis
import dev.kerb.core.Constraint
import dev.kerb.core.DType
import dev.kerb.core.MaxNorm
import dev.kerb.core.MinMaxNorm
import dev.kerb.core.NonNeg
import dev.kerb.core.NormConstraint
import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.core.UnitNorm
import dev.kerb.core.thirdparty.Clip
import dev.kerb.core.thirdparty.WeightClip
import dev.kerb.registry.UnresolvedConstraint

/**
 * What runs on a DJL parameter after each update, in DJL's layout. Norm constraints have their Keras axes moved onto
 * DJL's and run in place; element-wise ones need no moving; anything else (a custom constraint, `RadialConstraint`)
 * runs on a copy in Keras' layout, written back.
 */
internal sealed interface Projection {
    /** The rank the parameter must have, or -1 for any. */
    val rank: Int

    fun apply(weights: Tensor, options: ApplyOptions)

    /** The constraint as it runs on DJL's axes, in place. */
    class InPlace(val constraint: Constraint, override val rank: Int) : Projection {
        override fun apply(weights: Tensor, options: ApplyOptions) = constraint.apply(weights, options)
        override fun toString(): String = constraint.toString()
    }

    /** The constraint on a transposed copy in Keras' layout. */
    class ThroughKerasLayout(val constraint: Constraint, val layout: KerasLayout) : Projection {
        override val rank: Int get() = layout.rank

        override fun apply(weights: Tensor, options: ApplyOptions) {
            val djlDims = weights.shape().dims()
            val kerasDims = IntArray(layout.rank) { djlDims[layout.djlAxisOf(it)] }
            val keras = if (weights.dtype() == DType.FLOAT64) Tensor.of(DoubleArray(weights.size()), Shape.of(*kerasDims))
                else Tensor.of(FloatArray(weights.size()), Shape.of(*kerasDims))
            val offsets = djlOffsets(djlDims, kerasDims)
            for (i in offsets.indices) keras.set(i, weights.get(offsets[i]))
            constraint.apply(keras, options)
            for (i in offsets.indices) weights.set(offsets[i], keras.get(i))
        }

        /** Returns, for each element of the Keras-layout copy in row-major order, its flat index in DJL's layout. */
        private fun djlOffsets(djlDims: IntArray, kerasDims: IntArray): IntArray {
            val djlStrides = IntArray(djlDims.size)
            var stride = 1
            for (a in djlDims.indices.reversed()) {
                djlStrides[a] = stride
                stride *= djlDims[a]
            }
            val strides = IntArray(kerasDims.size) { djlStrides[layout.djlAxisOf(it)] }
            val coords = IntArray(kerasDims.size)
            var offset = 0
            return IntArray(stride) {
                val at = offset
                for (k in kerasDims.indices.reversed()) {
                    offset += strides[k]
                    if (++coords[k] < kerasDims[k]) break
                    offset -= strides[k] * coords[k]
                    coords[k] = 0
                }
                at
            }
        }

        override fun toString(): String = "$constraint on a Keras-layout copy"
    }

    companion object {
        /**
         * Returns how [constraint], written for a Keras weight of [layout] (null: written in DJL's own axes), runs on
         * the DJL parameter; [slices], when given, replaces a norm constraint's axes.
         *
         * @throws IllegalArgumentException if the constraint cannot run (not registered, a norm over axes the layout
         *   does not have, or slices for a constraint without axes)
         */
        fun of(constraint: Constraint, layout: KerasLayout?, slices: Slices?): Projection {
            require(constraint !is UnresolvedConstraint) {
                "$constraint is not a registered constraint, so it cannot run; register it first"
            }
            if (slices != null) {
                require(constraint is NormConstraint && layout != null) {
                    "slices $slices need a norm constraint (MaxNorm, MinMaxNorm, UnitNorm) on a Keras layout, not $constraint"
                }
                return InPlace(withAxis(constraint, axisOf(layout.djlAxes(slices.kerasAxes(layout)))), layout.rank)
            }
            if (layout == null) return InPlace(constraint, -1)
            return when (constraint) {
                is NormConstraint -> InPlace(withAxis(constraint, axisOf(layout.djlAxes(kerasAxes(constraint, layout)))),
                    layout.rank)
                is NonNeg, is Clip, is WeightClip -> InPlace(constraint, layout.rank)
                else -> ThroughKerasLayout(constraint, layout)
            }
        }

        private fun kerasAxes(c: NormConstraint, layout: KerasLayout): List<Int> {
            val axis = c.axis
            if (axis.isAll) return (0 until layout.rank).toList()
            val resolved = axis.values().map { layout.djlAxisOf(it); if (it < 0) it + layout.rank else it }
            require(resolved.toSet().size == resolved.size) { "$c names an axis twice" }
            return resolved
        }

        /** Returns the axis as Keras writes it: a number for one axis, a list for several. */
        private fun axisOf(axes: IntArray): Axis = if (axes.size == 1) Axis.of(axes[0]) else Axis.list(*axes)

        /** Returns [c] with its norm taken over [axis] instead. */
        fun withAxis(c: NormConstraint, axis: Axis): NormConstraint = when (c) {
            is MaxNorm -> MaxNorm(c.maxValue, axis)
            is MinMaxNorm -> MinMaxNorm(c.minValue, c.maxValue, c.rate, axis)
            is UnitNorm -> UnitNorm(axis)
        }
    }
}
