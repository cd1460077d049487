package dev.kerb.model.weights

import dev.kerb.core.MaxNorm
import dev.kerb.core.MinMaxNorm
import dev.kerb.core.NonNeg
import dev.kerb.core.NormConstraint
import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.core.UnitNorm
import dev.kerb.model.ModelConstraint
import kotlin.math.sqrt

/**
 * How far one stored weight is from satisfying its constraint.
 *
 * @property constraint the constraint and where the model declares it
 * @property weight the weight's Keras variable path
 * @property shape the weight's shape
 * @property distance `||w - c(w)|| / ||w||`: how much projecting would change the weight (`||c(w)||` for a zero weight)
 * @property measures what the constraint bounds: for a norm constraint `largest_norm`, `smallest_norm` and
 *   `slices_outside` (slices whose norm is outside the bounds by more than the tolerance, relatively); for `NonNeg`
 *   `most_negative` and `negatives`; empty for other constraints
 * @property holds whether the weight is in the constraint's set, within the tolerance: no slice outside the norm
 *   bounds (note that `MinMaxNorm` with `rate` below 1 moves norms only part of the way, as in Keras), no negative
 *   value for `NonNeg`, and [distance] within the tolerance for other constraints
 */
public data class ConstraintCheck(
    val constraint: ModelConstraint,
    val weight: String,
    val shape: Shape,
    val distance: Double,
    val measures: Map<String, Double>,
    val holds: Boolean,
) {
    /** What the constraints bound, computed from a weight's values. */
    public companion object {
        /**
         * Returns what [constraint] bounds in [values]: the L2 norm of every slice over its axes for a norm
         * constraint (one per index of the other dimensions), every value otherwise.
         */
        @JvmStatic
        public fun boundedQuantities(values: Tensor, constraint: dev.kerb.core.Constraint): DoubleArray =
            if (constraint is NormConstraint) sliceNorms(values, constraint) else DoubleArray(values.size()) { values.get(it) }

        /** Measures [values] (not modified) against [found]'s constraint. */
        internal fun of(found: ModelConstraint, weight: String, values: Tensor, tolerance: Double): ConstraintCheck {
            val projected = copy(values)
            found.constraint.apply(projected)
            var diff = 0.0
            var norm = 0.0
            var projectedNorm = 0.0
            for (i in 0 until values.size()) {
                val w = values.get(i)
                val p = projected.get(i)
                diff += (w - p) * (w - p)
                norm += w * w
                projectedNorm += p * p
            }
            val distance = if (norm > 0) sqrt(diff / norm) else sqrt(projectedNorm)
            val measures = measures(found, values, tolerance)
            val outside = measures["slices_outside"] ?: measures["negatives"]
            return ConstraintCheck(found, weight, values.shape(), distance, measures,
                if (outside != null) outside == 0.0 else distance <= tolerance)
        }

        private fun measures(found: ModelConstraint, values: Tensor, tolerance: Double): Map<String, Double> =
            when (val c = found.constraint) {
                is NonNeg -> {
                    var mostNegative = 0.0
                    var negatives = 0
                    for (i in 0 until values.size()) {
                        val w = values.get(i)
                        if (w < 0) {
                            negatives++
                            mostNegative = minOf(mostNegative, w)
                        }
                    }
                    mapOf("most_negative" to mostNegative, "negatives" to negatives.toDouble())
                }
                is NormConstraint -> {
                    val norms = sliceNorms(values, c)
                    val (low, high) = when (c) {
                        is MaxNorm -> 0.0 to c.maxValue.toDouble()
                        is UnitNorm -> 1.0 to 1.0
                        is MinMaxNorm -> c.minValue.toDouble() to c.maxValue.toDouble()
                    }
                    mapOf("largest_norm" to (norms.maxOrNull() ?: 0.0), "smallest_norm" to (norms.minOrNull() ?: 0.0),
                        "slices_outside" to norms.count { n ->
                            n > high + tolerance * maxOf(high, 1.0) || n < low - tolerance * maxOf(low, 1.0)
                        }.toDouble())
                }
                else -> emptyMap()
            }

        /** The L2 norm of every slice over the constraint's axes: one per index of the other dimensions. */
        private fun sliceNorms(values: Tensor, constraint: NormConstraint): DoubleArray {
            val dims = values.shape().dims()
            val rank = dims.size
            val reduced = BooleanArray(rank) { constraint.axis.isAll }
            if (!constraint.axis.isAll) for (a in constraint.axis.values()) reduced[if (a < 0) a + rank else a] = true
            val keptStride = IntArray(rank)
            var slices = 1
            for (d in rank - 1 downTo 0) if (!reduced[d]) { keptStride[d] = slices; slices *= dims[d] }
            val sums = DoubleArray(if (values.size() == 0) 0 else slices)
            val coordinate = IntArray(rank)
            var slice = 0
            for (i in 0 until values.size()) {
                val w = values.get(i)
                sums[slice] += w * w
                for (d in rank - 1 downTo 0) { // advance the row-major coordinate, keeping the slice index in step
                    coordinate[d]++
                    slice += keptStride[d]
                    if (coordinate[d] < dims[d]) break
                    slice -= keptStride[d] * dims[d]
                    coordinate[d] = 0
                }
            }
            return DoubleArray(sums.size) { sqrt(sums[it]) }
        }

        private fun copy(values: Tensor): Tensor = when (values.dtype()) {
            dev.kerb.core.DType.FLOAT32 -> Tensor.of(FloatArray(values.size()) { values.get(it).toFloat() }, values.shape())
            else -> Tensor.of(DoubleArray(values.size()) { values.get(it) }, values.shape())
        }
    }
}
