package dev.kerb.djl.graph

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.types.Shape
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.float
import kotlinx.serialization.json.jsonPrimitive

/**
 * BatchNormalization, LayerNormalization, GroupNormalization and RMSNormalization as Keras 3.15.1 computes them: biased batch variance,
 * `moving = moving * momentum + batch * (1 - momentum)` while training, and `epsilon` inside the square root; also
 * UnitNormalization and the preprocessing layer Normalization.
 */
internal object NormalizationLayers {
    val BUILDERS: Map<String, OpBuilder> = mapOf(
        "BatchNormalization" to ::batchNormalization,
        "LayerNormalization" to ::layerNormalization,
        "GroupNormalization" to ::groupNormalization,
        "RMSNormalization" to ::rmsNormalization,
        "UnitNormalization" to ::unitNormalization,
        "Normalization" to ::normalization,
    )

    /** Keras' `backend.epsilon()`, Normalization's floor of the standard deviation: a setting no model file holds. */
    private const val KERAS_EPSILON = 1e-7

    /** The mean over [axes], kept as size-1 axes: PyTorch's engine in DJL takes one axis per `mean`. */
    fun meanOver(x: NDArray, axes: IntArray): NDArray =
        x.sum(axes, true).div(axes.fold(1L) { n, a -> n * x.shape[a] }.toFloat())

    /** The layer's `axis` as non-negative axes of an input of [rank]. */
    private fun axes(c: LayerContext, rank: Int, default: Int): IntArray =
        (c.args.intList("axis") ?: listOf(default)).map { if (it < 0) it + rank else it }.sorted().toIntArray()

    /** The shape a variable over [axes] broadcasts with against an input of [dims]. */
    private fun broadcastShape(dims: List<Int?>, axes: IntArray): Shape =
        Shape(*LongArray(dims.size) { if (it in axes) dims[it]!!.toLong() else 1L })

    private fun batchNormalization(c: LayerContext): LayerOp {
        val rank = c.inputShape.size
        val axes = axes(c, rank, -1)
        val reduce = (0 until rank).filter { it !in axes }.toIntArray()
        val shape = broadcastShape(c.inputShape, axes)
        val momentum = c.args.double("momentum", 0.99)
        val epsilon = c.args.double("epsilon", 1e-3)
        val gamma = if (c.args.bool("scale", true)) c.parameter("gamma") else null
        val beta = if (c.args.bool("center", true)) c.parameter("beta") else null
        val movingMean = c.parameter("moving_mean")
        val movingVariance = c.parameter("moving_variance")
        return with(c) {
            single { f, x ->
                val (mean, variance) = if (f.training) {
                    val mean = meanOver(x, reduce)
                    val variance = meanOver(x.sub(mean).square(), reduce)
                    for ((moving, batch) in listOf(movingMean to mean, movingVariance to variance)) {
                        val stored = f.value(moving)
                        stored.muli(momentum).addi(batch.stopGradient().reshape(stored.shape).mul(1 - momentum))
                    }
                    mean to variance
                } else {
                    f.value(movingMean).reshape(shape) to f.value(movingVariance).reshape(shape)
                }
                var y = x.sub(mean).div(variance.add(epsilon).sqrt())
                if (gamma != null) y = y.mul(f.value(gamma).reshape(shape))
                if (beta != null) y = y.add(f.value(beta).reshape(shape))
                y
            }
        }
    }

    private fun layerNormalization(c: LayerContext): LayerOp {
        val rank = c.inputShape.size
        val axes = axes(c, rank, -1)
        val shape = broadcastShape(c.inputShape, axes)
        val epsilon = c.args.double("epsilon", 1e-3)
        val rms = c.args.bool("rms_scaling", false)
        val gamma = if (c.args.bool("scale", true) || rms) c.parameter("gamma") else null
        val beta = if (c.args.bool("center", true) && !rms) c.parameter("beta") else null
        return with(c) {
            single { f, x ->
                if (rms) {
                    // Keras 3.15.1 divides by the root of the variance here, not of the mean square.
                    val variance = meanOver(x.sub(meanOver(x, axes)).square(), axes)
                    x.div(variance.add(epsilon).sqrt()).mul(f.value(gamma!!).reshape(shape))
                } else {
                    val mean = meanOver(x, axes)
                    val variance = meanOver(x.sub(mean).square(), axes)
                    var inverse = variance.add(epsilon).sqrt().pow(-1)
                    if (gamma != null) inverse = inverse.mul(f.value(gamma).reshape(shape))
                    var offset = mean.neg().mul(inverse)
                    if (beta != null) offset = offset.add(f.value(beta).reshape(shape))
                    x.mul(inverse).add(offset)
                }
            }
        }
    }

    /** Keras' `rms_normalization`: `x / sqrt(mean(x²) + epsilon) * scale`. */
    private fun rmsNormalization(c: LayerContext): LayerOp {
        val axes = axes(c, c.inputShape.size, -1)
        val shape = broadcastShape(c.inputShape, axes)
        val epsilon = c.args.double("epsilon", 1e-6)
        val scale = c.parameter("scale")
        return with(c) {
            single { f, x -> x.div(meanOver(x.square(), axes).add(epsilon).sqrt()).mul(f.value(scale).reshape(shape)) }
        }
    }

    private fun groupNormalization(c: LayerContext): LayerOp {
        val rank = c.inputShape.size
        val axis = axes(c, rank, -1).single()
        if (axis != rank - 1) c.unsupported("GroupNormalization over axis $axis (only the last axis)")
        val channels = c.inputShape[axis]!!.toLong()
        val groups = c.args.int("groups", 32).toLong()
        val epsilon = c.args.double("epsilon", 1e-3)
        val gamma = if (c.args.bool("scale", true)) c.parameter("gamma") else null
        val beta = if (c.args.bool("center", true)) c.parameter("beta") else null
        return with(c) {
            single { f, x ->
                val dims = x.shape.shape
                val grouped = x.reshape(Shape(*dims.copyOfRange(0, rank - 1), groups, channels / groups))
                val reduce = ((1 until rank - 1) + rank).toList().toIntArray()
                val mean = meanOver(grouped, reduce)
                val variance = meanOver(grouped.sub(mean).square(), reduce)
                var y: NDArray = grouped.sub(mean).div(variance.add(epsilon).sqrt()).reshape(x.shape)
                if (gamma != null) y = y.mul(f.value(gamma))
                if (beta != null) y = y.add(f.value(beta))
                y
            }
        }
    }

    /** Keras' `normalize(x, axis, order=2, epsilon=1e-12)`: `x * min(rsqrt(sum(x²)), 1 / epsilon)` over `axis`. */
    private fun unitNormalization(c: LayerContext): LayerOp {
        val axes = axes(c, c.inputShape.size, -1)
        return single { _, x -> x.mul(x.square().sum(axes, true).pow(-0.5).minimum(1e12)) }
    }

    /**
     * Keras' preprocessing Normalization: `(x - mean) / max(sqrt(variance), epsilon)`, or `mean + x * max(...)` when
     * `invert`, with the adapted `mean` and `variance` variables or the config's own values, over the kept `axis`.
     */
    private fun normalization(c: LayerContext): LayerOp {
        val rank = c.inputShape.size
        // As the catalog reads it: an absent axis is -1; a null one, saved by Keras as [], keeps no axis.
        val kept = (c.args.intList("axis") ?: if (c.args.config.containsKey("axis")) emptyList() else listOf(-1))
            .map { if (it < 0) it + rank else it }.sorted().toIntArray()
        val invert = c.args.bool("invert", false)
        val shape = broadcastShape(c.inputShape, kept)
        val (mean, variance) = if (c.args.isSet("mean")) given(c, "mean", kept) to given(c, "variance", kept)
            else adapted(c, "mean", shape) to adapted(c, "variance", shape)
        return single { f, x ->
            val m = mean(f, x)
            val scale = variance(f, x).sqrt().maximum(KERAS_EPSILON)
            if (invert) m.add(x.mul(scale)) else x.sub(m).div(scale)
        }
    }

    /** Normalization's adapted variable [name], shaped to broadcast against the input. */
    private fun adapted(c: LayerContext, name: String, shape: Shape): (Forward, NDArray) -> NDArray {
        val parameter = c.parameter(name)
        return with(c) { { f, _ -> f.value(parameter).reshape(shape) } }
    }

    /**
     * Normalization's `mean` or `variance` [key] given in the config, a number or nested lists, as an array in the
     * input's type: Keras lines its axes up with the last of the [kept] axes and gives the others size 1.
     */
    private fun given(c: LayerContext, key: String, kept: IntArray): (Forward, NDArray) -> NDArray {
        val value = c.args.config.getValue(key)
        val sizes = generateSequence(value) { (it as? JsonArray)?.firstOrNull() }.takeWhile { it is JsonArray }
            .map { (it as JsonArray).size.toLong() }.toList()
        if (sizes.size > kept.size) c.unsupported("a $key of rank ${sizes.size} over ${kept.size} axes")
        fun flat(e: JsonElement): List<Float> = if (e is JsonArray) e.flatMap(::flat) else listOf(e.jsonPrimitive.float)
        val values = flat(value).toFloatArray()
        val dims = LongArray(c.inputShape.size) { 1L }
        for (i in 1..sizes.size) dims[kept[kept.size - i]] = sizes[sizes.size - i]
        return { _, x -> x.manager.create(values, Shape(*dims)).toType(x.dataType, false) }
    }
}
