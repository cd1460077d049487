package dev.kerb.djl.graph

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.types.DataType
import ai.djl.ndarray.types.Shape
import ai.djl.ndarray.types.SparseFormat
import ai.djl.nn.Activation
import dev.kerb.djl.KerasLayout
import kotlin.math.pow
import kotlin.math.sqrt

/** Dense, Embedding, the dropout and noise layers, Rescaling and the pass-through layers. */
internal object CoreLayers {
    val BUILDERS: Map<String, OpBuilder> = mapOf(
        "Dense" to ::dense,
        "Embedding" to ::embedding,
        "Dropout" to { c -> dropout(c, null) },
        "SpatialDropout1D" to { c -> dropout(c, spatialNoise(c, 1)) },
        "SpatialDropout2D" to { c -> dropout(c, spatialNoise(c, 2)) },
        "SpatialDropout3D" to { c -> dropout(c, spatialNoise(c, 3)) },
        "GaussianNoise" to { c ->
            val stddev = c.args.double("stddev", 0.0)
            single { f, x -> if (f.training) x.add(x.manager.randomNormal(0f, stddev.toFloat(), x.shape, x.dataType)) else x }
        },
        "AlphaDropout" to ::alphaDropout,
        "GaussianDropout" to { c ->
            val rate = c.args.double("rate", 0.0)
            val stddev = sqrt(rate / (1 - rate)).toFloat()
            single { f, x -> if (f.training && rate > 0) x.mul(x.manager.randomNormal(1f, stddev, x.shape, x.dataType)) else x }
        },
        "Rescaling" to { c ->
            val scale = c.args.double("scale", 1.0)
            val offset = c.args.double("offset", 0.0)
            single { _, x -> x.mul(scale).add(offset) }
        },
        "Identity" to { _ -> LayerOp { _, inputs -> inputs } },
        "ActivityRegularization" to { _ -> LayerOp { _, inputs -> inputs } },
    )

    private fun dense(c: LayerContext): LayerOp {
        // In DJL's (out, in) layout PyTorch's linear runs the same matrix product as DJL's Linear, 10% faster than on
        // a transposed view of Keras' (in, out) kernel.
        val kernel = c.parameter("kernel", KerasLayout.DENSE_KERNEL)
        val bias = if (c.args.bool("use_bias", true)) c.parameter("bias") else null
        val activation = Activations.of(c.args.config["activation"], "layer '${c.name}'")
        return with(c) {
            single { f, x ->
                activation(x.getNDArrayInternal().linear(x, f.value(kernel), bias?.let { f.value(it) }).head())
            }
        }
    }

    private fun embedding(c: LayerContext): LayerOp {
        if (c.args.bool("mask_zero", false)) c.unsupported("mask_zero=True (Keras' masks)")
        val embeddings = c.parameter("embeddings")
        return with(c) {
            single { f, x ->
                val indices = x.toType(DataType.INT64, false)
                val flat = indices.reshape(-1)
                val rows = flat.getNDArrayInternal().embedding(flat, f.value(embeddings), SparseFormat.DENSE).head()
                rows.reshape(Shape(*x.shape.shape, rows.shape[1]))
            }
        }
    }

    /** The noise shape of SpatialDropoutND: one draw per sample and channel, shared over the [spatial] axes. */
    private fun spatialNoise(c: LayerContext, spatial: Int): (Shape) -> Shape {
        val channelsFirst = c.args.channelsFirst
        return { shape ->
            val dims = shape.shape.copyOf()
            val first = if (channelsFirst) 2 else 1
            for (a in first until first + spatial) dims[a] = 1
            Shape(*dims)
        }
    }

    /** Keras' dropout: zero with probability `rate`, scale the rest by `1 / (1 - rate)`, only in training. */
    private fun dropout(c: LayerContext, noiseShape: ((Shape) -> Shape)?): LayerOp {
        if (c.args.isSet("noise_shape")) c.unsupported("noise_shape")
        val rate = c.args.double("rate", 0.0).toFloat()
        return single { f, x ->
            when {
                !f.training || rate == 0f -> x
                noiseShape == null -> x.getNDArrayInternal().dropout(x, rate, true).head()
                else -> {
                    val keep = x.manager.randomUniform(0f, 1f, noiseShape(x.shape), x.dataType).gte(rate)
                    x.mul(keep.toType(x.dataType, false)).div(1 - rate)
                }
            }
        }
    }

    /**
     * Keras' AlphaDropout: in training, each value is dropped with probability `rate` to SELU's negative saturation
     * `alpha_p`, then all are mapped by `a * x + b`, which keeps SELU's mean and variance; the identity otherwise.
     */
    private fun alphaDropout(c: LayerContext): LayerOp {
        if (c.args.isSet("noise_shape")) c.unsupported("noise_shape")
        val rate = c.args.double("rate", 0.0)
        val alphaP = -Activations.SELU_ALPHA * Activations.SELU_SCALE
        val a = ((1 - rate) * (1 + rate * alphaP * alphaP)).pow(-0.5)
        val b = -a * alphaP * rate
        return single { f, x ->
            if (!f.training || rate <= 0) x else {
                val kept = x.manager.randomUniform(0f, 1f, x.shape, x.dataType).gte(rate).toType(x.dataType, false)
                x.mul(kept).add(kept.neg().add(1).mul(alphaP)).mul(a).add(b)
            }
        }
    }
}

/** Activation and the activation layers with settings of their own. */
internal object ActivationLayers {
    val BUILDERS: Map<String, OpBuilder> = mapOf(
        "Activation" to { c ->
            val activation = Activations.of(c.args.config["activation"], "layer '${c.name}'")
            single { _, x -> activation(x) }
        },
        "ReLU" to { c ->
            val maxValue = c.args.config["max_value"]?.let { c.args.double("max_value", Double.NaN) }?.takeUnless { it.isNaN() }
            val slope = c.args.double("negative_slope", 0.0)
            val threshold = c.args.double("threshold", 0.0)
            single { _, x -> relu(x, slope, maxValue, threshold) }
        },
        "LeakyReLU" to { c ->
            val slope = c.args.double("negative_slope", c.args.double("alpha", 0.3))
            single { _, x -> Activations.leakyRelu(x, slope) }
        },
        "ELU" to { c ->
            val alpha = c.args.double("alpha", 1.0)
            single { _, x -> Activations.elu(x, alpha) }
        },
        "Softmax" to { c ->
            val axes = c.args.intList("axis") ?: listOf(-1)
            single { _, x ->
                if (axes.size == 1) x.softmax(axes[0]) else {
                    val dims = axes.map { if (it < 0) it + x.shape.dimension() else it }.toIntArray()
                    val shifted = x.sub(x.max(dims, true))
                    shifted.exp().div(shifted.exp().sum(dims, true))
                }
            }
        },
        // Keras 2's ThresholdedReLU, which Keras 3.15.1 keeps only in `keras._legacy.layers`: `x * (x > theta)`.
        "ThresholdedReLU" to { c ->
            val theta = c.args.double("theta", 1.0)
            single { _, x -> x.mul(x.gt(theta).toType(x.dataType, false)) }
        },
        "PReLU" to { c ->
            val alpha = c.parameter("alpha")
            with(c) { single { f, x -> Activation.relu(x).sub(f.value(alpha).mul(Activation.relu(x.neg()))) } }
        },
    )

    /** Keras' `relu(x, negative_slope, max_value, threshold)`, step by step as `keras.activations.relu` computes it. */
    fun relu(input: NDArray, slope: Double, maxValue: Double?, threshold: Double): NDArray {
        val negative = if (slope != 0.0) Activation.relu(input.neg().add(threshold)) else null
        var x = if (threshold != 0.0) input.mul(input.gt(threshold).toType(input.dataType, false)) else Activation.relu(input)
        if (maxValue != null) x = x.clip(0, maxValue)
        return if (negative != null) x.sub(negative.mul(slope)) else x
    }
}
