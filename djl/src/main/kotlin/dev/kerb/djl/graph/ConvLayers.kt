package dev.kerb.djl.graph

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.index.NDIndex
import ai.djl.ndarray.types.Shape

/**
 * The convolutions: ConvND, ConvNDTranspose, DepthwiseConvND and SeparableConvND. Keras' kernels (window..., in,
 * out) are moved to PyTorch's (out, in, window...) as they are used, and `channels_last` values to channels first
 * around each convolution; Keras' `same` padding, which puts the odd pixel after, is padded explicitly when uneven.
 */
internal object ConvLayers {
    val BUILDERS: Map<String, OpBuilder> = mapOf(
        "Conv1D" to { c -> conv(c, 1) },
        "Conv2D" to { c -> conv(c, 2) },
        "Conv3D" to { c -> conv(c, 3) },
        "Conv1DTranspose" to { c -> transpose(c, 1) },
        "Conv2DTranspose" to { c -> transpose(c, 2) },
        "Conv3DTranspose" to { c -> transpose(c, 3) },
        "DepthwiseConv1D" to { c -> depthwise(c, 1) },
        "DepthwiseConv2D" to { c -> depthwise(c, 2) },
        "SeparableConv1D" to { c -> separable(c, 1) },
        "SeparableConv2D" to { c -> separable(c, 2) },
        // The older names Keras 3.15.1 still exports for the same classes.
        "Convolution1D" to { c -> conv(c, 1) },
        "Convolution2D" to { c -> conv(c, 2) },
        "Convolution3D" to { c -> conv(c, 3) },
        "Convolution1DTranspose" to { c -> transpose(c, 1) },
        "Convolution2DTranspose" to { c -> transpose(c, 2) },
        "Convolution3DTranspose" to { c -> transpose(c, 3) },
        "SeparableConvolution1D" to { c -> separable(c, 1) },
        "SeparableConvolution2D" to { c -> separable(c, 2) },
    )

    /** A convolution's window settings, read from its config. */
    private class Window(c: LayerContext, val spatial: Int) {
        val kernel = c.args.ints("kernel_size", spatial, 1)
        val strides = c.args.ints("strides", spatial, 1)
        val dilation = c.args.ints("dilation_rate", spatial, 1)
        val padding = c.args.string("padding", "valid").lowercase()
        val channelsFirst = c.args.channelsFirst
        val activation = Activations.of(c.args.config["activation"], "layer '${c.name}'")

        init {
            if (padding !in setOf("valid", "same", "causal")) c.unsupported("padding '$padding'")
        }

        /** Moves a `channels_last` input to channels first. */
        fun toChannelsFirst(x: NDArray): NDArray = if (channelsFirst) x else x.transpose(0, spatial + 1, *(1..spatial).toList().toIntArray())

        /** Moves a channels-first output back to the layer's format. */
        fun fromChannelsFirst(y: NDArray): NDArray = if (channelsFirst) y else y.transpose(0, *(2..spatial + 1).toList().toIntArray(), 1)

        /** Pads a channels-first input as Keras' `same` or `causal` padding does; returns it and PyTorch's even padding. */
        fun pad(x: NDArray): NDArray {
            if (padding == "valid") return x
            val pairs = (0 until spatial).map { i ->
                val size = x.shape[i + 2]
                val span = (kernel[i] - 1L) * dilation[i] + 1
                if (padding == "causal") return@map span - 1 to 0L
                val total = maxOf((ceilDiv(size, strides[i].toLong()) - 1) * strides[i] + span - size, 0L)
                total / 2 to total - total / 2
            }
            if (pairs.all { it.first == 0L && it.second == 0L }) return x
            return x.pad(Shape(*pairs.asReversed().flatMap { listOf(it.first, it.second) }.toLongArray()), 0.0)
        }

        fun stride() = Shape(*strides.map { it.toLong() }.toLongArray())
        fun dilation() = Shape(*dilation.map { it.toLong() }.toLongArray())
        fun zeros() = Shape(*LongArray(spatial))
    }

    /** Keras' kernel (window..., in, out) as PyTorch's (out, in, window...). */
    private fun torchKernel(kernel: NDArray, spatial: Int): NDArray =
        kernel.transpose(spatial + 1, spatial, *(0 until spatial).toList().toIntArray())

    private fun conv(c: LayerContext, spatial: Int): LayerOp {
        val w = Window(c, spatial)
        val kernel = c.parameter("kernel")
        val bias = if (c.args.bool("use_bias", true)) c.parameter("bias") else null
        val groups = c.args.int("groups", 1)
        return with(c) {
            single { f, x ->
                val input = w.pad(w.toChannelsFirst(x)).let { if (groups > 1) rowMajor(it) else it }
                val y = input.getNDArrayInternal().convolution(input, torchKernel(f.value(kernel), spatial),
                    bias?.let { f.value(it) }, w.stride(), w.zeros(), w.dilation(), groups).head()
                w.activation(w.fromChannelsFirst(y))
            }
        }
    }

    /**
     * A transposed convolution as JAX computes Keras' (`conv_transpose` with `transpose_kernel=True`): the input
     * dilated by the strides (zeros between values), padded as Keras' padding rules give, and convolved with the
     * kernel flipped in space, its filters as outputs. DJL's PyTorch engine has no transposed convolution of its own.
     */
    private fun transpose(c: LayerContext, spatial: Int): LayerOp {
        val w = Window(c, spatial)
        if (w.padding == "causal") c.unsupported("causal padding")
        val outputPadding = c.args.intList("output_padding")?.let { if (it.size == 1) List(spatial) { _ -> it[0] } else it }
        val kernel = c.parameter("kernel")
        val bias = if (c.args.bool("use_bias", true)) c.parameter("bias") else null
        val pads = (0 until spatial).map { i ->
            val span = (w.kernel[i] - 1) * w.dilation[i] + 1
            val stride = w.strides[i]
            if (w.padding == "valid") {
                span - 1 to span - 1 + (outputPadding?.get(i) ?: (maxOf(span, stride) - span))
            } else {
                val length = if (outputPadding == null) stride + span - 2 else span + span % 2 - 2 + outputPadding[i]
                val left = minOf(length / 2 + length % 2, span - 1)
                left to length - left
            }
        }
        val flat = Shape(*pads.asReversed().flatMap { listOf(it.first.toLong(), it.second.toLong()) }.toLongArray())
        val spatialAxes = (2 until spatial + 2).toList().toIntArray()
        val ones = Shape(*LongArray(spatial) { 1L })
        return with(c) {
            single { f, x ->
                var input = w.toChannelsFirst(x)
                for (i in 0 until spatial) input = dilate(input, i + 2, w.strides[i])
                input = input.pad(flat, 0.0)
                val weight = f.value(kernel).transpose(spatial, spatial + 1, *(0 until spatial).toList().toIntArray())
                    .flip(*spatialAxes)
                val y = input.getNDArrayInternal().convolution(input, weight, bias?.let { f.value(it) }, ones, w.zeros(),
                    w.dilation(), 1).head()
                w.activation(w.fromChannelsFirst(y))
            }
        }
    }

    /** Puts `stride - 1` zeros between the values of [axis]. */
    private fun dilate(x: NDArray, axis: Int, stride: Int): NDArray {
        if (stride == 1) return x
        val last = x.shape.dimension() - 1
        val moved = x.swapAxes(axis, last)
        val length = moved.shape[last]
        val zeros = moved.manager.zeros(Shape(*moved.shape.shape, stride - 1L), moved.dataType)
        val spread = moved.expandDims(last + 1).concat(zeros, last + 1)
            .reshape(Shape(*moved.shape.slice(0, last).shape, length * stride))
        return spread.get(NDIndex("..., :${(length - 1) * stride + 1}")).swapAxes(axis, last)
    }

    /** Keras' depthwise kernel (window..., in, multiplier) as a PyTorch grouped kernel (in * multiplier, 1, window...). */
    private fun depthwiseKernel(kernel: NDArray, spatial: Int): NDArray {
        val dims = kernel.shape.shape
        val merged = kernel.reshape(Shape(*dims.copyOfRange(0, spatial), 1, dims[spatial] * dims[spatial + 1]))
        return torchKernel(merged, spatial)
    }

    private fun depthwise(c: LayerContext, spatial: Int): LayerOp {
        val w = Window(c, spatial)
        val kernel = c.parameter("kernel")
        val bias = if (c.args.bool("use_bias", true)) c.parameter("bias") else null
        return with(c) {
            single { f, x ->
                val input = rowMajor(w.pad(w.toChannelsFirst(x)))
                val y = input.getNDArrayInternal().convolution(input, depthwiseKernel(f.value(kernel), spatial),
                    bias?.let { f.value(it) }, w.stride(), w.zeros(), w.dilation(), input.shape[1].toInt()).head()
                w.activation(w.fromChannelsFirst(y))
            }
        }
    }

    private fun separable(c: LayerContext, spatial: Int): LayerOp {
        val w = Window(c, spatial)
        val depthwise = c.parameter("depthwise_kernel")
        val pointwise = c.parameter("pointwise_kernel")
        val bias = if (c.args.bool("use_bias", true)) c.parameter("bias") else null
        val ones = Shape(*LongArray(spatial) { 1L })
        return with(c) {
            single { f, x ->
                val input = rowMajor(w.pad(w.toChannelsFirst(x)))
                val ex = input.getNDArrayInternal()
                val mid = ex.convolution(input, depthwiseKernel(f.value(depthwise), spatial), null, w.stride(), w.zeros(),
                    w.dilation(), input.shape[1].toInt()).head()
                val y = ex.convolution(mid, torchKernel(f.value(pointwise), spatial), bias?.let { f.value(it) }, ones,
                    w.zeros(), ones, 1).head()
                w.activation(w.fromChannelsFirst(y))
            }
        }
    }

    private fun ceilDiv(a: Long, b: Long): Long = (a + b - 1) / b

    /**
     * Returns [x] in row-major memory: PyTorch 2.7's CPU grouped convolution gives wrong values for an input whose
     * memory is channels-last, as a transposed `channels_last` input is. Flattening copies only such an input.
     */
    private fun rowMajor(x: NDArray): NDArray = x.reshape(-1).reshape(x.shape)
}
