package dev.kerb.djl.graph

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDList
import ai.djl.ndarray.types.Shape
import ai.djl.nn.AbstractBlock
import ai.djl.nn.Parameter
import ai.djl.training.ParameterStore
import ai.djl.util.PairList
import dev.kerb.djl.KerasLayout
import dev.kerb.model.catalog.LayerArgs
import dev.kerb.model.summary.CallGraph
import dev.kerb.model.summary.CallLayer
import dev.kerb.model.summary.LayerCall
import dev.kerb.model.summary.TensorId
import dev.kerb.registry.ConfigException

/**
 * A Keras model as one DJL block: a parameter per Keras variable, named by its path (`dense/kernel`) and kept in
 * Keras' layout or, where PyTorch's kernels take another ([layout]), in DJL's, and the model's call graph run on arrays
 * in Keras' layouts, so the same inputs give the same outputs.
 *
 * @param variables every variable's path and whether it is trained, in the order Keras saves them
 */
internal class KerasBlock(val graph: CallGraph, variables: List<Pair<String, Boolean>>) : AbstractBlock(VERSION) {
    /** Every parameter by its Keras variable path. */
    val byPath: Map<String, Parameter> = variables.associate { (path, trainable) ->
        path to addParameter(Parameter.builder().setName(path)
            .setType(if (trainable) Parameter.Type.WEIGHT else Parameter.Type.OTHER).optRequiresGrad(trainable).build())
    }

    private val layouts = HashMap<Parameter, KerasLayout>()

    private val ops: Map<CallLayer, LayerOp> = HashMap<CallLayer, LayerOp>().also { ops ->
        fun build(graph: CallGraph) {
            for (call in graph.calls) {
                val layer = call.layer
                if (layer in ops) continue
                val nested = layer.nested
                ops[layer] = if (nested != null) {
                    build(nested)
                    LayerOp { f, inputs -> run(nested, inputs, f) }
                } else {
                    val mine = byPath.filterKeys { it.startsWith(layer.variablePrefix) }
                        .mapKeys { (path, _) -> path.removePrefix(layer.variablePrefix) }
                    LayerOps.build(LayerContext(LayerArgs(layer.className, layer.config), call.inputShapes,
                        call.outputShapes, mine, keywords = keywordIndices(call), options = call.options,
                        layouts = layouts))
                }
            }
        }
        build(graph)
    }

    /** The DJL layout the variable at [path] is kept in, or null where it is kept in Keras' layout. */
    fun layout(path: String): KerasLayout? = byPath[path]?.let(layouts::get)

    override fun forwardInternal(store: ParameterStore, inputs: NDList, training: Boolean,
                                 params: PairList<String, Any>?): NDList {
        if (inputs.size != graph.inputs.size) {
            throw ConfigException("model '${graph.name}' takes ${graph.inputs.size} inputs " +
                "(${graph.inputs.joinToString { it.name }}), not ${inputs.size}")
        }
        for ((input, array) in graph.inputs.zip(inputs)) checkShape(input.name, input.shape, array)
        return NDList(run(graph, inputs, Forward(store, inputs.head().device, training)))
    }

    /** Runs [graph]'s calls in order on [inputs]; returns its outputs. */
    private fun run(graph: CallGraph, inputs: List<NDArray>, f: Forward): List<NDArray> {
        val values = HashMap<TensorId, NDArray>()
        graph.inputs.zip(inputs).forEach { (input, array) -> values[input.tensor] = array }
        for (call in graph.calls) {
            val outputs = ops.getValue(call.layer).call(f, call.inputs.map(values::getValue))
            call.outputs.zip(outputs).forEach { (id, array) -> values[id] = array }
        }
        return graph.outputs.map(values::getValue)
    }

    override fun getOutputShapes(inputShapes: Array<Shape>): Array<Shape> {
        val batch = inputShapes.firstOrNull()?.takeIf { it.dimension() > 0 }?.get(0) ?: 1L
        return graph.outputShapes.map { dims -> Shape(batch, *dims.drop(1).map { (it ?: -1).toLong() }.toLongArray()) }
            .toTypedArray()
    }

    override fun toString(): String = "KerasBlock(${graph.name}, ${byPath.size} variables)"

    private companion object {
        const val VERSION: Byte = 1

        /** The input index of each keyword tensor of [call]: they come last, one per key, sorted by key. */
        fun keywordIndices(call: LayerCall): Map<String, Int> {
            val first = call.inputs.size - call.keywords.size
            return call.keywords.keys.sorted().withIndex().associate { (i, key) -> key to first + i }
        }

        /** Fails unless [array] fits an input of Keras shape [dims] (null: any size). */
        fun checkShape(name: String, dims: List<Int?>, array: NDArray) {
            val shape = array.shape.shape
            val fits = shape.size == dims.size && dims.indices.all { i -> dims[i] == null || dims[i]!!.toLong() == shape[i] }
            if (!fits) {
                throw ConfigException("input '$name' has shape ${array.shape}; the model takes " +
                    dims.joinToString(", ", "(", ")") { it?.toString() ?: "None" })
            }
        }
    }
}
