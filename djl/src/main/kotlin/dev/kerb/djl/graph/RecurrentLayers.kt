package dev.kerb.djl.graph

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDArrays
import ai.djl.ndarray.NDList
import ai.djl.ndarray.types.Shape
import dev.kerb.model.catalog.KerasLayers
import dev.kerb.model.catalog.LayerArgs
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** SimpleRNN, LSTM and GRU, and the Bidirectional and TimeDistributed wrappers. */
internal object RecurrentLayers {
    val BUILDERS: Map<String, OpBuilder> = mapOf(
        "SimpleRNN" to { c -> recurrent(c, SimpleRnnCell(c)) },
        "LSTM" to { c -> recurrent(c, LstmCell(c)) },
        "GRU" to { c -> recurrent(c, GruCell(c)) },
        "Bidirectional" to ::bidirectional,
        "TimeDistributed" to ::timeDistributed,
    )

    /** Wrapped layers whose training output depends on the whole batch, so TimeDistributed calls them step by step. */
    private val BATCH_DEPENDENT = setOf("BatchNormalization")

    /**
     * An RNN layer over axis 1 of its first input, from zeros or the initial states its further inputs give (its
     * `initial_state` tensors): the last output or, with `return_sequences`, every output in the order computed
     * (reversed with `go_backwards`, as Keras leaves it), then with `return_state` the final states.
     */
    private fun recurrent(c: LayerContext, cell: RecurrentCell): LayerOp {
        if (c.args.bool("stateful", false)) c.unsupported("stateful=True")
        if ("mask" in c.keywords) c.unsupported("a mask")
        val returnSequences = c.args.bool("return_sequences", false)
        val returnState = c.args.bool("return_state", false)
        val goBackwards = c.args.bool("go_backwards", false)
        return LayerOp { f, inputs ->
            val x = if (goBackwards) inputs[0].flip(1) else inputs[0]
            val initial = inputs.drop(1).ifEmpty {
                List(cell.stateCount) { x.manager.zeros(Shape(x.shape[0], cell.units.toLong()), x.dataType) }
            }
            val run = cell.run(f, x, initial)
            // Every cell's output is its first state, so the last output is the first final state.
            listOf(if (returnSequences) run.outputs else run.states[0]) + if (returnState) run.states else emptyList()
        }
    }

    /** The context of the layer [inner] that [c] wraps, called on [inputShapes], its variables under [subPath]. */
    private fun wrapped(c: LayerContext, inner: LayerArgs, inputShapes: List<List<Int?>>, subPath: String): LayerContext {
        val outputShapes = KerasLayers.outputShapes(inner.name, inner.className, inner.config, inputShapes)
            ?: c.unsupported("a wrapped ${inner.className}")
        return c.wrapped(inner, inputShapes, outputShapes, subPath)
    }

    /** Keras' `merge_mode`s: how Bidirectional combines the forward output and the backward one. */
    private fun merge(c: LayerContext, mode: String?): (NDArray, NDArray) -> List<NDArray> = when (mode) {
        "concat" -> { y, back -> listOf(y.concat(back, -1)) }
        "sum" -> { y, back -> listOf(y.add(back)) }
        "ave" -> { y, back -> listOf(y.add(back).div(2)) }
        "mul" -> { y, back -> listOf(y.mul(back)) }
        null -> { y, back -> listOf(y, back) }
        else -> c.unsupported("merge_mode '$mode'")
    }

    /**
     * Bidirectional: the forward layer and the backward one (the given `backward_layer`, else Keras' copy of the layer
     * going backwards) on the same input, the first half of any initial states to the forward one; the backward
     * sequence flipped back to input order, merged by `merge_mode`, then the forward states and the backward ones.
     */
    private fun bidirectional(c: LayerContext): LayerOp {
        if ("mask" in c.keywords) c.unsupported("a mask")
        val layer = c.args.layer("layer") ?: c.unsupported("Bidirectional without a layer")
        val backwardName = JsonPrimitive("backward_${layer.name.removePrefix("backward_")}")
        val backward = c.args.layer("backward_layer") ?: LayerArgs(layer.className,
            JsonObject(layer.config + mapOf("go_backwards" to JsonPrimitive(true), "name" to backwardName)))
        val half = (c.inputShapes.size - 1) / 2
        val forwardShapes = c.inputShapes.take(1 + half)
        val backwardShapes = c.inputShapes.take(1) + c.inputShapes.drop(1 + half)
        // Keras renames the forward copy `forward_<name>`, which its variables' paths carry.
        val forwardOp = LayerOps.build(wrapped(c, layer, forwardShapes, "forward_${layer.name.removePrefix("forward_")}/"))
        val backwardOp = LayerOps.build(wrapped(c, backward, backwardShapes, "${backward.name}/"))
        val merge = merge(c, if ("merge_mode" in c.args.config) c.args.string("merge_mode") else "concat")
        val returnSequences = layer.bool("return_sequences", false)
        return LayerOp { f, inputs ->
            val y = forwardOp.call(f, inputs.take(1 + half))
            val yRev = backwardOp.call(f, inputs.take(1) + inputs.drop(1 + half))
            merge(y[0], if (returnSequences) yRev[0].flip(1) else yRev[0]) + y.drop(1) + yRev.drop(1)
        }
    }

    /**
     * TimeDistributed: the wrapped layer on every step of axis 1, as one call on the steps stacked into the batch
     * (batch * time, ...); step by step, as Keras calls it, where the layer trains on batch statistics.
     */
    private fun timeDistributed(c: LayerContext): LayerOp {
        if ("mask" in c.keywords) c.unsupported("a mask")
        val layer = c.args.layer("layer") ?: c.unsupported("TimeDistributed without a layer")
        val step = listOf(c.inputShape[0]) + c.inputShape.drop(2)
        val op = LayerOps.build(wrapped(c, layer, listOf(step), "${layer.name}/"))
        val stepwise = layer.className in BATCH_DEPENDENT
        return single { f, x ->
            if (f.training && stepwise) {
                NDArrays.stack(NDList((0 until x.shape[1]).map { t -> op.call(f, listOf(x.get(":, $t"))).single() }), 1)
            } else {
                val y = op.call(f, listOf(x.reshape(Shape(-1, *x.shape.slice(2).shape)))).single()
                y.reshape(Shape(x.shape[0], x.shape[1], *y.shape.slice(1).shape))
            }
        }
    }
}
