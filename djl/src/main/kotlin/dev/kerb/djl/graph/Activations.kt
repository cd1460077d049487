package dev.kerb.djl.graph

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDArrays
import ai.djl.nn.Activation
import dev.kerb.registry.ConfigException
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlin.math.sqrt

/** Keras 3.15.1's activations by name (`keras/src/activations/activations.py`), in DJL's NDArray operations. */
internal object Activations {
    /** SELU's `alpha`, which AlphaDropout shares. */
    const val SELU_ALPHA = 1.6732632423543772

    /** SELU's `scale`, which AlphaDropout shares. */
    const val SELU_SCALE = 1.0507009873554805

    private val BY_NAME: Map<String, (NDArray) -> NDArray> = mapOf(
        "linear" to { x -> x },
        "relu" to { x -> Activation.relu(x) },
        "relu6" to { x -> x.clip(0, 6) },
        "leaky_relu" to { x -> leakyRelu(x, 0.2) },
        "elu" to { x -> elu(x, 1.0) },
        "selu" to { x -> elu(x, SELU_ALPHA).mul(SELU_SCALE) },
        "celu" to { x -> x.maximum(0).add(x.exp().sub(1).minimum(0)) },
        "exponential" to NDArray::exp,
        "sigmoid" to Activation::sigmoid,
        "tanh" to NDArray::tanh,
        "softplus" to ::softplus,
        "softsign" to { x -> x.div(x.abs().add(1)) },
        "silu" to ::silu,
        "swish" to ::silu,
        "gelu" to { x -> x.mul(0.5).mul(x.div(sqrt(2.0)).erf().add(1)) },
        "glu" to { x ->
            val halves = x.split(2, x.shape.dimension() - 1)
            halves[0].mul(Activation.sigmoid(halves[1]))
        },
        "hard_sigmoid" to ::hardSigmoid,
        "hard_silu" to { x -> x.mul(hardSigmoid(x)) },
        "hard_swish" to { x -> x.mul(hardSigmoid(x)) },
        "hard_tanh" to { x -> x.clip(-1, 1) },
        "hard_shrink" to { x -> NDArrays.where(x.abs().gt(0.5), x, x.zerosLike()) },
        "soft_shrink" to { x ->
            NDArrays.where(x.gt(0.5), x.sub(0.5), NDArrays.where(x.lt(-0.5), x.add(0.5), x.zerosLike()))
        },
        "tanh_shrink" to { x -> x.sub(x.tanh()) },
        "sparse_plus" to { x ->
            NDArrays.where(x.lte(-1), x.zerosLike(), NDArrays.where(x.gte(1), x, x.add(1).square().div(4)))
        },
        "sparse_sigmoid" to { x -> x.add(1).div(2).clip(0, 1) },
        "squareplus" to { x -> x.add(x.square().add(4).sqrt()).div(2) },
        "log_sigmoid" to { x -> softplus(x.neg()).neg() },
        "mish" to { x -> x.mul(softplus(x).tanh()) },
        "softmax" to { x -> x.softmax(-1) },
        "log_softmax" to { x -> x.logSoftmax(-1) },
        "sparsemax" to { x -> sparsemax(x, x.shape.dimension() - 1) },
    )

    /** The activation names Kerb computes, sorted. */
    val names: List<String> get() = BY_NAME.keys.sorted()

    /**
     * Returns the activation a config value names: a name, or Keras 3's serialized function.
     *
     * @throws ConfigException naming [where] if Kerb does not compute it
     */
    fun of(value: JsonElement?, where: String): (NDArray) -> NDArray =
        BY_NAME[name(value)] ?: throw ConfigException("$where: activation $value is not one Kerb computes in DJL; " +
            "it computes ${names.joinToString()}")

    /** Returns the name a config value gives an activation (`linear` for none), or null when it names none. */
    fun name(value: JsonElement?): String? = when (value) {
        null, is JsonNull -> "linear"
        is JsonPrimitive -> value.content
        is JsonObject -> ((value["config"] as? JsonPrimitive) ?: (value["class_name"] as? JsonPrimitive))?.content
        else -> null
    }

    fun leakyRelu(x: NDArray, slope: Double): NDArray = NDArrays.where(x.gte(0), x, x.mul(slope))

    fun elu(x: NDArray, alpha: Double): NDArray = NDArrays.where(x.gt(0), x, x.exp().sub(1).mul(alpha))

    /** `log(1 + exp(x))` without overflow: `max(x, 0) + log(1 + exp(-|x|))`. */
    private fun softplus(x: NDArray): NDArray = x.maximum(0).add(x.abs().neg().exp().add(1).log())

    private fun silu(x: NDArray): NDArray = x.mul(Activation.sigmoid(x))

    private fun hardSigmoid(x: NDArray): NDArray = x.add(3).clip(0, 6).div(6)

    /**
     * Sparsemax over [axis] as Keras 3.15.1's JAX backend computes it: its threshold sums the cumulative sums over the
     * support, `tau = (sum(cumsum[support]) - 1) / k`, where Martins and Astudillo take the k-th cumulative sum only.
     */
    private fun sparsemax(x: NDArray, axis: Int): NDArray {
        val sorted = x.sort(axis).flip(axis)
        val cumulative = sorted.cumSum(axis)
        val n = x.shape[axis]
        val shape = LongArray(x.shape.dimension()) { if (it == axis) n else 1L }
        val r = x.manager.arange(1f, n + 1f).reshape(*shape).toType(x.dataType, false)
        val support = sorted.sub(cumulative.sub(1).div(r)).gt(0).toType(x.dataType, false)
        val k = support.sum(intArrayOf(axis), true)
        val tau = cumulative.mul(support).sum(intArrayOf(axis), true).sub(1).div(k)
        return x.sub(tau).maximum(0)
    }
}
