package dev.kerb.model.catalog

// Convolution layers (keras/src/layers/convolutional), with their shapes as keras/src/ops/operation_utils.py and
// keras/src/backend/common/backend_utils.py compute them. Pooling, padding, cropping and up-sampling: PoolingTypes.kt.

/** The spatial dims of [input], between the batch and the channels. */
internal fun spatialOf(input: Dims, channelsFirst: Boolean): Dims =
    if (channelsFirst) input.drop(2) else input.subList(1, input.size - 1)

/** The channels of [input], or null when it has too few dims to tell. */
internal fun channelsOf(input: Dims?, channelsFirst: Boolean): Int? =
    if (input == null || input.size < 2) null else if (channelsFirst) input[1] else input.last()

/** A shape of [batch], [spatial] dims and [channels], in the order the data format gives. */
internal fun shapeOf(batch: Int?, spatial: Dims, channels: Int?, channelsFirst: Boolean): Dims =
    if (channelsFirst) listOf(batch, channels) + spatial else listOf(batch) + spatial + channels

/**
 * The length a window spanning [span] leaves of an axis of [size] when it moves by [stride]: Keras' formula in
 * `compute_conv_output_shape` and `compute_pooling_output_shape`, zero or negative where a `valid` window does not fit.
 */
internal fun windowed(size: Int, span: Int, stride: Int, padding: String): Int =
    if (padding == "valid") Math.floorDiv(size - span, stride) + 1 else Math.floorDiv(size - 1, stride) + 1

/**
 * numpy's `str` of a 1-D array, as Keras puts arrays in messages: an int array pads its items to one width, an object
 * array (one that held None) does not.
 */
internal fun numpyText(values: List<Int?>, objects: Boolean = values.any { it == null }): String {
    val items = values.map { it?.toString() ?: "None" }
    val width = if (objects) 0 else items.maxOfOrNull { it.length } ?: 0
    return items.joinToString(" ", "[", "]") { it.padStart(width) }
}

/** A convolution's arguments, read from its config with Keras' defaults for [rank] spatial axes. */
private class ConvArgs(private val layer: LayerArgs, rank: Int) {
    /** The window's size along each spatial axis. */
    val kernel = layer.ints("kernel_size", rank, 1)

    /** The window's step along each spatial axis. */
    val strides = layer.ints("strides", rank, 1)

    /** The gaps between the window's taps along each spatial axis. */
    val dilation = layer.ints("dilation_rate", rank, 1)

    // Keras' standardize_padding lowercases; pooling does not (PoolingTypes.kt).
    /** `valid`, `same` or `causal`. */
    val padding = layer.string("padding", "valid").lowercase()

    /** Whether the channels come before the spatial axes. */
    val channelsFirst = layer.channelsFirst

    /** The number of output channels (not for depthwise convolutions). */
    val filters: Int? = layer.int("filters")

    /** The output channels a depthwise convolution makes of each input channel. */
    val depthMultiplier = layer.int("depth_multiplier", 1)

    /** The bias `(size,)` when the layer has one. */
    fun bias(size: Int?): VariableSpec? = variable("bias", listOf(size)).takeIf { layer.bool("use_bias", true) }
}

/**
 * Keras' `compute_conv_output_shape` for [input] with [channels] input channels and [filters] output channels, and its
 * refusals: a kernel of another rank than the input, or a `valid` window wider than an axis.
 */
private fun convOutput(args: ConvArgs, input: Dims, channels: Int, filters: Int?): Dims {
    val kernelShape: Dims = args.kernel + channels + filters
    expect(kernelShape.size == input.size) {
        "Kernel shape must have the same length as input, but received kernel of shape ${kernelShape.text()} and " +
            "input of shape ${input.text()}."
    }
    val out = spatialOf(input, args.channelsFirst).mapIndexed { i, size ->
        size?.let { windowed(it, args.dilation[i] * (args.kernel[i] - 1) + 1, args.strides[i], args.padding) }
    }
    expect(args.padding != "valid" || out.all { it == null || it > 0 }) {
        "Computed output size would be zero or negative. Received `inputs shape=${input.text()}`, `kernel " +
            "shape=${kernelShape.text()}`, `dilation_rate=${numpyText(args.dilation)}`, `strides=${args.strides.text()}`, " +
            "`padding=${args.padding}`."
    }
    return shapeOf(input[0], out, filters, args.channelsFirst)
}

/**
 * The output of a depthwise or separable convolution, whose depthwise step needs the input's channels: Keras
 * multiplies them by the depth multiplier, so unknown channels fail as Python's `*` does.
 */
private fun channelwiseOutput(layer: LayerArgs, inputs: List<Dims>, rank: Int, filters: (ConvArgs, Int) -> Int?): List<Dims> {
    val input = inputs[0]
    requireMinRank(layer, input, rank + 2)
    val args = ConvArgs(layer, rank)
    val channels = channelsOf(input, args.channelsFirst)
    expect(channels != null) { "unsupported operand type(s) for *: 'int' and 'NoneType'" }
    return listOf(convOutput(args, input, channels!!, filters(args, channels)))
}

/** `Conv1D`/`2D`/`3D`: kernel `kernel_size + (in / groups, filters)`, bias `(filters,)`. */
private class ConvType(private val rank: Int, vararg classNames: String) : LayerType(*classNames) {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val input = inputs[0]
        requireMinRank(layer, input, rank + 2)
        val args = ConvArgs(layer, rank)
        val groups = layer.int("groups", 1)
        val channels = channelsOf(input, args.channelsFirst)
        expect(channels != null) { "unsupported operand type(s) for %: 'NoneType' and 'int'" }
        expect(channels!! % groups == 0) {
            "The number of input channels must be evenly divisible by the number of groups. Received groups=$groups, " +
                "but the input has $channels channels (full input shape is ${input.text()})."
        }
        return listOf(convOutput(args, input, channels, args.filters))
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val args = ConvArgs(layer, rank)
        val perGroup = channelsOf(inputs?.get(0), args.channelsFirst)?.div(layer.int("groups", 1))
        return LayerWeights(listOfNotNull(variable("kernel", args.kernel + perGroup + args.filters), args.bias(args.filters)))
    }
}

/** `Conv1DTranspose`/`2D`/`3D`: kernel `kernel_size + (filters, in)`, bias `(filters,)`. */
private class ConvTransposeType(private val rank: Int, vararg classNames: String) : LayerType(*classNames) {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val input = inputs[0]
        requireMinRank(layer, input, rank + 2)
        val args = ConvArgs(layer, rank)
        val channels = channelsOf(input, args.channelsFirst)
        if (channels == null) requireDefinedShapes(layer, weights(layer, inputs))
        // Keras' compute_conv_transpose_output_shape indexes the kernel by the input's spatial axes.
        expect(input.size == rank + 2) { "tuple index out of range" }
        val outputPadding = if (layer.isSet("output_padding")) layer.ints("output_padding", rank, 0) else null
        val out = spatialOf(input, args.channelsFirst).mapIndexed { i, size ->
            val span = args.dilation[i] * (args.kernel[i] - 1) + 1
            size?.let { deconvLength(it, span, args.strides[i], args.padding, outputPadding?.get(i)) }
        }
        return listOf(shapeOf(input[0], out, args.filters, args.channelsFirst))
    }

    /** Keras' `_get_output_shape_given_tf_padding` for an axis of [size] and a kernel spanning [span]. */
    private fun deconvLength(size: Int, span: Int, stride: Int, padding: String, outputPadding: Int?): Int = when {
        padding == "valid" -> (size - 1) * stride + span + (outputPadding ?: (maxOf(span, stride) - span))
        outputPadding == null -> size * stride
        else -> (size - 1) * stride + span % 2 + outputPadding
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val args = ConvArgs(layer, rank)
        val channels = channelsOf(inputs?.get(0), args.channelsFirst)
        return LayerWeights(listOfNotNull(variable("kernel", args.kernel + args.filters + channels), args.bias(args.filters)))
    }
}

/**
 * `DepthwiseConv1D`/`2D`: Keras 3 names its kernel `kernel` (Keras 2 `depthwise_kernel`), shaped
 * `kernel_size + (in, depth_multiplier)` and governed by the `depthwise_*` keys; bias `(in × depth_multiplier,)`.
 */
private class DepthwiseConvType(private val rank: Int, vararg classNames: String) : LayerType(*classNames) {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> =
        channelwiseOutput(layer, inputs, rank) { args, channels -> args.depthMultiplier * channels }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val args = ConvArgs(layer, rank)
        val channels = channelsOf(inputs?.get(0), args.channelsFirst)
        return LayerWeights(listOfNotNull(variable("kernel", args.kernel + channels + args.depthMultiplier, "depthwise"),
            args.bias(channels?.times(args.depthMultiplier))))
    }
}

/**
 * `SeparableConv1D`/`2D`: `depthwise_kernel` `kernel_size + (in, depth_multiplier)`, `pointwise_kernel`
 * `(1, ...) + (in × depth_multiplier, filters)`, bias `(filters,)`.
 */
private class SeparableConvType(private val rank: Int, vararg classNames: String) : LayerType(*classNames) {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> =
        channelwiseOutput(layer, inputs, rank) { args, _ -> args.filters }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val args = ConvArgs(layer, rank)
        val channels = channelsOf(inputs?.get(0), args.channelsFirst)
        return LayerWeights(listOfNotNull(
            variable("depthwise_kernel", args.kernel + channels + args.depthMultiplier, "depthwise"),
            variable("pointwise_kernel", List(rank) { 1 } + channels?.times(args.depthMultiplier) + args.filters, "pointwise"),
            args.bias(args.filters),
        ))
    }
}

/** The convolution layer types, then the pooling, padding, cropping and up-sampling ones of PoolingTypes.kt. */
internal val CONV_TYPES: List<LayerType> = listOf(
    ConvType(1, "Conv1D", "Convolution1D"),
    ConvType(2, "Conv2D", "Convolution2D"),
    ConvType(3, "Conv3D", "Convolution3D"),
    ConvTransposeType(1, "Conv1DTranspose", "Convolution1DTranspose"),
    ConvTransposeType(2, "Conv2DTranspose", "Convolution2DTranspose"),
    ConvTransposeType(3, "Conv3DTranspose", "Convolution3DTranspose"),
    DepthwiseConvType(1, "DepthwiseConv1D"),
    DepthwiseConvType(2, "DepthwiseConv2D"),
    SeparableConvType(1, "SeparableConv1D", "SeparableConvolution1D"),
    SeparableConvType(2, "SeparableConv2D", "SeparableConvolution2D"),
) + POOLING_TYPES
