package dev.kerb.model.catalog

// Normalization layers (keras/src/layers/normalization, keras/src/layers/preprocessing/normalization.py).

/** Python's `shape[index]` on a shape tuple, negative indices included, failing with its IndexError's text. */
private fun Dims.tupleItem(index: Int): Int? {
    val i = axisOf(index, size)
    expect(i in indices) { "tuple index out of range" }
    return this[i]
}

/** `shape[index]` where Keras would index it, or null when the shape is unknown or lacks that axis. */
private fun Dims?.itemOrNull(index: Int): Int? = this?.getOrNull(axisOf(index, size))

/** A variable Keras creates with a fixed [initializer] and no constraint, initializer or regularizer argument. */
private fun fixed(name: String, shape: Dims, initializer: String, trainable: Boolean = true, integer: Boolean = false) =
    VariableSpec(name, shape, trainable, fixedInitializer = initializer, integer = integer)

/** The output of a layer that keeps its input's shape, after Keras' checks of the variables it builds. */
private fun sameShape(layer: LayerArgs, inputs: List<Dims>, weights: LayerWeights): List<Dims> {
    requireDefinedShapes(layer, weights)
    return listOf(inputs[0])
}

/**
 * `BatchNormalization(axis)`: gamma and beta (with `scale` and `center`), then the non-trainable moving mean and
 * variance, and with `renorm` its moving stddev, mean and stddev; all of the size of the input along `axis`.
 */
private object BatchNormalizationType : LayerType("BatchNormalization") {
    /** The axis; Keras 2 saved it as a list of one. */
    private fun axis(layer: LayerArgs): Int = layer.intList("axis")?.firstOrNull() ?: -1

    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        inputs[0].tupleItem(axis(layer))
        return sameShape(layer, inputs, weights(layer, inputs))
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val shape = listOf(inputs?.get(0).itemOrNull(axis(layer)))
        val renorm = layer.bool("renorm", false)
        return LayerWeights(listOfNotNull(
            variable("gamma", shape).takeIf { layer.bool("scale", true) },
            variable("beta", shape).takeIf { layer.bool("center", true) },
            VariableSpec("moving_mean", shape, false, initializerKey = "moving_mean_initializer"),
            VariableSpec("moving_variance", shape, false, initializerKey = "moving_variance_initializer"),
            fixed("moving_stddev", shape, "ones", trainable = false).takeIf { renorm },
            VariableSpec("renorm_mean", shape, false, initializerKey = "moving_mean_initializer").takeIf { renorm },
            fixed("renorm_stddev", shape, "ones", trainable = false).takeIf { renorm },
        ))
    }
}

/** The axes of `LayerNormalization` and `RMSNormalization` in the order Keras shapes their variables: sorted. */
private fun sortedAxes(layer: LayerArgs): List<Int> = (layer.intList("axis") ?: listOf(-1)).sorted()

/**
 * `LayerNormalization(axis)`: gamma (with `scale` or `rms_scaling`) and beta (with `center`, not `rms_scaling`), of
 * the input's sizes along the axes.
 */
private object LayerNormalizationType : LayerType("LayerNormalization") {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        sortedAxes(layer).forEach { inputs[0].tupleItem(it) }
        return sameShape(layer, inputs, weights(layer, inputs))
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val shape = sortedAxes(layer).map { inputs?.get(0).itemOrNull(it) }
        val rms = layer.bool("rms_scaling", false)
        return LayerWeights(listOfNotNull(variable("gamma", shape).takeIf { layer.bool("scale", true) || rms },
            variable("beta", shape).takeIf { layer.bool("center", true) && !rms }))
    }
}

/** `RMSNormalization(axis)`: a scale of the input's sizes along the axes. */
private object RMSNormalizationType : LayerType("RMSNormalization") {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        sortedAxes(layer).forEach { inputs[0].tupleItem(it) }
        return sameShape(layer, inputs, weights(layer, inputs))
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights =
        LayerWeights(listOf(fixed("scale", sortedAxes(layer).map { inputs?.get(0).itemOrNull(it) }, "ones")))
}

/** `GroupNormalization(groups, axis)`: gamma and beta of the channels, which the groups must divide. */
private object GroupNormalizationType : LayerType("GroupNormalization") {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val axis = layer.int("axis", -1)
        val groups = layer.int("groups", 32)
        expect(groups > 0 || groups == -1) {
            "Received an invalid value for argument `groups`, expected a positive integer (or `-1` for instance " +
                "normalization). Received: groups=$groups"
        }
        val input = inputs[0]
        val dim = input.tupleItem(axis) ?: throw ShapeMisfit("Axis $axis of input tensor should have a defined " +
            "dimension but the layer received an input with shape ${input.text()}.")
        val actual = if (groups == -1) dim else groups
        expect(dim >= actual) { "Number of groups ($actual) cannot be more than the number of channels ($dim)." }
        expect(dim % actual == 0) { "Number of groups ($actual) must be a multiple of the number of channels ($dim)." }
        return listOf(input)
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val shape = listOf(inputs?.get(0).itemOrNull(layer.int("axis", -1)))
        return LayerWeights(listOfNotNull(variable("gamma", shape).takeIf { layer.bool("scale", true) },
            variable("beta", shape).takeIf { layer.bool("center", true) }))
    }
}

/**
 * `Normalization(axis, mean, variance)`: given `mean` and `variance` it has no variables; to be adapted, it has the
 * non-trainable `mean` and `variance` of the input's sizes along the kept axes, and a scalar `count`.
 */
private object NormalizationType : LayerType("Normalization") {
    /** The kept axes: none for `axis=None`, -1 when absent. */
    private fun axes(layer: LayerArgs): List<Int> =
        layer.intList("axis") ?: if (layer.config.containsKey("axis")) emptyList() else listOf(-1)

    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val input = inputs[0]
        val axes = axes(layer)
        expect(axes.all { it >= -input.size && it < input.size }) {
            "All `axis` values must be in the range [-ndim, ndim). Received inputs with ndim=${input.size}, " +
                "while axis=${axes.text()}"
        }
        for (d in axes.map { axisOf(it, input.size) }.sorted()) {
            expect(input[d] != null) {
                "All `axis` values to be kept must have a known shape. Received axis=${axes.text()}, " +
                    "inputs.shape=${input.text()}, with unknown axis at index $d"
            }
        }
        return listOf(input)
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        if (layer.isSet("mean")) return LayerWeights.NONE
        val input = inputs?.get(0)
        val kept = axes(layer).map { if (input == null) it else axisOf(it, input.size) }.sorted()
        val shape = kept.map { input?.getOrNull(it) }
        return LayerWeights(listOf(fixed("mean", shape, "zeros", trainable = false),
            fixed("variance", shape, "ones", trainable = false), fixed("count", emptyList(), "zeros", trainable = false, integer = true)))
    }
}

/** The normalization layer types. */
internal val NORMALIZATION_TYPES: List<LayerType> = listOf(BatchNormalizationType, LayerNormalizationType,
    RMSNormalizationType, GroupNormalizationType, NormalizationType)
