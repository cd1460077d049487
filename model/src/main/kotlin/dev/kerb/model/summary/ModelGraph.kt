package dev.kerb.model.summary

import dev.kerb.model.catalog.Dims
import dev.kerb.model.catalog.LayerArgs
import dev.kerb.model.catalog.VariableSpec
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.intOrNull

/** A tensor in a functional graph: output [tensor] of call [node] of layer [layer], Keras' `keras_history`. */
internal data class TensorRef(val layer: String, val node: Int, val tensor: Int) {
    override fun toString(): String = "$layer[$node][$tensor]"
}

/**
 * One call of a layer in a model.
 *
 * @property inputs the tensors it takes, as Keras flattens them: positional arguments, then keyword tensors by key
 * @property keywords the keyword tensors among them, by key (attention's `value` and `key`)
 * @property options its keyword arguments that hold no tensor (`use_causal_mask`), as the config records them
 */
internal class GraphNode(
    val layer: GraphLayer,
    val inputs: List<TensorRef>,
    val keywords: Map<String, TensorRef>,
    val options: JsonObject = JsonObject(emptyMap()),
) {
    /** The shapes of its inputs, once inferred; null entries where unknown. */
    var inputShapes: List<Dims?> = emptyList()

    /** Its output shapes, or null where not known. */
    var outputs: List<Dims>? = null
}

/** One layer of a model, with its calls, what inference found for it and, for a nested model, that model. */
internal class GraphLayer(val dict: JsonObject) {
    /** The layer's `class_name`. */
    val className: String = (dict["class_name"] as? JsonPrimitive)?.content.orEmpty()

    /** The layer's config. */
    val args: LayerArgs = LayerArgs(className, dict["config"] as? JsonObject ?: JsonObject(emptyMap()))

    /** The layer's name. */
    val name: String get() = (dict["name"] as? JsonPrimitive)?.takeIf { it.isString }?.content ?: args.name

    /** Its calls, in order. */
    val nodes = ArrayList<GraphNode>()

    /** Its variables with their paths under it, built on its first call's inputs; null when Kerb does not know them. */
    var variables: List<Pair<String, VariableSpec>>? = null

    /** The model this layer is, when it is a nested model. */
    var nested: InferredModel? = null

    /**
     * How many calls precede the first one in the config: a nested Functional model starts with a node of its own
     * (its inputs to its outputs), so Keras numbers its calls in the outer model from 1.
     */
    val nodeOffset: Int get() = if (ShapeInference.isFunctional(className, args.config)) 1 else 0

    /** Whether this is a model nested in the model. */
    val isModel: Boolean get() = className in MODELS || (args.config["layers"] is JsonArray)

    override fun toString(): String = "$className '$name'"

    companion object {
        val MODELS = setOf("Sequential", "Functional", "Model")
    }
}

/**
 * A model as inferred: its layers in Keras' `summary()` order (Sequential: `model.layers`, without the input layer;
 * Functional: the graph order, input layers included), every layer (for finding tensors), and whether Keras prints
 * it with three columns (`sequential_like`) or four (with "Connected to"), and the calls of its layers in an order
 * that computes every input before the call that takes it, with the nodes and tensor indices of its outputs.
 */
internal class InferredModel(
    val name: String,
    val className: String,
    val dict: JsonObject,
    val rows: List<GraphLayer>,
    val sequentialLike: Boolean,
    val outputs: List<Dims>?,
    val calls: List<GraphNode> = emptyList(),
    val outputNodes: List<Pair<GraphNode, Int>> = emptyList(),
    val inputNodes: List<GraphNode> = emptyList(),
)

/** Reads the inbound nodes of a Keras 3 layer dict into [GraphNode]s. */
internal object InboundNodes {
    fun read(layer: GraphLayer): List<GraphNode> = (layer.dict["inbound_nodes"] as? JsonArray).orEmpty().mapNotNull { node ->
        val obj = node as? JsonObject ?: return@mapNotNull null
        val args = ArrayList<TensorRef>()
        (obj["args"] as? JsonArray)?.forEach { collect(it, args) }
        val keywords = LinkedHashMap<String, TensorRef>()
        val options = LinkedHashMap<String, JsonElement>()
        val kwargs = (obj["kwargs"] as? JsonObject).orEmpty()
        for (key in kwargs.keys.sorted()) {
            val found = ArrayList<TensorRef>()
            collect(kwargs.getValue(key), found)
            found.singleOrNull()?.let { keywords[key] = it }
            if (found.isEmpty()) options[key] = kwargs.getValue(key)
            args += found
        }
        GraphNode(layer, args, keywords, JsonObject(options))
    }

    /** Every `__keras_tensor__` under [element], in order. */
    private fun collect(element: JsonElement, out: MutableList<TensorRef>) {
        when (element) {
            is JsonArray -> element.forEach { collect(it, out) }
            is JsonObject -> if ((element["class_name"] as? JsonPrimitive)?.content == "__keras_tensor__") {
                ref((element["config"] as? JsonObject)?.get("keras_history"))?.let(out::add)
            } else element.values.forEach { collect(it, out) }
            else -> {}
        }
    }

    /** A `[layer, node, tensor]` triple. */
    fun ref(element: JsonElement?): TensorRef? {
        val triple = element as? JsonArray ?: return null
        val layer = (triple.getOrNull(0) as? JsonPrimitive)?.takeIf { it.isString }?.content ?: return null
        return TensorRef(layer, (triple.getOrNull(1) as? JsonPrimitive)?.intOrNull ?: 0,
            (triple.getOrNull(2) as? JsonPrimitive)?.intOrNull ?: 0)
    }

    /** The endpoints of `input_layers`/`output_layers`: one triple, or a list of them. */
    fun endpoints(element: JsonElement?): List<TensorRef> {
        val array = element as? JsonArray ?: return emptyList()
        return if (array.firstOrNull() is JsonPrimitive) listOfNotNull(ref(array)) else array.mapNotNull(::ref)
    }
}
