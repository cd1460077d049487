package dev.kerb.model.catalog

// EinsumDense and the attention layers (keras/src/layers/core/einsum_dense.py, keras/src/layers/attention).

/** The shapes Keras' `_analyze_einsum_string` derives: kernel, bias (null without `bias_axes`) and output. */
internal class EinsumShapes(val kernel: Dims, val bias: Dims?, val output: Dims)

/** `ab,bc->ac`, matched at the start as Python's `re.match` does. */
private val PLAIN_EINSUM = Regex("^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)")
/** `...ab,bc->...ac`, with `...` replaced by `0`. */
private val LEFT_ELIDED_EINSUM = Regex("^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)")
/** `ab...,bc->ac...`, with `...` replaced by `0`. */
private val RIGHT_ELIDED_EINSUM = Regex("^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0")

/**
 * Keras' `_analyze_einsum_string` for an EinsumDense of [equation] with [biasAxes] and the user's [partialOutput] on
 * [input]; a null [input] stands for one of unknown dimensions and the least rank the equation takes.
 *
 * @throws ShapeMisfit with Keras' reason when the equation does not fit the input
 */
internal fun analyzeEinsum(equation: String, biasAxes: String?, input: Dims?, partialOutput: Dims): EinsumShapes {
    val replaced = equation.replace("...", "0")
    val patterns = listOf(PLAIN_EINSUM to false, LEFT_ELIDED_EINSUM to true, RIGHT_ELIDED_EINSUM to false)
    for ((pattern, leftElided) in patterns) {
        val (inputSpec, weightSpec, outputSpec) = pattern.find(replaced)?.destructured ?: continue
        val shape = input ?: List(inputSpec.length + if (leftElided) 1 else 0) { null }
        return analyzeSplit(inputSpec, weightSpec, outputSpec, biasAxes, shape, partialOutput, leftElided,
            placeholder = input == null)
    }
    throw ShapeMisfit("Invalid einsum equation '$equation'. Equations must be in the form [X],[Y]->[Z], " +
        "...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")
}

/**
 * Keras' `_analyze_split_string`, its Python indexing errors included; [placeholder] says that [input]'s dimensions are
 * not known, only its rank.
 */
private fun analyzeSplit(
    inputSpec: String, weightSpec: String, outputSpec: String, biasAxes: String?, input: Dims, partialOutput: Dims,
    leftElided: Boolean, placeholder: Boolean,
): EinsumShapes {
    val elided = input.size - inputSpec.length
    val output = partialOutput.toMutableList()
    output.add(0, input.at(0, "tuple"))
    if (elided > 0 && leftElided) {
        // Keras inserts each elided dimension at 1, so that more than one comes out in reverse order.
        for (i in 1 until elided) output.add(1, input[i])
    } else if (elided > 0) {
        for (i in input.size - elided until input.size) output.add(input[i])
    }
    val inputAxes = inputSpec.withIndex().associate { (i, c) -> c to if (leftElided) i + elided - input.size else i }
    val outputAxes = outputSpec.withIndex().associate { (i, c) -> c to if (leftElided) i + elided else i }
    for (c in inputSpec) {
        val inputDim = input.at(inputAxes.getValue(c), "tuple")
        val outputDim = outputAxes[c]?.let { output.at(it, "list") }
        // A placeholder's null stands for a size that may well be the output's, so only a known input is checked.
        expect(placeholder || outputDim == null || outputDim == inputDim) {
            "Input shape and output shape do not match at shared dimension '$c'. " +
                "Input shape is ${inputDim ?: "None"}, and output shape is $outputDim."
        }
    }
    for (c in outputSpec) {
        expect(c in inputSpec || c in weightSpec) {
            "Dimension '$c' was specified in the output '$outputSpec' but has no corresponding dim in the input spec " +
                "'$inputSpec' or weight spec '$outputSpec'"
        }
    }
    val kernel = weightSpec.map { c ->
        val outputAxis = outputAxes[c]
        val inputAxis = inputAxes[c]
        when {
            outputAxis != null -> output.at(outputAxis, "list")
            inputAxis != null -> input.at(inputAxis, "tuple")
            else -> throw ShapeMisfit("Weight dimension '$c' did not have a match in either the input spec '$inputSpec' " +
                "or the output spec '$outputSpec'. For this layer, the weight must be fully specified.")
        }
    }
    val bias = biasAxes?.let { axes ->
        val offset = if (leftElided) elided else 0
        val sizes = outputSpec.withIndex().associate { (i, c) -> c to output.at(i + offset, "list") }
        for (c in axes) {
            expect(c in outputSpec) { "Bias dimension '$c' was requested, but is not part of the output spec '$outputSpec'" }
        }
        expect(axes.isNotEmpty()) { "min() arg is an empty sequence" }
        val first = axes.minOf { outputSpec.indexOf(it) }
        val trailing = if (leftElided) 0 else maxOf(elided, 0)
        outputSpec.substring(first).map { if (it in axes) sizes[it] else 1 } + List(trailing) { 1 }
    }
    return EinsumShapes(kernel, bias, output)
}

/** Python's indexing of a [kind] (`tuple` or `list`), negative indices included, with its IndexError's text. */
private fun Dims.at(index: Int, kind: String): Int? {
    val i = if (index < 0) index + size else index
    expect(i in indices) { "$kind index out of range" }
    return this[i]
}

/** The variables of an EinsumDense of [shapes]: kernel, then bias when it has one. */
private fun einsumWeights(shapes: EinsumShapes): LayerWeights =
    LayerWeights(listOfNotNull(variable("kernel", shapes.kernel), shapes.bias?.let { variable("bias", it) }))

/** An int-or-list shape argument (`output_shape`), or null when absent. */
private fun LayerArgs.shapeArg(key: String): Dims? = dims(key) ?: int(key)?.let { listOf(it) }

/** `EinsumDense(equation, output_shape, bias_axes)`: kernel and bias shaped as the equation says. */
private object EinsumDenseType : LayerType("EinsumDense") {
    /** The layer's shapes on [input] (null when unknown). */
    private fun shapes(layer: LayerArgs, input: Dims?): EinsumShapes = analyzeEinsum(layer.string("equation", ""),
        layer.string("bias_axes"), input, layer.shapeArg("output_shape").orEmpty())

    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val shapes = shapes(layer, inputs[0])
        requireDefinedShapes(layer, einsumWeights(shapes))
        expect(layer.int("lora_rank", 0) == 0 || !layer.isSet("kernel_constraint")) {
            "Lora is incompatible with kernel constraints. In order to enable lora on this layer, remove the " +
                "`kernel_constraint` argument."
        }
        return listOf(shapes.output)
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights = try {
        einsumWeights(shapes(layer, inputs?.get(0)))
    } catch (misfit: ShapeMisfit) {
        if (inputs != null) throw misfit
        LayerWeights(listOf(variable("kernel", listOf(null))))
    }
}

/** Keras' `_build_proj_equation`: the equation, bias axes and output rank of an attention projection. */
private fun projection(freeDims: Int, boundDims: Int, outputDims: Int): Triple<String, String, Int> {
    val letters = 'a'..'z'
    val free = letters.take(maxOf(freeDims, 0)).joinToString("")
    val bound = letters.drop(free.length).take(boundDims).joinToString("")
    val out = letters.drop(free.length + boundDims).take(outputDims).joinToString("")
    return Triple("$free$bound,$bound$out->$free$out", out, free.length + out.length)
}

/** Keras' `_get_output_shape`: [known] after as many unknown dimensions as make [rank]. */
private fun partialShape(rank: Int, known: Dims): Dims = List(maxOf(rank - known.size, 0)) { null } + known

/** The dimensions of [shape] but its first and last, as Python's `shape[1:-1]`. */
private fun inner(shape: Dims): Dims = if (shape.size > 2) shape.subList(1, shape.size - 1) else emptyList()

/** Keras' check that `key` matches `value` in all but its last dimension. */
private fun requireKeyMatchesValue(value: Dims, key: Dims) = expect(inner(value) == inner(key)) {
    "All dimensions of `value` and `key`, except the last one, must be equal. Received: value_shape=${value.text()} " +
        "and key_shape=${key.text()}"
}

/** An EinsumDense sublayer of an attention layer: its h5 group, its name and its shapes. */
private class Projection(val attribute: String, val name: String, val shapes: EinsumShapes) {
    /** The sublayer as a part of its layer. */
    val part: Part get() = Part(attribute, name, "EinsumDense", einsumWeights(shapes))
}

/**
 * An attention layer called as `(query, value, key=value)` whose variables all live in its EinsumDense projections
 * ([projections], in the order Keras' `build` creates them).
 */
private abstract class ProjectedAttention(className: String) : LayerType(className) {
    override val call: CallConvention get() = CallConvention.ATTENTION

    /** The projections Keras' `build` creates for these inputs, in its order. */
    abstract fun projections(layer: LayerArgs, query: Dims, value: Dims, key: Dims): List<Projection>

    /** Keras' check that every variable the projections create for these inputs has a known shape. */
    fun requireDefinedProjections(layer: LayerArgs, query: Dims, value: Dims, key: Dims) =
        requireDefinedShapes(layer, LayerWeights(emptyList(), projections(layer, query, value, key).map { it.part }))

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val unknown = listOf(null, null, null)
        val query = inputs?.getOrNull(0) ?: unknown
        val value = inputs?.getOrNull(1) ?: unknown
        val key = inputs?.getOrNull(2) ?: value
        return LayerWeights(emptyList(), projections(layer, query, value, key).map { it.part })
    }
}

/** `MultiHeadAttention`: EinsumDense projections `query`, `key`, `gate` (with `use_gate`), `value`, `attention_output`. */
private object MultiHeadAttentionType : ProjectedAttention("MultiHeadAttention") {
    override fun projections(layer: LayerArgs, query: Dims, value: Dims, key: Dims): List<Projection> {
        val heads = layer.int("num_heads")
        val keyDim = layer.int("key_dim")
        val valueDim = layer.int("value_dim") ?: keyDim
        val bias = layer.bool("use_bias", true)
        fun project(attribute: String, name: String, input: Dims, last: Dims): Projection {
            val (equation, axes, rank) = projection(input.size - 1, 1, 2)
            val shapes = analyzeEinsum(equation, axes.takeIf { bias }, input, partialShape(rank - 1, last))
            return Projection(attribute, name, shapes)
        }
        val queryDense = project("query_dense", "query", query, listOf(heads, keyDim))
        val keyDense = project("key_dense", "key", key, listOf(heads, keyDim))
        val gate = project("_gate_dense", "gate", query, listOf(heads, valueDim)).takeIf { layer.bool("use_gate", false) }
        val valueDense = project("value_dense", "value", value, listOf(heads, valueDim))
        val outputShape = outputShape(layer) ?: listOf(query.at(-1, "tuple"))
        val (equation, axes, rank) = projection(query.size - 1, 2, outputShape.size)
        val outputInput = queryDense.shapes.output.dropLast(1) + valueDim
        val output = Projection("output_dense", "attention_output",
            analyzeEinsum(equation, axes.takeIf { bias }, outputInput, partialShape(rank - 1, outputShape)))
        return listOfNotNull(queryDense, keyDense, gate, valueDense, output)
    }

    /** The `output_shape` argument, null when Keras treats it as not given. */
    private fun outputShape(layer: LayerArgs): Dims? =
        layer.shapeArg("output_shape")?.takeIf { it.isNotEmpty() && layer.int("output_shape") != 0 }

    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        expect(inputs.size >= 2) { "missing a required argument: 'value'" }
        val (query, value) = inputs
        val key = inputs.getOrElse(2) { value }
        requireKeyMatchesValue(value, key)
        requireDefinedProjections(layer, query, value, key)
        return listOf(outputShape(layer)?.let { query.dropLast(1) + it } ?: query)
    }

}

/** `GroupQueryAttention`: query and gate projections to `num_query_heads`, key and value to `num_key_value_heads`. */
private object GroupQueryAttentionType : ProjectedAttention("GroupQueryAttention") {
    override fun projections(layer: LayerArgs, query: Dims, value: Dims, key: Dims): List<Projection> {
        val headDim = layer.int("head_dim")
        val queryHeads = layer.int("num_query_heads")
        val keyValueHeads = layer.int("num_key_value_heads")
        val bias = layer.bool("use_bias", true)
        fun project(attribute: String, name: String, equation: String, axes: String, input: Dims, output: Dims) =
            Projection(attribute, name, analyzeEinsum(equation, axes.takeIf { bias }, input, output))
        return listOfNotNull(
            project("_query_dense", "query", "bqm,muh->bquh", "uh", query, listOf(null, queryHeads, headDim)),
            project("_key_dense", "key", "bkm,mvh->bkvh", "vh", key, listOf(null, keyValueHeads, headDim)),
            if (layer.bool("use_gate", false)) {
                project("_gate_dense", "gate", "bqm,muh->bquh", "uh", query, listOf(null, queryHeads, headDim))
            } else null,
            project("_value_dense", "value", "bkm,mvh->bkvh", "vh", value, listOf(null, keyValueHeads, headDim)),
            project("_output_dense", "attention_output", "bquh,uhm->bqm", "m", listOf(null, null, queryHeads, headDim),
                listOf(null, query.at(-1, "tuple"))),
        )
    }

    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        expect(inputs.size >= 2) { "missing a required argument: 'value'" }
        val (query, value) = inputs
        val key = inputs.getOrElse(2) { value }
        requireDefinedProjections(layer, query, value, key)
        // Keras raises these from compute_output_spec, wrapped in a text that names the call's tensors; this is its reason.
        expect(query.lastOrNull() == value.lastOrNull()) {
            "The last dimension of `query_shape` and `value_shape` must be equal, but are ${query.lastOrNull() ?: "None"}, " +
                "${value.lastOrNull() ?: "None"}. Received: query_shape=${query.text()}, value_shape=${value.text()}"
        }
        requireKeyMatchesValue(value, key)
        return listOf(query)
    }

}

/** `Attention` and `AdditiveAttention`: called on `[query, value]` or `[query, value, key]`; `(..., Tq, value dim)`. */
private object DotAttentionType : LayerType("Attention", "AdditiveAttention") {
    override val call: CallConvention get() = CallConvention.LIST

    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        expect(inputs.size in 2..3) {
            "${layer.className} layer accepts inputs list of length 2 or 3, namely [query, value] or " +
                "[query, value, key]. Received length: ${inputs.size}."
        }
        requireDefinedShapes(layer, weights(layer, inputs))
        return listOf(inputs[0].dropLast(1) + inputs[1].lastOrNull())
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        if (layer.className == "AdditiveAttention") {
            val scale = VariableSpec("scale", listOf(inputs?.getOrNull(0)?.lastOrNull()), fixedInitializer = "glorot_uniform")
            return LayerWeights(listOfNotNull(scale.takeIf { layer.bool("use_scale", true) }))
        }
        return LayerWeights(listOfNotNull(VariableSpec("scale", emptyList(), fixedInitializer = "ones").takeIf { layer.bool("use_scale", false) },
            VariableSpec("concat_score_weight", emptyList(), fixedInitializer = "ones").takeIf { layer.string("score_mode") == "concat" }))
    }
}

/** The attention layer types, EinsumDense's and the normalization layers'. */
internal val ATTENTION_TYPES: List<LayerType> =
    listOf(EinsumDenseType, MultiHeadAttentionType, GroupQueryAttentionType, DotAttentionType) + NORMALIZATION_TYPES
