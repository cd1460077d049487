package dev.kerb.dsl

import dev.kerb.core.Constraint

// Convolution layers, with Keras 3.15's get_config keys in order (keras/src/layers/convolutional). Sizes given as one
// int are expanded to one per spatial dimension, as Keras' standardize_tuple does; pooling shares expand().

/** One size per spatial dimension, as Keras' `standardize_tuple` expands an int. */
internal fun expand(value: Int, rank: Int): List<Int> = List(rank) { value }

/** Keras `Conv1D`/`Conv2D`/`Conv3D(filters, kernel_size)`: kernel `kernel_size + (in / groups, filters)`. */
public class ConvBuilder internal constructor(private val rank: Int, filters: Int, kernelSize: Int) :
    LayerBuilder("Conv${rank}D") {
    /** Keras `filters`: the number of filters, i.e. the number of output channels. */
    public var filters: Int by param("filters", filters)
    /** Keras `kernel_size`: the size of the convolution window, one per spatial dimension. */
    public var kernelSize: List<Int> by param("kernel_size", expand(kernelSize, rank))
    /** Keras `strides`: the strides of the convolution, one per spatial dimension. */
    public var strides: List<Int> by param("strides", expand(1, rank))
    /** Keras `padding`: `valid` for no padding, `same` to keep the size at stride 1, or, for Conv1D, `causal`. */
    public var padding: String by param("padding", "valid")
    /** Keras `data_format`: the ordering of the input dimensions, `channels_last` or `channels_first`. */
    public var dataFormat: String by param("data_format", "channels_last")
    /** Keras `dilation_rate`: the dilation rate of the convolution, one per spatial dimension. */
    public var dilationRate: List<Int> by param("dilation_rate", expand(1, rank))
    /** Keras `groups`: the number of groups the input channels are split into, each convolved with its own filters. */
    public var groups: Int by param("groups", 1)
    /** Keras `activation`: the activation function applied to the output; `linear` applies none. */
    public var activation: String by param("activation", "linear")
    /** Keras `use_bias`: whether the layer uses a bias vector. */
    public var useBias: Boolean by param("use_bias", true)
    /** Keras `kernel_initializer`: how the kernel is initialized. */
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    /** Keras `bias_initializer`: how the bias vector is initialized. */
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    /** Keras `kernel_regularizer`: the regularizer applied to the kernel; null for none. */
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    /** Keras `bias_regularizer`: the regularizer applied to the bias vector; null for none. */
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        activityRegularizerSlot()
    }

    /** Keras `kernel_constraint`: the constraint applied to the kernel; null for none. */
    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    /** Keras `bias_constraint`: the constraint applied to the bias vector; null for none. */
    public var biasConstraint: Constraint? by param("bias_constraint", null)

    override fun check(layerName: String) {
        requirePositive(layerName, "filters", filters)
        requireBias(layerName, useBias, biasConstraint)
    }
}

/** Keras `Conv1DTranspose`/`Conv2DTranspose`/`Conv3DTranspose`: kernel `kernel_size + (filters, in)`. */
public class ConvTransposeBuilder internal constructor(private val rank: Int, filters: Int, kernelSize: Int) :
    LayerBuilder("Conv${rank}DTranspose") {
    /** Keras `filters`: the number of filters, i.e. the number of output channels. */
    public var filters: Int by param("filters", filters)
    /** Keras `kernel_size`: the size of the convolution window, one per spatial dimension. */
    public var kernelSize: List<Int> by param("kernel_size", expand(kernelSize, rank))
    /** Keras `strides`: the strides of the convolution, one per spatial dimension. */
    public var strides: List<Int> by param("strides", expand(1, rank))
    /** Keras `padding`: `valid` for no padding, or `same` to pad evenly so that stride 1 keeps the spatial size. */
    public var padding: String by param("padding", "valid")
    /** Keras `output_padding`: the padding added along each spatial dimension of the output; null to infer it. */
    public var outputPadding: List<Int>? by param("output_padding", null)
    /** Keras `data_format`: the ordering of the input dimensions, `channels_last` or `channels_first`. */
    public var dataFormat: String by param("data_format", "channels_last")
    /** Keras `dilation_rate`: the dilation rate of the convolution, one per spatial dimension. */
    public var dilationRate: List<Int> by param("dilation_rate", expand(1, rank))
    /** Keras `activation`: the activation function applied to the output; `linear` applies none. */
    public var activation: String by param("activation", "linear")
    /** Keras `use_bias`: whether the layer uses a bias vector. */
    public var useBias: Boolean by param("use_bias", true)
    /** Keras `kernel_initializer`: how the kernel is initialized. */
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    /** Keras `bias_initializer`: how the bias vector is initialized. */
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    /** Keras `kernel_regularizer`: the regularizer applied to the kernel; null for none. */
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    /** Keras `bias_regularizer`: the regularizer applied to the bias vector; null for none. */
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        activityRegularizerSlot()
    }

    /** Keras `kernel_constraint`: the constraint applied to the kernel; null for none. */
    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    /** Keras `bias_constraint`: the constraint applied to the bias vector; null for none. */
    public var biasConstraint: Constraint? by param("bias_constraint", null)

    override fun check(layerName: String) {
        requirePositive(layerName, "filters", filters)
        requireBias(layerName, useBias, biasConstraint)
    }
}

/** Keras `DepthwiseConv1D`/`DepthwiseConv2D(kernel_size)`: depthwise kernel `kernel_size + (in, depth_multiplier)`. */
public class DepthwiseConvBuilder internal constructor(private val rank: Int, kernelSize: Int) :
    LayerBuilder("DepthwiseConv${rank}D") {
    /** Keras `depth_multiplier`: the number of depthwise output channels for each input channel. */
    public var depthMultiplier: Int by param("depth_multiplier", 1)
    /** Keras `kernel_size`: the size of the convolution window, one per spatial dimension. */
    public var kernelSize: List<Int> by param("kernel_size", expand(kernelSize, rank))
    /** Keras `strides`: the strides of the convolution, one per spatial dimension. */
    public var strides: List<Int> by param("strides", expand(1, rank))
    /** Keras `padding`: `valid` for no padding, or `same` to pad evenly so that stride 1 keeps the spatial size. */
    public var padding: String by param("padding", "valid")
    /** Keras `data_format`: the ordering of the input dimensions, `channels_last` or `channels_first`. */
    public var dataFormat: String by param("data_format", "channels_last")
    /** Keras `dilation_rate`: the dilation rate of the convolution, one per spatial dimension. */
    public var dilationRate: List<Int> by param("dilation_rate", expand(1, rank))
    /** Keras `activation`: the activation function applied to the output; `linear` applies none. */
    public var activation: String by param("activation", "linear")
    /** Keras `use_bias`: whether the layer uses a bias vector. */
    public var useBias: Boolean by param("use_bias", true)
    /** Keras `depthwise_initializer`: how the depthwise kernel is initialized. */
    public var depthwiseInitializer: Initializer by param("depthwise_initializer", glorotUniform())
    /** Keras `bias_initializer`: how the bias vector is initialized. */
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    /** Keras `depthwise_regularizer`: the regularizer applied to the depthwise kernel; null for none. */
    public var depthwiseRegularizer: Regularizer? by param("depthwise_regularizer", null)
    /** Keras `bias_regularizer`: the regularizer applied to the bias vector; null for none. */
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        activityRegularizerSlot()
    }

    /** Keras `depthwise_constraint`: the constraint applied to the depthwise kernel; null for none. */
    public var depthwiseConstraint: Constraint? by param("depthwise_constraint", null)
    /** Keras `bias_constraint`: the constraint applied to the bias vector; null for none. */
    public var biasConstraint: Constraint? by param("bias_constraint", null)

    override fun check(layerName: String) {
        requirePositive(layerName, "depth_multiplier", depthMultiplier)
        requireBias(layerName, useBias, biasConstraint)
    }
}

/** Keras `SeparableConv1D`/`SeparableConv2D(filters, kernel_size)`: depthwise, pointwise and bias weights. */
public class SeparableConvBuilder internal constructor(private val rank: Int, filters: Int, kernelSize: Int) :
    LayerBuilder("SeparableConv${rank}D") {
    /** Keras `depth_multiplier`: the number of depthwise output channels for each input channel. */
    public var depthMultiplier: Int by param("depth_multiplier", 1)
    /** Keras `filters`: the number of output channels of the pointwise convolution. */
    public var filters: Int by param("filters", filters)
    /** Keras `kernel_size`: the size of the convolution window, one per spatial dimension. */
    public var kernelSize: List<Int> by param("kernel_size", expand(kernelSize, rank))
    /** Keras `strides`: the strides of the convolution, one per spatial dimension. */
    public var strides: List<Int> by param("strides", expand(1, rank))
    /** Keras `padding`: `valid` for no padding, or `same` to pad evenly so that stride 1 keeps the spatial size. */
    public var padding: String by param("padding", "valid")
    /** Keras `data_format`: the ordering of the input dimensions, `channels_last` or `channels_first`. */
    public var dataFormat: String by param("data_format", "channels_last")
    /** Keras `dilation_rate`: the dilation rate of the convolution, one per spatial dimension. */
    public var dilationRate: List<Int> by param("dilation_rate", expand(1, rank))
    /** Keras `activation`: the activation function applied to the output; `linear` applies none. */
    public var activation: String by param("activation", "linear")
    /** Keras `use_bias`: whether the layer uses a bias vector. */
    public var useBias: Boolean by param("use_bias", true)
    /** Keras `depthwise_initializer`: how the depthwise kernel is initialized. */
    public var depthwiseInitializer: Initializer by param("depthwise_initializer", glorotUniform())
    /** Keras `pointwise_initializer`: how the pointwise kernel is initialized. */
    public var pointwiseInitializer: Initializer by param("pointwise_initializer", glorotUniform())
    /** Keras `bias_initializer`: how the bias vector is initialized. */
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    /** Keras `depthwise_regularizer`: the regularizer applied to the depthwise kernel; null for none. */
    public var depthwiseRegularizer: Regularizer? by param("depthwise_regularizer", null)
    /** Keras `pointwise_regularizer`: the regularizer applied to the pointwise kernel; null for none. */
    public var pointwiseRegularizer: Regularizer? by param("pointwise_regularizer", null)
    /** Keras `bias_regularizer`: the regularizer applied to the bias vector; null for none. */
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        activityRegularizerSlot()
    }

    /** Keras `depthwise_constraint`: the constraint applied to the depthwise kernel; null for none. */
    public var depthwiseConstraint: Constraint? by param("depthwise_constraint", null)
    /** Keras `pointwise_constraint`: the constraint applied to the pointwise kernel; null for none. */
    public var pointwiseConstraint: Constraint? by param("pointwise_constraint", null)
    /** Keras `bias_constraint`: the constraint applied to the bias vector; null for none. */
    public var biasConstraint: Constraint? by param("bias_constraint", null)

    override fun check(layerName: String) {
        requirePositive(layerName, "filters", filters)
        requireBias(layerName, useBias, biasConstraint)
    }
}

/** Adds a `Conv1D` layer. */
public fun ModelBuilder.conv1d(
    filters: Int, kernelSize: Int, activation: String = "linear", block: ConvBuilder.() -> Unit = {},
): Layer = add(ConvBuilder(1, filters, kernelSize).also { it.activation = activation }, block)

/** Adds a `Conv2D` layer; set `kernelSize = listOf(3, 5)` in the block for non-square kernels. */
public fun ModelBuilder.conv2d(
    filters: Int, kernelSize: Int, activation: String = "linear", block: ConvBuilder.() -> Unit = {},
): Layer = add(ConvBuilder(2, filters, kernelSize).also { it.activation = activation }, block)

/** Adds a `Conv3D` layer. */
public fun ModelBuilder.conv3d(
    filters: Int, kernelSize: Int, activation: String = "linear", block: ConvBuilder.() -> Unit = {},
): Layer = add(ConvBuilder(3, filters, kernelSize).also { it.activation = activation }, block)

/** Adds a `Conv1DTranspose` layer. */
public fun ModelBuilder.conv1dTranspose(
    filters: Int, kernelSize: Int, activation: String = "linear", block: ConvTransposeBuilder.() -> Unit = {},
): Layer = add(ConvTransposeBuilder(1, filters, kernelSize).also { it.activation = activation }, block)

/** Adds a `Conv2DTranspose` layer. */
public fun ModelBuilder.conv2dTranspose(
    filters: Int, kernelSize: Int, activation: String = "linear", block: ConvTransposeBuilder.() -> Unit = {},
): Layer = add(ConvTransposeBuilder(2, filters, kernelSize).also { it.activation = activation }, block)

/** Adds a `Conv3DTranspose` layer. */
public fun ModelBuilder.conv3dTranspose(
    filters: Int, kernelSize: Int, activation: String = "linear", block: ConvTransposeBuilder.() -> Unit = {},
): Layer = add(ConvTransposeBuilder(3, filters, kernelSize).also { it.activation = activation }, block)

/** Adds a `DepthwiseConv1D` layer. */
public fun ModelBuilder.depthwiseConv1d(
    kernelSize: Int, activation: String = "linear", block: DepthwiseConvBuilder.() -> Unit = {},
): Layer = add(DepthwiseConvBuilder(1, kernelSize).also { it.activation = activation }, block)

/** Adds a `DepthwiseConv2D` layer. */
public fun ModelBuilder.depthwiseConv2d(
    kernelSize: Int, activation: String = "linear", block: DepthwiseConvBuilder.() -> Unit = {},
): Layer = add(DepthwiseConvBuilder(2, kernelSize).also { it.activation = activation }, block)

/** Adds a `SeparableConv1D` layer. */
public fun ModelBuilder.separableConv1d(
    filters: Int, kernelSize: Int, activation: String = "linear", block: SeparableConvBuilder.() -> Unit = {},
): Layer = add(SeparableConvBuilder(1, filters, kernelSize).also { it.activation = activation }, block)

/** Adds a `SeparableConv2D` layer. */
public fun ModelBuilder.separableConv2d(
    filters: Int, kernelSize: Int, activation: String = "linear", block: SeparableConvBuilder.() -> Unit = {},
): Layer = add(SeparableConvBuilder(2, filters, kernelSize).also { it.activation = activation }, block)
