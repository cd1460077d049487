package dev.kerb.dsl

/**
 * Orders a functional model's layers as Keras 3 writes them (`keras/src/ops/function.py` `map_graph`): by
 * decreasing depth, a layer's depth being its longest distance from an output, and ties by the order a depth-first
 * walk from the outputs first meets each layer.
 */
internal object KerasGraphOrder {
    private data class NodeRef(val layer: Layer, val index: Int) {
        val node: Node get() = layer.nodes[index]
        val parents: List<NodeRef> get() = node.inputs.map { NodeRef(it.layer, it.nodeIndex) }
    }

    fun layers(outputs: List<KTensor>): List<Layer> {
        val layerIndex = LinkedHashMap<Layer, Int>()
        val finished = LinkedHashSet<NodeRef>()
        val postOrder = ArrayList<NodeRef>()
        fun visit(ref: NodeRef) {
            if (ref in finished) return
            layerIndex.putIfAbsent(ref.layer, layerIndex.size)
            ref.parents.forEach(::visit)
            finished += ref
            postOrder += ref
        }
        outputs.forEach { visit(NodeRef(it.layer, it.nodeIndex)) }

        val nodeDepth = HashMap<NodeRef, Int>()
        val layerDepth = HashMap<Layer, Int>()
        for (ref in postOrder.asReversed()) {
            val depth = maxOf(nodeDepth.getOrPut(ref) { 0 }, layerDepth[ref.layer] ?: 0)
            layerDepth[ref.layer] = depth
            nodeDepth[ref] = depth
            for (parent in ref.parents) nodeDepth[parent] = maxOf(depth + 1, nodeDepth[parent] ?: 0)
        }
        return layerDepth.keys.sortedWith(compareByDescending<Layer> { layerDepth.getValue(it) }
            .thenBy { layerIndex.getValue(it) })
    }
}
