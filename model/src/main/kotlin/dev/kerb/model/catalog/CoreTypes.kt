package dev.kerb.model.catalog

// Core, reshaping, merging, activation and regularization layers (keras/src/layers/core, reshaping, merging,
// activations, regularization, preprocessing).

/** Layers whose output has their input's shape and that have no variables. */
private object SameShape : LayerType(
    "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
    "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization", "Masking",
    "Rescaling", "UnitNormalization", "Identity", "ThresholdedReLU",
) {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> = listOf(inputs[0])
}

/** `InputLayer`: no inputs; its output has its `batch_shape` (Keras 2's `batch_input_shape`). */
private object InputLayerType : LayerType("InputLayer") {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> =
        listOf(layer.dims("batch_shape") ?: layer.dims("batch_input_shape") ?: layer.dims("shape")?.let { listOf(null) + it }
            ?: throw ShapeMisfit("InputLayer '${layer.name}' has no batch_shape"))
}

/** `Dense`: kernel `(last input dim, units)`, bias `(units,)`; acts on the last axis. */
private object DenseType : LayerType("Dense") {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        requireMinRank(layer, inputs[0], 2)
        return listOf(inputs[0].dropLast(1) + layer.int("units"))
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val units = layer.int("units")
        return LayerWeights(listOfNotNull(variable("kernel", listOf(inputs?.get(0)?.lastOrNull(), units)),
            variable("bias", listOf(units)).takeIf { layer.bool("use_bias", true) }))
    }
}

/** `Embedding`: embeddings `(input_dim, output_dim)`; appends `output_dim` to the input's shape. */
private object EmbeddingType : LayerType("Embedding") {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> = listOf(inputs[0] + layer.int("output_dim"))

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights =
        LayerWeights(listOf(variable("embeddings", listOf(layer.int("input_dim"), layer.int("output_dim")))))
}

/** `PReLU`: alpha shaped like the input without its batch axis, 1 along `shared_axes`. */
private object PReLUType : LayerType("PReLU") {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> = listOf(inputs[0])

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val input = inputs?.get(0) ?: return LayerWeights(listOf(variable("alpha", listOf(null))))
        val shared = layer.intList("shared_axes").orEmpty()
        val shape = input.drop(1).mapIndexed { i, d -> if (i + 1 in shared) 1 else d }
        return LayerWeights(listOf(variable("alpha", shape)))
    }
}

/** `Flatten`: `(batch, product of the other dims)`. */
private object FlattenType : LayerType("Flatten") {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val rest = inputs[0].drop(1)
        val size = if (rest.any { it == null }) null else rest.fold(1) { a, b -> a * b!! }
        return listOf(listOf(inputs[0][0], size))
    }
}

/** `Reshape`: `target_shape` with one `-1` inferred; the size must stay the same. */
private object ReshapeType : LayerType("Reshape") {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val input = inputs[0].drop(1)
        val target = layer.dims("target_shape").orEmpty()
        val targetText = target.text()
        if (input.any { it == null } || target.any { it == null }) return listOf(listOf(inputs[0][0]) + target.map { if (it == -1) null else it })
        val size = input.fold(1L) { a, b -> a * b!! }
        val known = target.filter { it != -1 }.fold(1L) { a, b -> a * b!! }
        val unknown = target.indexOf(-1)
        if (unknown < 0) {
            expect(size == known) {
                "The total size of the tensor must be unchanged. Received: input_shape=${input.text()}, " +
                    "target_shape=$targetText"
            }
            return listOf(listOf(inputs[0][0]) + target)
        }
        expect(known != 0L && size % known == 0L) {
            "The total size of the tensor must be unchanged, however, the input size cannot by divided by the " +
                "specified dimensions in target_shape. Received: input_shape=${input.text()}, target_shape=$targetText"
        }
        return listOf(listOf(inputs[0][0]) + target.map { if (it == -1) (size / known).toInt() else it })
    }
}

/** `Permute(dims)`: the input's axes in the order of `dims` (1-based, batch kept first). */
private object PermuteType : LayerType("Permute") {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val dims = layer.intList("dims").orEmpty()
        requireRank(layer, inputs[0], dims.size + 1)
        expect(dims.sorted() == (1..inputs[0].size - 1).toList()) {
            "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be " +
                "consecutive and start from 1. Received dims=$dims"
        }
        return listOf(listOf(inputs[0][0]) + dims.map { inputs[0][it] })
    }
}

/** `RepeatVector(n)`: `(batch, n, features)` from `(batch, features)`. */
private object RepeatVectorType : LayerType("RepeatVector") {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        requireRank(layer, inputs[0], 2)
        return listOf(listOf(inputs[0][0], layer.int("n"), inputs[0][1]))
    }
}

/** `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`: element-wise with broadcasting of size-1 dims. */
private object ElementwiseMerge : LayerType("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum") {
    override val call: CallConvention get() = CallConvention.LIST

    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        if (layer.className == "Subtract") {
            expect(inputs.size == 2) { "A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape=${inputs.text()}" }
        }
        val batches = inputs.mapNotNull { it.firstOrNull() }.toSet()
        expect(batches.size <= 1) { "Cannot merge tensors with different batch sizes. Received tensors with shapes ${inputs.text()}" }
        var shape: Dims = inputs[0].drop(1)
        for (next in inputs.drop(1)) shape = broadcast(shape, next.drop(1))
        return listOf(listOf(batches.singleOrNull()) + shape)
    }

    /** Keras' `_compute_elemwise_op_output_shape`. */
    private fun broadcast(a: Dims, b: Dims): Dims {
        if (a.size < b.size) return broadcast(b, a)
        if (b.isEmpty()) return a
        return a.dropLast(b.size) + a.takeLast(b.size).zip(b).map { (i, j) ->
            when {
                i == null || j == null -> null
                i == 1 -> j
                j == 1 -> i
                else -> {
                    expect(i == j) { "Inputs have incompatible shapes. Received shapes ${a.text()} and ${b.text()}" }
                    i
                }
            }
        }
    }
}

/** `Concatenate(axis)`: equal shapes except along the axis, whose sizes add up. */
private object ConcatenateType : LayerType("Concatenate") {
    override val call: CallConvention get() = CallConvention.LIST

    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val axis = layer.int("axis", -1)
        val reason = { "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. " +
            "Received: input_shape=${inputs.text()}" }
        expect(inputs.map { it.size }.toSet().size == 1) { reason() }
        val rank = inputs[0].size
        val at = axisOf(axis, rank)
        expect(at in 0 until rank) { reason() }
        for (d in 0 until rank) {
            if (d == at) continue
            val sizes = inputs.mapNotNull { it[d] }.filter { it != 1 }.toSet()
            expect(sizes.size <= 1 || d == 0) { reason() }
        }
        val out = inputs[0].toMutableList()
        out[at] = if (inputs.any { it[at] == null }) null else inputs.sumOf { it[at]!! }
        return listOf(out)
    }
}

/** `Dot(axes)`: a batched dot product of two tensors along the given axes. */
private object DotType : LayerType("Dot") {
    override val call: CallConvention get() = CallConvention.LIST

    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        expect(inputs.size == 2) { "A `Dot` layer should be called on a list of 2 inputs. Received: input_shape=${inputs.text()}" }
        val (a, b) = inputs
        val given = layer.intList("axes").orEmpty()
        val axes = if (given.size == 1) {
            if (given[0] < 0) listOf(axisOf(given[0], a.size), axisOf(given[0], b.size)) else listOf(given[0], given[0])
        } else given
        expect(a[axes[0]] == b[axes[1]]) {
            "Incompatible input shapes: axis values ${a[axes[0]] ?: "None"} (at axis ${axes[0]}) != " +
                "${b[axes[1]] ?: "None"} (at axis ${axes[1]}). Full input shapes: ${a.text()}, ${b.text()}"
        }
        val out = a.filterIndexed { i, _ -> i != axes[0] } + b.filterIndexed { i, _ -> i != axes[1] && i != 0 }
        return listOf(if (out.size == 1) out + 1 else out)
    }
}

/** `CategoryEncoding(num_tokens)`: the last axis becomes `num_tokens` wide; `one_hot` adds it unless that axis is 1. */
private object CategoryEncodingType : LayerType("CategoryEncoding") {
    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val input = inputs[0]
        val tokens = layer.int("num_tokens")
        if (input.isEmpty()) return listOf(listOf(tokens))
        val keepsLast = layer.string("output_mode", "multi_hot") == "one_hot" && (input.last() != 1 || input.size == 1)
        return listOf((if (keepsLast) input else input.dropLast(1)) + tokens)
    }
}

/** The core layer types. */
internal val CORE_TYPES: List<LayerType> = listOf(SameShape, InputLayerType, DenseType, EmbeddingType, PReLUType,
    FlattenType, ReshapeType, PermuteType, RepeatVectorType, ElementwiseMerge, ConcatenateType, DotType, CategoryEncodingType)
