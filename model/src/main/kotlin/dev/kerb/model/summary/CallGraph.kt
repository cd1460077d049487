package dev.kerb.model.summary

import dev.kerb.model.InternalKerbApi
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import dev.kerb.registry.ConfigException
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject

/**
 * A model as something to compute: its inputs, the calls of its layers in an order that computes every tensor before
 * the call that takes it, and its outputs; a nested model is a layer with a graph of its own. What the DJL module
 * builds a network from.
 *
 * @property name the model's name
 * @property inputs the model's inputs, in Keras' order
 * @property calls every layer call, inputs before the calls that take them
 * @property outputs the model's outputs, in Keras' order
 */
@InternalKerbApi
public class CallGraph internal constructor(
    public val name: String,
    public val inputs: List<GraphInput>,
    public val calls: List<LayerCall>,
    public val outputs: List<TensorId>,
    public val outputShapes: List<List<Int?>>,
) {
    /** Every layer with its own weights, nested models' layers included, each once. */
    public fun layers(): List<CallLayer> {
        val out = LinkedHashSet<CallLayer>()
        fun walk(graph: CallGraph) {
            for (call in graph.calls) if (out.add(call.layer)) call.layer.nested?.let(::walk)
        }
        walk(this)
        return out.toList()
    }

    public companion object {
        private val SEQUENTIAL_INPUT = TensorId("", -1, 0)

        /**
         * Returns the call graph of [spec], converted to Keras 3.
         *
         * @throws ConfigException if a layer's shapes do not fit (Keras' reason), or the model has no input shapes
         */
        @JvmStatic
        public fun of(spec: ModelSpec): CallGraph {
            val dict = spec.convert(ModelFormat.KERAS_3).spec.model
            val (inferred, inference) = ShapeInference.infer(dict)
            inference.misfit?.let { throw ConfigException(it.message.orEmpty()) }
            LayerNames.requireUnique(inferred.dict)
            if (!inference.built) throw ConfigException("the model declares no input shape, so Kerb cannot build it")
            return Builder(inference.unknown.keys).graph(inferred, "")
        }
    }

    private class Builder(val unknown: Set<String>) {
        private val layers = HashMap<GraphLayer, CallLayer>()

        fun graph(model: InferredModel, prefix: String): CallGraph {
            fun id(node: GraphNode, tensor: Int) = TensorId(node.layer.name, node.layer.nodes.indexOf(node), tensor)
            val inputs = if (model.className == "Sequential") {
                val first = model.calls.firstOrNull()
                    ?: throw ConfigException("model '${model.name}' has no layers to compute")
                val declared = (model.dict["config"] as? JsonObject)?.get("layers") as? JsonArray
                val inputName = declared?.map { GraphLayer(it as JsonObject) }?.firstOrNull { it.className == "InputLayer" }
                    ?.name ?: "${model.name}_input"
                listOf(GraphInput(inputName, first.inputShapes.single() ?: unknownShape(model.name), SEQUENTIAL_INPUT))
            } else {
                model.inputNodes.map { node ->
                    GraphInput(node.layer.name, node.outputs?.single() ?: unknownShape(node.layer.name), id(node, 0))
                }
            }
            val calls = model.calls.mapIndexed { i, node ->
                val layer = layers.getOrPut(node.layer) { layer(node.layer, prefix) }
                val outputs = node.outputs ?: throw ConfigException("layer '${node.layer.name}' " +
                    "(${node.layer.className}): Kerb does not know what it computes")
                val inputIds = if (model.className == "Sequential") {
                    listOf(if (i == 0) SEQUENTIAL_INPUT else id(model.calls[i - 1], 0))
                } else {
                    node.inputs.map { ref -> TensorId(ref.layer, ref.node - layerNamed(model, ref.layer).nodeOffset, ref.tensor) }
                }
                val keywords = node.keywords.mapValues { (_, ref) ->
                    TensorId(ref.layer, ref.node - layerNamed(model, ref.layer).nodeOffset, ref.tensor)
                }
                LayerCall(layer, inputIds, keywords, node.options,
                    node.inputShapes.map { it ?: unknownShape(node.layer.name) }, outputs.indices.map { id(node, it) }, outputs)
            }
            val outputShapes = model.outputs ?: throw ConfigException("model '${model.name}': Kerb does not know its " +
                "output shapes")
            return CallGraph(model.name, inputs, calls, model.outputNodes.map { (node, t) -> id(node, t) }, outputShapes)
        }

        private fun layer(layer: GraphLayer, prefix: String): CallLayer {
            if (layer.className in unknown) {
                throw ConfigException("layer '${layer.name}' is a ${layer.className}, a class Kerb does not model")
            }
            val nested = layer.nested?.let { graph(it, "$prefix${layer.name}/") }
            return CallLayer(layer.name, layer.className, layer.args.config, "$prefix${layer.name}/", nested)
        }

        private fun layerNamed(model: InferredModel, name: String): GraphLayer =
            model.calls.firstOrNull { it.layer.name == name }?.layer ?: model.inputNodes.first { it.layer.name == name }.layer

        private fun unknownShape(name: String): Nothing =
            throw ConfigException("the input shapes of '$name' are not known, so Kerb cannot build it")
    }
}

/**
 * One input of a model.
 *
 * @property name the input layer's name
 * @property shape its shape as Keras declares it, batch axis first (null where any size goes)
 */
@InternalKerbApi
public class GraphInput internal constructor(public val name: String, public val shape: List<Int?>, public val tensor: TensorId)

/**
 * One call of a layer.
 *
 * @property inputs the tensors it takes, positional ones first, then keyword tensors by key
 * @property keywords the keyword tensors among [inputs], by key (attention's `value`, `key`)
 * @property options its keyword arguments that hold no tensor (`use_causal_mask`), as the config records them
 * @property inputShapes the shapes of [inputs]
 * @property outputs the tensors it makes
 * @property outputShapes their shapes
 */
@InternalKerbApi
public class LayerCall internal constructor(
    public val layer: CallLayer,
    public val inputs: List<TensorId>,
    public val keywords: Map<String, TensorId>,
    public val options: JsonObject,
    public val inputShapes: List<List<Int?>>,
    public val outputs: List<TensorId>,
    public val outputShapes: List<List<Int?>>,
)

/**
 * A layer of a model, shared by all its calls.
 *
 * @property name its name
 * @property className its `class_name`
 * @property config its Keras 3 config
 * @property variablePrefix the start of its variables' paths (`inner/dense/`), as [dev.kerb.model.Weights] names them
 * @property nested the graph of a nested model, or null
 */
@InternalKerbApi
public class CallLayer internal constructor(
    public val name: String,
    public val className: String,
    public val config: JsonObject,
    public val variablePrefix: String,
    public val nested: CallGraph?,
) {
    override fun toString(): String = "$className '$name'"
}

/** A tensor of a graph: output [tensor] of call [node] of layer [layer]; the model's inputs are call 0 of theirs. */
@InternalKerbApi
public data class TensorId(public val layer: String, public val node: Int, public val tensor: Int)
