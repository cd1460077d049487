package dev.kerb.djl.graph

import ai.djl.ndarray.NDArray
import ai.djl.nn.Activation
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlin.math.sqrt

/**
 * EinsumDense, MultiHeadAttention, Attention and AdditiveAttention, step by step as Keras 3.15.1 computes them
 * (`keras/src/layers/core/einsum_dense.py`, `keras/src/layers/attention`).
 */
internal object AttentionLayers {
    /** The builders of these layers by Keras class name. */
    val BUILDERS: Map<String, OpBuilder> = mapOf(
        "EinsumDense" to { c ->
            val dense = Projection(c, "", Einsum.elided(c.args.string("equation", ""), c.inputShape.size),
                c.args.string("bias_axes") != null, Activations.of(c.args.config["activation"], "layer '${c.name}'"))
            single { f, x -> dense(f, x) }
        },
        "MultiHeadAttention" to ::multiHeadAttention,
        "Attention" to ::dotAttention,
        "AdditiveAttention" to ::dotAttention,
    )

    /** Keras' large number for masks: a masked score becomes its negative (Softmax) or loses it (Attention). */
    private const val LARGE = 1e9f

    /**
     * An EinsumDense, the layer itself or a sublayer whose variables sit under [path]: the einsum of its input and
     * `kernel`, plus `bias` when it has one, then [activation].
     */
    private class Projection(
        private val c: LayerContext,
        path: String,
        private val einsum: Einsum,
        hasBias: Boolean,
        private val activation: (NDArray) -> NDArray = { it },
    ) {
        private val kernel = c.parameter("${path}kernel")
        private val bias = if (hasBias) c.parameter("${path}bias") else null

        /** Projects [x]. */
        operator fun invoke(f: Forward, x: NDArray): NDArray = with(c) {
            val y = einsum(x, f.value(kernel))
            activation(if (bias == null) y else y.add(f.value(bias)))
        }
    }

    /** MultiHeadAttention: projections, scaled dot-product scores, the masked softmax, dropout, the output projection. */
    private fun multiHeadAttention(c: LayerContext): LayerOp {
        val (queryAt, valueAt, keyAt) = attentionInputs(c)
        if (flag(c, "return_attention_scores")) c.unsupported("return_attention_scores=True")
        val causal = flag(c, "use_causal_mask")
        val window = c.args.int("sliding_window")
        val bias = c.args.bool("use_bias", true)
        val queryRank = c.inputShapes[queryAt].size
        fun project(name: String, rank: Int, bound: Int, outputs: Int, activation: (NDArray) -> NDArray = { it }) =
            Projection(c, "$name/", Einsum(projectionEquation(rank - 1, bound, outputs)), bias, activation)
        val query = project("query", queryRank, 1, 2)
        val key = project("key", c.inputShapes[keyAt].size, 1, 2)
        val value = project("value", c.inputShapes[valueAt].size, 1, 2)
        val gate = if (c.args.bool("use_gate", false)) project("gate", queryRank, 1, 2, Activation::sigmoid) else null
        // Keras treats an `output_shape` of 0 or () as not given: one output axis, the query's size.
        val outputAxes = c.args.intList("output_shape")?.takeIf { it.isNotEmpty() && it != listOf(0) }?.size ?: 1
        val output = project("attention_output", queryRank, 2, outputAxes)
        // `_build_attention` takes the rank of the projected value, its default axes all but batch, heads and channels.
        val rank = c.inputShapes[valueAt].size + 1
        val axes = (c.args.intList("attention_axes") ?: (1 until rank - 2).toList()).map { if (it >= 0) it else rank - 1 + it }
        val (dot, combine) = attentionEquations(rank, axes)
        val scoresRank = rank - 1 + axes.size
        val normAxes = (scoresRank - axes.size until scoresRank).toList().toIntArray()
        val scale = 1.0 / sqrt(c.args.int("key_dim", 1).toDouble())
        val rate = c.args.double("dropout", 0.0).toFloat()
        return LayerOp { f, inputs ->
            val q = query(f, inputs[queryAt]).mul(scale)
            val v = value(f, inputs[valueAt])
            val scores = dot(key(f, inputs[keyAt]), q)
            val mask = positionMask(q, v, causal, window)?.let { expandMask(it, scoresRank, axes.size) }
                ?.toType(q.dataType, false)
            // Keras' Softmax puts -1e9 where the mask is false and zeroes those places after it, as `x·m + (m - 1)·1e9`
            // and `p·m` do exactly for finite scores (DJL's `where` does not broadcast).
            val masked = if (mask == null) scores else scores.mul(mask).add(mask.sub(1).mul(LARGE))
            var probabilities = softmax(masked, normAxes)
            if (mask != null) probabilities = probabilities.mul(mask)
            if (f.training && rate > 0) probabilities = dropout(probabilities, rate)
            val attended = combine(probabilities, v)
            listOf(output(f, if (gate == null) attended else attended.mul(gate(f, inputs[queryAt]))))
        }
    }

    /**
     * The input indices of MultiHeadAttention's `query`, `value` and `key` (`value`'s when not given): positional
     * tensors fill them in that order, as Python binds `call(query, value, key=None, ...)`, keyword tensors by key.
     */
    private fun attentionInputs(c: LayerContext): Triple<Int, Int, Int> {
        val roles = listOf("query", "value", "key")
        val masks = c.keywords.keys - roles.toSet()
        if (masks.isNotEmpty()) c.unsupported("the call arguments ${masks.sorted().joinToString()} (Keras' masks)")
        val positional = c.inputShapes.indices.filter { it !in c.keywords.values }
        if (positional.size > roles.size) c.unsupported("masks passed to the call by position")
        val at = roles.zip(positional).toMap() + c.keywords
        val value = at["value"] ?: c.unsupported("a call without `value`")
        return Triple(at["query"] ?: c.unsupported("a call without `query`"), value, at["key"] ?: value)
    }

    /** Keras' `_build_proj_equation`: [free] axes kept, [bound] summed with the kernel's, [outputs] the kernel adds. */
    private fun projectionEquation(free: Int, bound: Int, outputs: Int): String {
        val letters = ('a'..'z').joinToString("")
        val kept = letters.substring(0, free)
        val summed = letters.substring(free, free + bound)
        val made = letters.substring(free + bound, free + bound + outputs)
        return "$kept$summed,$summed$made->$kept$made"
    }

    /**
     * Keras' `_build_attention_equation` for projections of [rank] attending over [axes]: the einsum of key and query
     * into scores (batch axes and heads, query positions, key positions), and that of scores and value.
     */
    private fun attentionEquations(rank: Int, axes: List<Int>): Pair<Einsum, Einsum> {
        val target = ('a' until 'a' + rank).joinToString("")
        val batch = (0 until rank).filter { it !in axes && it != rank - 1 }
        var next = rank
        val source = (0 until rank).map { if (it in batch || it == rank - 1) target[it] else 'a' + next++ }.joinToString("")
        val product = (batch.map { target[it] } + axes.map { target[it] } + axes.map { source[it] }).joinToString("")
        return Einsum("$source,$target->$product") to Einsum("$product,$source->$target")
    }

    /**
     * Keras' `(1, T, S)` mask of the value positions each query position sees, from axis 1 of [query] and [value]:
     * `use_causal_mask`'s lower triangle, and the band of `sliding_window`; null when neither applies.
     */
    private fun positionMask(query: NDArray, value: NDArray, causal: Boolean, window: Int?): NDArray? {
        if (!causal && window == null) return null
        val t = query.shape[1]
        val s = value.shape[1]
        val rows = query.manager.arange(t.toInt()).reshape(1, t, 1)
        val cols = query.manager.arange(s.toInt()).reshape(1, 1, s)
        val masks = listOfNotNull(if (causal) rows.gte(cols) else null, window?.let { rows.sub(cols).abs().lt(it) })
        return masks.reduce(NDArray::logicalAnd)
    }

    /** Keras' `_masked_softmax`: [mask] given axes before its last 2·[attended] + 1 until it has [rank] axes. */
    private fun expandMask(mask: NDArray, rank: Int, attended: Int): NDArray {
        var expanded = mask
        while (expanded.shape.dimension() < rank) {
            expanded = expanded.expandDims(expanded.shape.dimension() + 1 - (2 * attended + 1))
        }
        return expanded
    }

    /** Keras' Softmax over [axes]: the backend's softmax over one axis, `exp(x - logsumexp(x))` over several. */
    private fun softmax(x: NDArray, axes: IntArray): NDArray {
        if (axes.size == 1) return x.softmax(axes[0])
        // PyTorch's DJL takes the max over one axis at a time.
        val max = axes.fold(x) { m, axis -> m.max(intArrayOf(axis), true) }
        val exp = x.sub(max).exp()
        return exp.div(exp.sum(axes, true))
    }

    /** Dropout of [x] at [rate], scaling what it keeps by `1 / (1 - rate)` as Keras does. */
    private fun dropout(x: NDArray, rate: Float): NDArray = x.getNDArrayInternal().dropout(x, rate, true).head()

    /** Attention (dot or concat scores) and AdditiveAttention, on `[query, value]` or `[query, value, key]`. */
    private fun dotAttention(c: LayerContext): LayerOp {
        if (c.inputShapes.size !in 2..3 || c.keywords.isNotEmpty()) c.unsupported("masks (the call's `mask`)")
        if (flag(c, "return_attention_scores")) c.unsupported("return_attention_scores=True")
        val causal = flag(c, "use_causal_mask")
        val additive = c.args.className == "AdditiveAttention"
        val scale = if (c.args.bool("use_scale", additive)) c.parameter("scale") else null
        val concat = if (!additive && c.args.string("score_mode", "dot") == "concat") c.parameter("concat_score_weight") else null
        val rate = c.args.double("dropout", 0.0).toFloat()
        return with(c) {
            LayerOp { f, inputs ->
                val query = inputs[0]
                val value = inputs[1]
                val key = inputs.getOrElse(2) { value }
                val last = query.shape.dimension() - 1
                val s = scale?.let { f.value(it) }
                val scores = if (additive || concat != null) {
                    // Both sum tanh over every query-key pair: additive scales after tanh, concat inside it.
                    val pairs = query.expandDims(last).add(key.expandDims(last - 1))
                    val summed = if (additive) {
                        (if (s == null) pairs.tanh() else pairs.tanh().mul(s)).sum(intArrayOf(last + 1))
                    } else {
                        (if (s == null) pairs else pairs.mul(s)).tanh().sum(intArrayOf(last + 1))
                    }
                    if (concat == null) summed else summed.mul(f.value(concat))
                } else {
                    val dot = query.matMul(key.swapAxes(last - 1, last))
                    if (s == null) dot else dot.mul(s)
                }
                var weights = (if (causal) masked(scores) else scores).softmax(last)
                if (f.training && rate > 0) weights = dropout(weights, rate)
                listOf(weights.matMul(value))
            }
        }
    }

    /** Attention's causal masking: `scores - 1e9` where a query position comes before a key position. */
    private fun masked(scores: NDArray): NDArray {
        val last = scores.shape.dimension() - 1
        val rows = scores.manager.arange(scores.shape[last - 1].toInt()).reshape(-1, 1)
        val cols = scores.manager.arange(scores.shape[last].toInt()).reshape(1, -1)
        return scores.sub(rows.lt(cols).toType(scores.dataType, false).mul(LARGE))
    }

    /** Whether the first call set keyword argument [name] to true (`use_causal_mask=True`). */
    private fun flag(c: LayerContext, name: String): Boolean = (c.options[name] as? JsonPrimitive)?.booleanOrNull ?: false
}
