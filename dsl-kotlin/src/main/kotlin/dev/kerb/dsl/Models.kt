package dev.kerb.dsl

import dev.kerb.model.LayerShapeException
import dev.kerb.model.ModelSpec
import dev.kerb.model.summary.GraphOrder
import dev.kerb.registry.ConstraintRegistry
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Builds a Keras `Sequential` model and returns its spec in the Keras 3 shape.
 *
 * ```
 * val model = sequential("mlp") {
 *     input(784)
 *     dense(512, activation = "relu") { kernelConstraint = maxNorm(2.0); biasConstraint = nonNeg() }
 *     dropout(0.5)
 * }
 * ```
 *
 * @param name the model's name
 * @param registry resolves the constraints the layers use
 * @throws IllegalArgumentException for builder misuse: duplicate layer names, a constraint on a weight the layer
 *   does not have, a non-positive `units`, ...
 * @throws LayerShapeException if a layer's input shapes do not fit it, as Keras would refuse to build the model
 */
@OptIn(ExperimentalContracts::class)
public inline fun sequential(
    name: String = "sequential",
    registry: ConstraintRegistry = ConstraintRegistry.defaultRegistry(),
    block: SequentialBuilder.() -> Unit,
): ModelSpec {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return SequentialBuilder(name, registry).apply(block).build()
}

/**
 * Builds a Keras Functional model and returns its spec in the Keras 3 shape.
 *
 * ```
 * val model = functional("tower") {
 *     val x = input(8)
 *     val h = dense(4) { kernelConstraint = unitNorm() }(x)
 *     output(dense(1)(h))
 * }
 * ```
 *
 * @throws IllegalArgumentException for builder misuse: no input or output, duplicate layer names, a layer never
 *   called, an input that no output depends on, a constraint on a weight the layer does not have, ...
 * @throws LayerShapeException if a layer's input shapes do not fit it, as Keras would refuse to build the model
 */
@OptIn(ExperimentalContracts::class)
public inline fun functional(
    name: String = "functional",
    registry: ConstraintRegistry = ConstraintRegistry.defaultRegistry(),
    block: FunctionalBuilder.() -> Unit,
): ModelSpec {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return FunctionalBuilder(name, registry).apply(block).build()
}

/** The receiver of [sequential]: each layer added follows the previous one. */
public class SequentialBuilder @PublishedApi internal constructor(name: String, registry: ConstraintRegistry) :
    ModelBuilder(name, registry) {

    /**
     * Starts the model with an `InputLayer` of the given shape (without the batch dimension), as `keras.Input` does.
     *
     * @throws IllegalArgumentException if a layer was added before it
     */
    public fun input(vararg shape: Int, name: String? = null, dtype: String = "float32"): Layer {
        require(layers.isEmpty()) { "input() must come first in Sequential model '$modelName'" }
        return add(InputLayerBuilder(listOf(null) + shape.toList())) {
            this.name = name
            this.dtype = dtype
        }
    }

    @PublishedApi
    internal fun build(): ModelSpec {
        val config = linkedMapOf<String, JsonElement>(
            "name" to JsonPrimitive(modelName),
            "trainable" to JsonPrimitive(true),
            "dtype" to KerasValues.dtypePolicy("float32"),
            "layers" to JsonArray(layers.map { layerJson(it) }),
        )
        return checked(ModelSpec.fromJsonElement(registry = registry, document = JsonObject(linkedMapOf(
            "module" to JsonPrimitive("keras"),
            "class_name" to JsonPrimitive("Sequential"),
            "config" to JsonObject(config),
            "registered_name" to JsonPrimitive(null as String?),
        ))))
    }
}

/** The receiver of [functional]: declare inputs, call layers on tensors, declare outputs. */
public class FunctionalBuilder @PublishedApi internal constructor(name: String, registry: ConstraintRegistry) :
    ModelBuilder(name, registry) {
    private val inputs = ArrayList<KTensor>()
    private val outputs = ArrayList<KTensor>()

    /** Declares a model input of the given shape (without the batch dimension), as `keras.Input(shape)` does. */
    public fun input(vararg shape: Int, name: String? = null, dtype: String = "float32"): KTensor {
        val layer = add(InputLayerBuilder(listOf(null) + shape.toList())) {
            this.name = name
            this.dtype = dtype
        }
        layer.nodes += Node(emptyList(), asList = false, outputShape = listOf(null) + shape.toList())
        return KTensor(layer, 0, layer.nodes[0].outputShape).also { inputs += it }
    }

    /** Declares model outputs, in order. */
    public fun output(vararg tensors: KTensor) {
        for (t in tensors) {
            require(layers.any { it === t.layer }) { "output $t belongs to another model" }
            outputs += t
        }
    }

    @PublishedApi
    internal fun build(): ModelSpec {
        require(inputs.isNotEmpty()) { "functional model '$modelName' has no input(); declare at least one" }
        require(outputs.isNotEmpty()) { "functional model '$modelName' has no output(); declare at least one" }
        layers.firstOrNull { it.nodes.isEmpty() }?.let {
            throw IllegalArgumentException("layer '${it.name}' in model '$modelName' is never called on a tensor")
        }
        val (order, _) = GraphOrder.order(outputs.map { it.layer to it.nodeIndex }, { it.first }) { (layer, index) ->
            layer.nodes[index].inputs.map { it.layer to it.nodeIndex }
        }
        inputs.firstOrNull { it.layer !in order }?.let {
            throw IllegalArgumentException("input '${it.layer.name}' of model '$modelName' is not connected to " +
                "any output")
        }
        val layerDicts = order.map { layer ->
            layerJson(layer, linkedMapOf(
                "name" to JsonPrimitive(layer.name),
                "inbound_nodes" to JsonArray(layer.nodes.filter { it.inputs.isNotEmpty() }.map { node ->
                    val args = node.inputs.map { it.toKeras3() }
                    JsonObject(linkedMapOf(
                        "args" to JsonArray(if (node.asList) listOf(JsonArray(args)) else args),
                        "kwargs" to JsonObject(emptyMap()),
                    ))
                }),
            ))
        }
        val config = linkedMapOf<String, JsonElement>(
            "name" to JsonPrimitive(modelName),
            "trainable" to JsonPrimitive(true),
            "layers" to JsonArray(layerDicts),
            "input_layers" to endpoints(inputs),
            "output_layers" to endpoints(outputs),
        )
        return checked(ModelSpec.fromJsonElement(registry = registry, document = JsonObject(linkedMapOf(
            "module" to JsonPrimitive("keras.src.models.functional"),
            "class_name" to JsonPrimitive("Functional"),
            "config" to JsonObject(config),
            "registered_name" to JsonPrimitive("Functional"),
        ))))
    }

    /** Keras 3 writes one endpoint as a single `[layer, node, tensor]` triple, several as a list of them. */
    private fun endpoints(tensors: List<KTensor>): JsonArray =
        if (tensors.size == 1) tensors[0].history() else JsonArray(tensors.map { it.history() })
}

/** Returns [spec] if every layer's shapes fit, as Keras checks them when it builds the model. */
internal fun checked(spec: ModelSpec): ModelSpec {
    spec.summary().misfit?.let { throw it }
    return spec
}
