package dev.kerb.model.catalog

/** A tensor shape as Keras prints it: the batch dimension first, null where a dimension is unknown. */
internal typealias Dims = List<Int?>

/**
 * What Kerb knows of one Keras layer class (and its aliases): the variables it creates, the shapes it outputs and how
 * a call passes it tensors. Facts follow Keras 3.15.1 (`keras/src/layers`); the catalog tests check each against
 * Keras' own answers.
 *
 * @property classNames the `class_name`s it covers, the Keras 3 name first
 */
internal abstract class LayerType(vararg val classNames: String) {
    /** How a call of this layer passes its tensors. */
    open val call: CallConvention get() = CallConvention.TENSORS

    /**
     * Returns the shapes of the layer's outputs, in Keras' order (an LSTM with `return_state` gives three).
     *
     * @throws ShapeMisfit with Keras' reason when Keras would refuse these inputs
     */
    abstract fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims>

    /**
     * Returns the variables the layer creates when built on [inputs], null when the inputs are not known: then the
     * shapes that depend on them have null dimensions, and the names and order are still right.
     */
    open fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights = LayerWeights.NONE
}

/** How a layer's call passes tensors, which decides how inbound nodes map to its inputs. */
internal enum class CallConvention {
    /** `layer(x)`, or positional tensors. */
    TENSORS,

    /** `layer([a, b, ...])`: merge layers. */
    LIST,

    /** `layer(query, value, key=None)`: attention, whose `value` and `key` may come as keywords. */
    ATTENTION,
}

/**
 * One variable of a layer, as Keras 3 creates it.
 *
 * @property name the variable's Keras name (`kernel`, `recurrent_kernel`, `moving_mean`)
 * @property shape its shape; null dimensions where they depend on an unknown input
 * @property trainable whether the optimizer updates it
 * @property constraintKey the config key whose constraint Keras applies to it, or null
 * @property initializerKey the config key that initializes it, or null
 * @property regularizerKey the config key that regularizes it, or null
 * @property fixedInitializer the initializer Keras gives it when no config key governs it (`ones` for a
 *   batch-renormalization stddev)
 * @property integer whether Keras keeps it as int32 whatever the layer's dtype (Normalization's `count`)
 */
internal data class VariableSpec(
    val name: String,
    val shape: Dims,
    val trainable: Boolean = true,
    val constraintKey: String? = null,
    val initializerKey: String? = null,
    val regularizerKey: String? = null,
    val fixedInitializer: String = "zeros",
    val integer: Boolean = false,
) {
    /** The number of values, or null when a dimension is unknown. */
    val size: Long? get() = shape.fold(1L as Long?) { n, d -> if (n == null || d == null) null else n * d }
}

/** A variable governed by the keys `<key>_constraint`, `<key>_initializer` and `<key>_regularizer` (Dense's kernel). */
internal fun variable(name: String, shape: Dims, key: String = name): VariableSpec =
    VariableSpec(name, shape, true, "${key}_constraint", "${key}_initializer", "${key}_regularizer")

/**
 * The variables of a layer: its own, in the order its `build` creates them (trainable first, as Keras saves them),
 * then those of its sublayers.
 */
internal class LayerWeights(val variables: List<VariableSpec>, val parts: List<Part> = emptyList()) {
    /** Every variable with its path under the layer (`kernel`, `lstm_cell/kernel`), own variables first. */
    fun flatten(): List<Pair<String, VariableSpec>> =
        variables.map { it.name to it } + parts.flatMap { part -> part.weights.flatten().map { (path, v) -> "${part.name}/$path" to v } }

    companion object {
        /** A layer without variables. */
        val NONE = LayerWeights(emptyList())
    }
}

/**
 * A sublayer that holds variables of its own: an RNN's cell, a wrapper's layer, an attention layer's projections.
 *
 * @property attribute the group Keras' `.keras` weights file stores it under (`cell`, `forward_layer`, `query_dense`)
 * @property name the sublayer's name, which Keras puts in its variables' paths (`lstm_cell`, `forward_lstm`, `query`)
 * @property className the sublayer's class
 * @property args the config whose `*_initializer` keys govern its variables; null when the owner's do (attention's
 *   projections take the layer's own)
 */
internal class Part(
    val attribute: String,
    val name: String,
    val className: String,
    val weights: LayerWeights,
    val args: LayerArgs? = null,
)

/** Keras would refuse a layer's inputs; the message is Keras' reason. The shape inference adds the layer and shapes. */
internal class ShapeMisfit(reason: String) : Exception(reason) {
    private companion object {
        private const val serialVersionUID = 1L
    }
}

/**
 * A layer holds a layer or cell of a class Kerb does not model (a custom layer inside `Bidirectional` or
 * `TimeDistributed`), so its shapes and variables are not known; callers treat the layer as not modelled.
 *
 * @property className the class Kerb does not model
 */
internal class NotModeled(val className: String) : Exception("Kerb does not model $className") {
    private companion object {
        private const val serialVersionUID = 1L
    }
}

/** Fails with Keras' [reason] unless [condition] holds. */
internal inline fun expect(condition: Boolean, reason: () -> String) {
    if (!condition) throw ShapeMisfit(reason())
}

/**
 * Fails as Keras' `Variable` does when a variable the layer creates would have an unknown dimension, naming the first
 * one in the order the layer creates them.
 */
internal fun requireDefinedShapes(layer: LayerArgs, weights: LayerWeights) {
    val (path, variable) = weights.flatten().firstOrNull { (_, v) -> null in v.shape } ?: return
    throw ShapeMisfit("Shapes used to initialize variables must be fully-defined (no `None` dimensions). Received: " +
        "shape=${variable.shape.text()} for variable path='${layer.name}/$path'")
}

/** Keras' text for a shape: `(None, 6, 6, 4)`. */
internal fun Dims.text(): String = joinToString(", ", "(", if (size == 1) ",)" else ")") { it?.toString() ?: "None" }

/** Python's `repr` of a list of shapes, as Keras puts input shapes in messages: `[(None, 6), (None, 5)]`. */
@JvmName("shapesText")
internal fun List<Dims>.text(): String = joinToString(", ", "[", "]") { it.text() }

/** Fails as Keras' `InputSpec(ndim=...)` check does unless [input] has rank [ndim]. */
internal fun requireRank(layer: LayerArgs, input: Dims, ndim: Int, index: Int = 0) = expect(input.size == ndim) {
    "Input $index with name 'None' of layer '${layer.name}' is incompatible with the layer: expected ndim=$ndim, " +
        "found ndim=${input.size}. Full shape received: ${input.text()}"
}

/** Fails as Keras' `InputSpec(min_ndim=...)` check does unless [input] has rank [minNdim] or more. */
internal fun requireMinRank(layer: LayerArgs, input: Dims, minNdim: Int, index: Int = 0) = expect(input.size >= minNdim) {
    "Input $index with name 'None' of layer '${layer.name}' is incompatible with the layer: expected " +
        "min_ndim=$minNdim, found ndim=${input.size}. Full shape received: ${input.text()}"
}

/** Normalizes a possibly negative [axis] for a shape of [rank], as Python indexing does. */
internal fun axisOf(axis: Int, rank: Int): Int = if (axis < 0) axis + rank else axis
