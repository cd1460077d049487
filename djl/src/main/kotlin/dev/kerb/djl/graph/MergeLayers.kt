package dev.kerb.djl.graph

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDArrays
import ai.djl.ndarray.NDList

/** Keras' merge layers: element-wise reductions of their inputs, Concatenate and Dot. */
internal object MergeLayers {
    val BUILDERS: Map<String, OpBuilder> = mapOf(
        "Add" to { _ -> reduce { a, b -> a.add(b) } },
        "Subtract" to { _ -> LayerOp { _, inputs -> listOf(inputs[0].sub(inputs[1])) } },
        "Multiply" to { _ -> reduce { a, b -> a.mul(b) } },
        "Maximum" to { _ -> reduce { a, b -> a.maximum(b) } },
        "Minimum" to { _ -> reduce { a, b -> a.minimum(b) } },
        "Average" to { _ -> LayerOp { _, inputs -> listOf(inputs.reduce { a, b -> a.add(b) }.div(inputs.size)) } },
        "Concatenate" to { c ->
            val axis = c.args.int("axis", -1)
            LayerOp { _, inputs -> listOf(NDArrays.concat(NDList(inputs), axis)) }
        },
        "Dot" to ::dot,
    )

    private fun reduce(op: (NDArray, NDArray) -> NDArray) = LayerOp { _, inputs -> listOf(inputs.reduce(op)) }

    /** Keras' `batch_dot` of two rank-2 or rank-3 inputs over one axis each, after L2 normalization when asked. */
    private fun dot(c: LayerContext): LayerOp {
        val ranks = c.inputShapes.map { it.size }
        val given = c.args.intList("axes") ?: listOf(-1)
        val axes = List(2) { i -> given.getOrElse(i) { given[0] }.let { if (it < 0) it + ranks[i] else it } }
        val normalize = c.args.bool("normalize", false)
        if (ranks.any { it !in 2..3 } || ranks[0] != ranks[1]) c.unsupported("Dot of inputs of ranks $ranks")
        return LayerOp { _, inputs ->
            val (x, y) = inputs.mapIndexed { i, v -> if (normalize) l2Normalize(v, axes[i]) else v }
            listOf(if (ranks[0] == 2) x.mul(y).sum(intArrayOf(1), true) else {
                val left = if (axes[0] == 2) x else x.transpose(0, 2, 1)
                val right = if (axes[1] == 1) y else y.transpose(0, 2, 1)
                left.matMul(right)
            })
        }
    }

    /** Keras' `normalize(x, axis)`: `x / sqrt(max(sum(x²), 1e-12))`. */
    private fun l2Normalize(x: NDArray, axis: Int): NDArray =
        x.div(x.square().sum(intArrayOf(axis), true).maximum(1e-12).sqrt())
}
