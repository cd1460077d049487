package dev.kerb.model.catalog

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.intOrNull

// Pooling, global pooling, zero-padding, cropping and up-sampling layers (keras/src/layers/pooling, reshaping): none
// has variables, and all but global pooling keep the batch and the channels and change each spatial axis on its own.

/** `MaxPooling1D`/`2D`/`3D` and `AveragePooling1D`/`2D`/`3D`: Keras' `compute_pooling_output_shape`. */
private class PoolingType(private val rank: Int, vararg classNames: String) : LayerType(*classNames) {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val input = inputs[0]
        requireRank(layer, input, rank + 2)
        val poolSize = layer.ints("pool_size", rank, 2)
        val strides = if (layer.isSet("strides")) layer.ints("strides", rank, 1) else poolSize
        // Unlike convolutions, pooling takes `padding` as given: Keras refuses `SAME`.
        val padding = layer.string("padding", "valid")
        expect(padding == "valid" || padding == "same") {
            "Argument `padding` must be either 'valid' or 'same'. Received: padding=$padding"
        }
        val first = layer.channelsFirst
        val out = spatialOf(input, first).mapIndexed { i, size -> size?.let { windowed(it, poolSize[i], strides[i], padding) } }
        expect(padding != "valid" || out.all { it == null || it > 0 }) {
            // Keras formats its numpy copy of the shape, where it has set unknown spatial dims to -1.
            val spatial = if (first) 2 until input.size else 1 until input.size - 1
            val shown = input.mapIndexed { i, d -> if (d == null && i in spatial) -1 else d }
            "Computed output size would be zero or negative. Received: `inputs.shape=${numpyText(shown, null in input)}`, " +
                "`pool_size=${numpyText(poolSize)}`, `strides=${strides.text()}`, `padding=$padding`."
        }
        return listOf(shapeOf(input[0], out, channelsOf(input, first), first))
    }
}

/**
 * `GlobalMaxPooling1D`/`2D`/`3D` and `GlobalAveragePooling1D`/`2D`/`3D`: `(batch, channels)`, with 1 for each spatial
 * axis under `keepdims`.
 */
private class GlobalPoolingType(private val rank: Int, vararg classNames: String) : LayerType(*classNames) {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val input = inputs[0]
        requireRank(layer, input, rank + 2)
        val first = layer.channelsFirst
        val spatial = if (layer.bool("keepdims", false)) List(rank) { 1 } else emptyList()
        return listOf(shapeOf(input[0], spatial, channelsOf(input, first), first))
    }
}

/**
 * Reads [key] as Keras reads a padding or cropping argument: `(before, after)` for each of [rank] spatial axes, from an
 * int, a pair (in 1D), an int for each axis or a pair for each axis, [default] where absent.
 */
private fun LayerArgs.pairs(key: String, rank: Int, default: Int): List<Pair<Int, Int>> {
    fun int(element: JsonElement?): Int = (element as? JsonPrimitive)?.intOrNull ?: default
    fun pair(element: JsonElement?): Pair<Int, Int> =
        if (element is JsonArray) int(element.getOrNull(0)) to int(element.getOrNull(1)) else int(element) to int(element)
    return when (val value = config[key]) {
        is JsonArray -> if (rank == 1) listOf(pair(value)) else value.map(::pair)
        else -> List(rank) { pair(value) }
    }
}

/** Python's `repr` of [pairs] as Keras keeps them: `(1, 2)` in 1D, `((1, 2), (0, 1))` otherwise. */
private fun pairsText(pairs: List<Pair<Int, Int>>): String {
    val items = pairs.map { "(${it.first}, ${it.second})" }
    return if (pairs.size == 1) items[0] else items.joinToString(", ", "(", ")")
}

/** `ZeroPadding1D`/`2D`/`3D`: each spatial axis grows by its `padding`. */
private class ZeroPaddingType(private val rank: Int, vararg classNames: String) : LayerType(*classNames) {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val input = inputs[0]
        requireRank(layer, input, rank + 2)
        val padding = layer.pairs("padding", rank, 1)
        val first = layer.channelsFirst
        val out = spatialOf(input, first).mapIndexed { i, size -> size?.let { it + padding[i].first + padding[i].second } }
        return listOf(shapeOf(input[0], out, channelsOf(input, first), first))
    }
}

/**
 * `Cropping1D`/`2D`/`3D`: each spatial axis shrinks by its `cropping`, which must leave some of it; `Cropping1D` has
 * no `data_format`.
 */
private class CroppingType(private val rank: Int, private val default: Int, vararg classNames: String) : LayerType(*classNames) {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val input = inputs[0]
        requireRank(layer, input, rank + 2)
        val cropping = layer.pairs("cropping", rank, default)
        val first = rank > 1 && layer.channelsFirst
        val out = spatialOf(input, first).mapIndexed { i, size -> size?.let { it - cropping[i].first - cropping[i].second } }
        expect(out.all { it == null || it > 0 }) {
            val received = "Received: input_shape=${input.text()}, cropping=${pairsText(cropping)}"
            if (rank == 1) "`cropping` parameter of `Cropping1D` layer must be smaller than the input length. $received"
            else "Values in `cropping` argument should be smaller than the corresponding spatial dimension of the input. $received"
        }
        return listOf(shapeOf(input[0], out, channelsOf(input, first), first))
    }
}

/**
 * `UpSampling1D`/`2D`/`3D`: each spatial axis repeats `size` times (`UpSampling2D`'s `interpolation` changes values,
 * not shapes); `UpSampling1D` has no `data_format`.
 */
private class UpSamplingType(private val rank: Int, vararg classNames: String) : LayerType(*classNames) {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val input = inputs[0]
        requireRank(layer, input, rank + 2)
        val size = layer.ints("size", rank, 2)
        val first = rank > 1 && layer.channelsFirst
        val out = spatialOf(input, first).mapIndexed { i, n -> n?.let { it * size[i] } }
        return listOf(shapeOf(input[0], out, channelsOf(input, first), first))
    }
}

/** The pooling, padding, cropping and up-sampling layer types, which [CONV_TYPES] includes. */
internal val POOLING_TYPES: List<LayerType> = listOf(
    PoolingType(1, "MaxPooling1D", "MaxPool1D"),
    PoolingType(2, "MaxPooling2D", "MaxPool2D"),
    PoolingType(3, "MaxPooling3D", "MaxPool3D"),
    PoolingType(1, "AveragePooling1D", "AvgPool1D"),
    PoolingType(2, "AveragePooling2D", "AvgPool2D"),
    PoolingType(3, "AveragePooling3D", "AvgPool3D"),
    GlobalPoolingType(1, "GlobalMaxPooling1D", "GlobalMaxPool1D"),
    GlobalPoolingType(2, "GlobalMaxPooling2D", "GlobalMaxPool2D"),
    GlobalPoolingType(3, "GlobalMaxPooling3D", "GlobalMaxPool3D"),
    GlobalPoolingType(1, "GlobalAveragePooling1D", "GlobalAvgPool1D"),
    GlobalPoolingType(2, "GlobalAveragePooling2D", "GlobalAvgPool2D"),
    GlobalPoolingType(3, "GlobalAveragePooling3D", "GlobalAvgPool3D"),
    ZeroPaddingType(1, "ZeroPadding1D"),
    ZeroPaddingType(2, "ZeroPadding2D"),
    ZeroPaddingType(3, "ZeroPadding3D"),
    CroppingType(1, 1, "Cropping1D"),
    CroppingType(2, 0, "Cropping2D"),
    CroppingType(3, 1, "Cropping3D"),
    UpSamplingType(1, "UpSampling1D"),
    UpSamplingType(2, "UpSampling2D"),
    UpSamplingType(3, "UpSampling3D"),
)
