package dev.kerb.djl.graph

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.types.Shape
import ai.djl.nn.pooling.Pool

/**
 * Max and average pooling in 1, 2 and 3 dimensions and their global forms. Keras' `same` pooling pads max pooling
 * with -inf and averages only the values inside the input, with the odd pixel after, so uneven padding is explicit.
 */
internal object PoolingLayers {
    val BUILDERS: Map<String, OpBuilder> = (1..3).flatMap { n ->
        listOf(
            "MaxPooling${n}D" to { c: LayerContext -> pool(c, n, max = true) },
            "AveragePooling${n}D" to { c: LayerContext -> pool(c, n, max = false) },
            "GlobalMaxPooling${n}D" to { c: LayerContext -> global(c, n, max = true) },
            "GlobalAveragePooling${n}D" to { c: LayerContext -> global(c, n, max = false) },
            "GlobalMaxPool${n}D" to { c: LayerContext -> global(c, n, max = true) },
            "GlobalAvgPool${n}D" to { c: LayerContext -> global(c, n, max = false) },
        )
    }.toMap() + mapOf(
        "MaxPool1D" to { c -> pool(c, 1, max = true) }, "MaxPool2D" to { c -> pool(c, 2, max = true) },
        "MaxPool3D" to { c -> pool(c, 3, max = true) }, "AvgPool1D" to { c -> pool(c, 1, max = false) },
        "AvgPool2D" to { c -> pool(c, 2, max = false) }, "AvgPool3D" to { c -> pool(c, 3, max = false) },
    )

    private fun pool(c: LayerContext, spatial: Int, max: Boolean): LayerOp {
        val size = c.args.ints("pool_size", spatial, 2)
        val strides = if (c.args.isSet("strides")) c.args.ints("strides", spatial, 1) else size
        val same = when (val padding = c.args.string("padding", "valid").lowercase()) {
            "valid" -> false
            "same" -> true
            else -> c.unsupported("padding '$padding'")
        }
        val channelsFirst = c.args.channelsFirst
        val window = Shape(*size.map { it.toLong() }.toLongArray())
        val stride = Shape(*strides.map { it.toLong() }.toLongArray())
        val zeros = Shape(*LongArray(spatial))
        fun pooled(x: NDArray): NDArray = if (max) when (spatial) {
            1 -> Pool.maxPool1d(x, window, stride, zeros, false)
            2 -> Pool.maxPool2d(x, window, stride, zeros, false)
            else -> Pool.maxPool3d(x, window, stride, zeros, false)
        } else when (spatial) {
            1 -> Pool.avgPool1d(x, window, stride, zeros, false, true)
            2 -> Pool.avgPool2d(x, window, stride, zeros, false, true)
            else -> Pool.avgPool3d(x, window, stride, zeros, false, true)
        }
        return single { _, x ->
            val rank = spatial + 2
            val first = if (channelsFirst) x else x.transpose(0, rank - 1, *(1 until rank - 1).toList().toIntArray())
            val padding = if (!same) null else (0 until spatial).map { i ->
                val n = first.shape[i + 2]
                val total = maxOf(((n + strides[i] - 1) / strides[i] - 1) * strides[i] + size[i] - n, 0L)
                total / 2 to total - total / 2
            }.takeIf { pads -> pads.any { it.first + it.second > 0 } }
            val y = if (padding == null) pooled(first) else {
                val flat = Shape(*padding.asReversed().flatMap { listOf(it.first, it.second) }.toLongArray())
                if (max) pooled(first.pad(flat, Double.NEGATIVE_INFINITY)) else {
                    val ones = first.manager.ones(Shape(1, 1, *first.shape.shape.copyOfRange(2, rank)), first.dataType)
                    pooled(first.pad(flat, 0.0)).div(pooled(ones.pad(flat, 0.0)))
                }
            }
            if (channelsFirst) y else y.transpose(0, *(2 until rank).toList().toIntArray(), 1)
        }
    }

    private fun global(c: LayerContext, spatial: Int, max: Boolean): LayerOp {
        val axes = if (c.args.channelsFirst) (2 until spatial + 2).toList() else (1..spatial).toList()
        val keepDims = c.args.bool("keepdims", false)
        val count = { x: NDArray -> axes.fold(1L) { n, a -> n * x.shape[a] }.toFloat() }
        // DJL's PyTorch engine reduces one axis per max or mean, so the spatial axes go one at a time.
        return single { _, x ->
            if (max) {
                val kept = axes.fold(x) { y, a -> y.max(intArrayOf(a), true) }
                if (keepDims) kept else kept.squeeze(axes.toIntArray())
            } else {
                x.sum(axes.toIntArray(), keepDims).div(count(x))
            }
        }
    }
}
