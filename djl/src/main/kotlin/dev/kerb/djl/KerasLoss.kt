package dev.kerb.djl

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDList
import ai.djl.ndarray.types.DataType
import ai.djl.training.loss.Loss
import dev.kerb.registry.ConfigException

/**
 * A Keras loss in DJL: Keras 3.15.1's formula per sample (`keras/src/losses/losses.py` and the JAX backend's
 * `nn.py`), averaged over the batch (`sum_over_batch_size`) and summed over a model's outputs, as `model.compile`
 * does. DJL's own losses differ: its `L2Loss` halves the squared error, and its `SoftmaxCrossEntropyLoss` takes
 * logits only.
 *
 * @property kerasName the Keras name this loss was made from, e.g. `sparse_categorical_crossentropy`
 * @property fromLogits whether predictions are logits rather than probabilities
 */
public class KerasLoss private constructor(
    public val kerasName: String,
    public val fromLogits: Boolean,
    private val perElement: (label: NDArray, prediction: NDArray, fromLogits: Boolean) -> NDArray,
) : Loss(kerasName) {
    override fun evaluate(labels: NDList, predictions: NDList): NDArray {
        require(labels.size == predictions.size) {
            "the model has ${predictions.size} outputs but ${labels.size} targets were given"
        }
        return labels.zip(predictions).map { (label, prediction) ->
            perElement(label.toType(prediction.dataType, false), prediction, fromLogits).mean()
        }.reduce { a, b -> a.add(b) }
    }

    /** Returns the share of samples whose prediction is right, as Keras' `accuracy` metric judges it for this loss. */
    public fun accuracy(label: NDArray, prediction: NDArray): Double {
        val right = when (kerasName) {
            "binary_crossentropy" -> {
                val threshold = if (fromLogits) 0.0 else 0.5
                prediction.gt(threshold).toType(DataType.FLOAT32, false).eq(label.toType(DataType.FLOAT32, false))
            }
            "categorical_crossentropy" -> prediction.argMax(-1).eq(label.argMax(-1))
            "sparse_categorical_crossentropy" -> prediction.argMax(-1).eq(label.toType(DataType.INT64, false)
                .reshape(prediction.shape.slice(0, prediction.shape.dimension() - 1)))
            else -> return Double.NaN
        }
        return right.toType(DataType.FLOAT64, false).mean().getDouble()
    }

    override fun toString(): String = "KerasLoss($kerasName${if (fromLogits) ", from_logits" else ""})"

    public companion object {
        /** Keras' `epsilon()`, which clips probabilities away from 0 and 1. */
        private const val EPSILON = 1e-7

        private val LOSSES: Map<String, (NDArray, NDArray, Boolean) -> NDArray> = mapOf(
            "mean_squared_error" to { y, p, _ -> p.sub(y).square() },
            "mean_absolute_error" to { y, p, _ -> p.sub(y).abs() },
            "binary_crossentropy" to { y, p, logits ->
                if (logits) {
                    // -y log σ(p) - (1 - y) log σ(-p), with log σ(p) = -softplus(-p).
                    y.mul(softplus(p.neg())).add(y.neg().add(1).mul(softplus(p)))
                } else {
                    val q = p.clip(EPSILON, 1 - EPSILON)
                    y.mul(q.log()).add(y.neg().add(1).mul(q.neg().add(1).log())).neg()
                }
            },
            "categorical_crossentropy" to { y, p, logits -> y.mul(logProbabilities(p, logits)).sum(intArrayOf(-1)).neg() },
            "sparse_categorical_crossentropy" to { y, p, logits ->
                val classes = p.shape[p.shape.dimension() - 1].toInt()
                val oneHot = y.toType(DataType.INT64, false).reshape(p.shape.slice(0, p.shape.dimension() - 1))
                    .oneHot(classes, p.dataType)
                oneHot.mul(logProbabilities(p, logits)).sum(intArrayOf(-1)).neg()
            },
        )

        private val ALIASES = mapOf("mse" to "mean_squared_error", "mae" to "mean_absolute_error",
            "MeanSquaredError" to "mean_squared_error", "MeanAbsoluteError" to "mean_absolute_error",
            "BinaryCrossentropy" to "binary_crossentropy", "CategoricalCrossentropy" to "categorical_crossentropy",
            "SparseCategoricalCrossentropy" to "sparse_categorical_crossentropy")

        /** The loss names Kerb computes, aliases included, sorted. */
        @JvmStatic
        public val names: List<String> get() = (LOSSES.keys + ALIASES.keys).sorted()

        /**
         * Returns the Keras loss named [name] (`mse`, `categorical_crossentropy`, `SparseCategoricalCrossentropy`).
         *
         * @throws ConfigException if Kerb does not compute that loss; the message lists those it does
         */
        @JvmStatic
        @JvmOverloads
        public fun of(name: String, fromLogits: Boolean = false): KerasLoss {
            val canonical = ALIASES[name] ?: name
            val loss = LOSSES[canonical] ?: throw ConfigException("unknown loss '$name'; Kerb computes ${names.joinToString()}")
            return KerasLoss(canonical, fromLogits, loss)
        }

        private fun softplus(x: NDArray): NDArray = x.maximum(0).add(x.abs().neg().exp().add(1).log())

        /** Log-probabilities as Keras takes them: log-softmax of logits, else the clipped log of normalized values. */
        private fun logProbabilities(p: NDArray, logits: Boolean): NDArray =
            if (logits) p.logSoftmax(-1) else p.div(p.sum(intArrayOf(-1), true)).clip(EPSILON, 1 - EPSILON).log()
    }
}
