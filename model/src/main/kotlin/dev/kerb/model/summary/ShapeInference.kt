package dev.kerb.model.summary

import dev.kerb.model.LayerShapeException
import dev.kerb.model.catalog.CallConvention
import dev.kerb.model.catalog.Dims
import dev.kerb.model.catalog.LayerCatalog
import dev.kerb.model.catalog.NotModeled
import dev.kerb.model.catalog.ShapeMisfit
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Infers the shapes and variables of every layer of a Keras 3 model dict, nested models included, with the layer
 * catalog. A layer class the catalog does not model makes the shapes after it unknown ([unknown]); the first layer
 * whose inputs Keras would refuse is kept in [misfit], and the shapes after it are unknown too.
 */
internal class ShapeInference private constructor() {
    /** The first layer whose shapes do not fit, as Keras would refuse it. */
    var misfit: LayerShapeException? = null
        private set

    /** Class name → the layers of that class Kerb does not model, in order. */
    val unknown = LinkedHashMap<String, MutableList<String>>()

    /** False when a model has no input shape, so that Keras would leave its layers unbuilt. */
    var built = true
        private set

    /** The layers whose output shapes are unknown because of an unknown class, in order. */
    val affected = LinkedHashSet<String>()

    private fun model(dict: JsonObject, inputs: List<Dims?>?): InferredModel {
        val className = (dict["class_name"] as? JsonPrimitive)?.content.orEmpty()
        val config = dict["config"] as? JsonObject ?: JsonObject(emptyMap())
        val name = (config["name"] as? JsonPrimitive)?.content ?: className.lowercase()
        val layers = (config["layers"] as? JsonArray).orEmpty().mapNotNull { it as? JsonObject }.map(::GraphLayer)
        return if (!isFunctional(className, config)) sequential(name, dict, config, layers, inputs)
        else functional(name, dict, config, layers, inputs)
    }

    private fun sequential(name: String, dict: JsonObject, config: JsonObject, layers: List<GraphLayer>,
                           inputs: List<Dims?>?): InferredModel {
        val declared = layers.firstOrNull { it.className == "InputLayer" }?.let(::declaredShape) ?: (config["build_input_shape"] as? JsonArray)?.map { (it as? JsonPrimitive)?.content?.toIntOrNull() }
        var current: Dims? = inputs?.singleOrNull() ?: declared
        built = built && current != null
        val rows = layers.filter { it.className != "InputLayer" }
        val calls = ArrayList<GraphNode>()
        for (layer in rows) {
            val node = GraphNode(layer, emptyList(), emptyMap())
            layer.nodes += node
            call(node, listOf(current))
            calls += node
            current = node.outputs?.singleOrNull()
        }
        return InferredModel(name, "Sequential", dict, rows, sequentialLike = true, outputs = current?.let(::listOf),
            calls = calls, outputNodes = listOfNotNull(calls.lastOrNull()?.let { it to 0 }))
    }

    private fun functional(name: String, dict: JsonObject, config: JsonObject, layers: List<GraphLayer>,
                           inputs: List<Dims?>?): InferredModel {
        val byName = layers.associateBy { it.name }
        for (layer in layers) layer.nodes += InboundNodes.read(layer)
        val inputRefs = InboundNodes.endpoints(config["input_layers"])
        for ((i, ref) in inputRefs.withIndex()) {
            val layer = byName[ref.layer] ?: continue
            val node = GraphNode(layer, emptyList(), emptyMap())
            layer.variables = emptyList()
            node.outputs = (inputs?.getOrNull(i) ?: declaredShape(layer))?.let(::listOf)
            if (layer.nodes.isEmpty()) layer.nodes += node
        }
        val done = HashSet<GraphNode>()
        val calls = ArrayList<GraphNode>()
        fun nodeOf(ref: TensorRef): GraphNode? = byName[ref.layer]?.let { it.nodes.getOrNull(ref.node - it.nodeOffset) }
        fun evaluate(start: GraphNode) {
            // Inputs before the calls that take them, without recursion, so that a graph of any depth fits the stack.
            val path = ArrayDeque<Pair<GraphNode, Iterator<TensorRef>>>()
            fun enter(node: GraphNode) {
                if (done.add(node)) path.addLast(node to node.inputs.iterator())
            }
            enter(start)
            while (path.isNotEmpty()) {
                val (node, next) = path.last()
                if (next.hasNext()) {
                    nodeOf(next.next())?.let(::enter)
                } else {
                    path.removeLast()
                    if (node.inputs.isNotEmpty()) {
                        call(node, node.inputs.map { ref -> nodeOf(ref)?.outputs?.getOrNull(ref.tensor) })
                        calls += node
                    }
                }
            }
        }
        val outputRefs = InboundNodes.endpoints(config["output_layers"])
        val outputNodes = outputRefs.mapNotNull(::nodeOf)
        outputNodes.forEach(::evaluate)
        layers.flatMap { it.nodes }.forEach(::evaluate)
        val (order, depths) = GraphOrder.order(outputNodes, { it.layer }, { node -> node.inputs.mapNotNull(::nodeOf) })
        val byDepth = depths.entries.groupBy({ it.value }, { it.key })
        val sequentialLike = byDepth.values.all { it.size == 1 && it[0].inputs.size <= 1 } &&
            order.none { layer -> layer.nodes.count { it in depths } > 1 }
        val outputs = outputRefs.map { ref -> nodeOf(ref)?.outputs?.getOrNull(ref.tensor) }
        return InferredModel(name, "Functional", dict, order, sequentialLike,
            if (outputs.any { it == null }) null else outputs.map { it!! }, calls,
            outputRefs.mapNotNull { ref -> nodeOf(ref)?.let { it to ref.tensor } }, inputRefs.mapNotNull(::nodeOf))
    }

    /** The shape an input layer declares (`batch_shape`), or null when it declares none. */
    private fun declaredShape(input: GraphLayer): Dims? = try {
        LayerCatalog.type("InputLayer")!!.outputs(input.args, emptyList()).single()
    } catch (e: ShapeMisfit) {
        null
    }

    /** Computes one call's outputs and, on a layer's first call, its variables. */
    private fun call(node: GraphNode, inputs: List<Dims?>) {
        val layer = node.layer
        node.inputShapes = inputs
        val first = layer.nodes.firstOrNull() === node
        if (layer.isModel) {
            val inner = model(layer.dict, inputs)
            if (first) layer.nested = inner
            node.outputs = inner.outputs
            return
        }
        val type = LayerCatalog.type(layer.className)
        if (type == null) {
            unknown.getOrPut(layer.className) { ArrayList() }.let { if (layer.name !in it) it += layer.name }
            return
        }
        val shapes = ordered(node, inputs, type.call)
        val known = if (shapes.any { it == null }) null else shapes.map { it!! }
        if (first) layer.variables = LayerCatalog.variables(layer.className, layer.args.config, known)
        if (known == null) {
            if (unknown.isNotEmpty() && misfit == null) affected += layer.name
            return
        }
        try {
            node.outputs = LayerCatalog.call(type, layer.args, known)
        } catch (e: ShapeMisfit) {
            if (misfit == null) misfit = LayerShapeException(layer.name, layer.className, known, e.message.orEmpty())
        } catch (e: NotModeled) {
            unknown.getOrPut(e.className) { ArrayList() }.let { if (layer.name !in it) it += layer.name }
        }
    }

    /** The inputs in the order the layer's call takes them: attention's `query, value, key`. */
    private fun ordered(node: GraphNode, inputs: List<Dims?>, call: CallConvention): List<Dims?> {
        if (call != CallConvention.ATTENTION || node.keywords.isEmpty()) return inputs
        val byRef = node.inputs.zip(inputs).toMap()
        val positional = node.inputs.filter { it !in node.keywords.values }.map { byRef[it] }
        return positional + listOfNotNull(node.keywords["value"], node.keywords["key"]).map { byRef[it] }
    }

    companion object {
        /** Whether a model dict is Functional (with its own graph) rather than Sequential. */
        fun isFunctional(className: String, config: JsonObject): Boolean = className != "Sequential" && "input_layers" in config

        /**
         * Infers a Keras 3 model dict, its unnamed layers named as Keras names them ([LayerNames]); [inputs] replace
         * its declared input shapes when given.
         */
        fun infer(dict: JsonObject, inputs: List<Dims?>? = null): Pair<InferredModel, ShapeInference> {
            val inference = ShapeInference()
            return inference.model(LayerNames.assign(dict), inputs) to inference
        }
    }
}
