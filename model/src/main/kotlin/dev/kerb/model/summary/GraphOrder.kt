package dev.kerb.model.summary

import dev.kerb.model.InternalKerbApi

/**
 * Keras 3's order of a functional graph (`keras/src/ops/function.py` `map_graph`): layers by decreasing depth, a
 * depth being the longest distance from an output, ties broken by the order a depth-first walk from the outputs first
 * meets each layer. Both the config's `layers` list and `summary()`'s rows follow it.
 */
@InternalKerbApi
public object GraphOrder {
    /**
     * Orders the layers and depths of a graph given by its output nodes.
     *
     * @param outputs the nodes that produce the model's outputs, in order
     * @param layerOf the layer a node is a call of
     * @param parents the nodes that produce a node's input tensors, in the order of its inputs
     * @return the layers in Keras' order, and the depth of every node reached
     */
    public fun <L : Any, N : Any> order(outputs: List<N>, layerOf: (N) -> L, parents: (N) -> List<N>): Pair<List<L>, Map<N, Int>> {
        val layerIndex = LinkedHashMap<L, Int>()
        val finished = LinkedHashSet<N>()
        val postOrder = ArrayList<N>()
        // Depth first without recursion, so that a graph of any depth fits the stack; a cycle is not followed.
        val path = ArrayDeque<Pair<N, Iterator<N>>>()
        val onPath = HashSet<N>()
        fun enter(node: N) {
            if (node in finished || !onPath.add(node)) return
            layerIndex.putIfAbsent(layerOf(node), layerIndex.size)
            path.addLast(node to parents(node).iterator())
        }
        for (output in outputs) {
            enter(output)
            while (path.isNotEmpty()) {
                val (node, next) = path.last()
                if (next.hasNext()) {
                    enter(next.next())
                } else {
                    path.removeLast()
                    onPath -= node
                    finished += node
                    postOrder += node
                }
            }
        }

        val nodeDepth = HashMap<N, Int>()
        val layerDepth = LinkedHashMap<L, Int>()
        for (node in postOrder.asReversed()) {
            val layer = layerOf(node)
            val depth = maxOf(nodeDepth.getOrPut(node) { 0 }, layerDepth[layer] ?: 0)
            layerDepth[layer] = depth
            nodeDepth[node] = depth
            for (parent in parents(node)) nodeDepth[parent] = maxOf(depth + 1, nodeDepth[parent] ?: 0)
        }
        val layers = layerDepth.keys.sortedWith(compareByDescending<L> { layerDepth.getValue(it) }
            .thenBy { layerIndex.getValue(it) })
        return layers to nodeDepth
    }
}
