package dev.kerb.djl.graph

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.index.NDIndex
import ai.djl.ndarray.types.Shape
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonPrimitive
import kotlin.math.floor

/** The layers that move values without weights: Flatten, Reshape, Permute, RepeatVector, padding, cropping, up-sampling. */
internal object ShapeLayers {
    val BUILDERS: Map<String, OpBuilder> = mapOf(
        "Flatten" to { c ->
            val channelsFirst = c.args.channelsFirst
            single { _, x ->
                val rank = x.shape.dimension()
                val ordered = if (channelsFirst && rank > 2) x.transpose(0, *(2 until rank).toList().toIntArray(), 1) else x
                ordered.reshape(x.shape[0], -1)
            }
        },
        "Reshape" to { c ->
            val target = c.outputShapes.single().drop(1).map { (it ?: -1).toLong() }
            single { _, x -> x.reshape(Shape(x.shape[0], *target.toLongArray())) }
        },
        "Permute" to { c ->
            val dims = c.args.intList("dims").orEmpty()
            single { _, x -> x.transpose(0, *dims.toIntArray()) }
        },
        "RepeatVector" to { c ->
            val n = c.args.int("n", 1).toLong()
            single { _, x -> x.expandDims(1).repeat(1, n) }
        },
        "ZeroPadding1D" to { c -> padding(c, 1) },
        "ZeroPadding2D" to { c -> padding(c, 2) },
        "ZeroPadding3D" to { c -> padding(c, 3) },
        "Cropping1D" to { c -> cropping(c, 1) },
        "Cropping2D" to { c -> cropping(c, 2) },
        "Cropping3D" to { c -> cropping(c, 3) },
        "UpSampling1D" to { c ->
            val size = c.args.int("size", 2).toLong()
            single { _, x -> x.repeat(1, size) }
        },
        "UpSampling2D" to { c -> upSampling(c, 2) },
        "UpSampling3D" to { c -> upSampling(c, 3) },
    )

    /** The spatial axes of a rank-[spatial] layer's input, in Keras' layout. */
    private fun spatialAxes(c: LayerContext, spatial: Int): List<Int> =
        if (c.args.channelsFirst && spatial > 1) (2 until 2 + spatial).toList() else (1..spatial).toList()

    /** Keras' `padding`/`cropping` argument: an int, a pair per axis, or one int per axis. */
    private fun pairs(c: LayerContext, key: String, spatial: Int, default: Int): List<Pair<Int, Int>> =
        when (val value = c.args.config[key]) {
            is JsonArray -> if (spatial == 1) {
                val ints = c.args.intList(key)!!
                listOf(ints[0] to ints.getOrElse(1) { ints[0] })
            } else value.map { item ->
                val ints = (item as? JsonArray)?.map { (it as JsonPrimitive).content.toInt() }
                    ?: List(2) { (item as JsonPrimitive).content.toInt() }
                ints[0] to ints[1]
            }
            else -> List(spatial) { c.args.int(key, default).let { it to it } }
        }

    private fun padding(c: LayerContext, spatial: Int): LayerOp {
        val amounts = pairs(c, "padding", spatial, 1)
        val axes = spatialAxes(c, spatial)
        return single { _, x ->
            val rank = x.shape.dimension()
            // PyTorch's pad takes (before, after) pairs from the last axis backwards.
            val flat = (rank - 1 downTo 1).flatMap { axis ->
                val i = axes.indexOf(axis)
                if (i < 0) listOf(0L, 0L) else listOf(amounts[i].first.toLong(), amounts[i].second.toLong())
            }
            x.pad(Shape(*flat.toLongArray()), 0.0)
        }
    }

    private fun cropping(c: LayerContext, spatial: Int): LayerOp {
        val amounts = pairs(c, "cropping", spatial, 1)
        val axes = spatialAxes(c, spatial)
        return single { _, x ->
            val index = (0 until x.shape.dimension()).joinToString(",") { axis ->
                val i = axes.indexOf(axis)
                if (i < 0) ":" else "${amounts[i].first}:${x.shape[axis] - amounts[i].second}"
            }
            x.get(NDIndex(index))
        }
    }

    private fun upSampling(c: LayerContext, spatial: Int): LayerOp {
        val sizes = c.args.ints("size", spatial, 2)
        val axes = spatialAxes(c, spatial)
        return when (val interpolation = c.args.string("interpolation", "nearest")) {
            "nearest" -> single { _, x -> axes.zip(sizes).fold(x) { y, (axis, n) -> y.repeat(axis, n.toLong()) } }
            "bilinear" -> single { _, x -> axes.zip(sizes).fold(x) { y, (axis, n) -> linearResize(y, axis, n) } }
            else -> c.unsupported("interpolation '$interpolation'")
        }
    }

    /**
     * Resizes [axis] by [factor] with linear interpolation at half-pixel centers, clamped at the edges, as JAX's
     * `image.resize` upsamples: a matrix product with the interpolation weights, so gradients flow.
     */
    private fun linearResize(x: NDArray, axis: Int, factor: Int): NDArray {
        val size = x.shape[axis].toInt()
        val out = size * factor
        val weights = FloatArray(out * size)
        for (i in 0 until out) {
            val source = ((i + 0.5) / factor - 0.5).coerceIn(0.0, size - 1.0)
            val low = floor(source).toInt()
            val high = minOf(low + 1, size - 1)
            val t = (source - low).toFloat()
            weights[i * size + low] += 1 - t
            weights[i * size + high] += t
        }
        val matrix = x.manager.create(weights, Shape(out.toLong(), size.toLong())).toType(x.dataType, false)
        val last = x.shape.dimension() - 1
        val moved = x.swapAxes(axis, last)
        return moved.matMul(matrix.transpose()).swapAxes(axis, last)
    }
}
