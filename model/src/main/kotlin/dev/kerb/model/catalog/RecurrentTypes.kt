package dev.kerb.model.catalog

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

// Recurrent layers and their wrappers (keras/src/layers/rnn): an RNN layer holds no variables of its own, its cell
// does; a wrapper's variables live in the layers it wraps.

/** Multiplies a dimension that may be unknown. */
private operator fun Int?.times(k: Int): Int? = this?.let { it * k }

/**
 * What an RNN layer needs of its cell; `args` is the cell's config, or the RNN layer's, which carries the same keys.
 *
 * @property className the cell's class, as its part of the weights names it
 */
private abstract class CellKind(val className: String) {
    /** Fails as the cell's `build` does on a [step] input (batch, features...), beyond the check of unknown shapes. */
    open fun check(args: LayerArgs, step: Dims) {}

    /** Returns the shape of one step's output, batch first. */
    abstract fun output(args: LayerArgs, step: Dims): Dims

    /** Returns the shapes of the states, batch first, flattened in Keras' order. */
    abstract fun states(args: LayerArgs, step: Dims): List<Dims>

    /** Returns the variables the cell creates when built on [step], null when not known. */
    abstract fun weights(args: LayerArgs, step: Dims?): LayerWeights
}

/**
 * `SimpleRNNCell`, `LSTMCell`, `GRUCell`: kernel `(features, gates * units)`, recurrent kernel `(units, gates * units)`,
 * a bias of [biasShape] for `units`; [stateCount] states of `units`.
 */
private class DenseCell(className: String, private val gates: Int, private val stateCount: Int,
    private val biasShape: (LayerArgs, Int?) -> Dims = { _, units -> listOf(units * gates) }) : CellKind(className) {
    override fun output(args: LayerArgs, step: Dims): Dims = listOf(step.firstOrNull(), args.int("units"))

    override fun states(args: LayerArgs, step: Dims): List<Dims> = List(stateCount) { output(args, step) }

    override fun weights(args: LayerArgs, step: Dims?): LayerWeights {
        val units = args.int("units")
        return LayerWeights(listOfNotNull(variable("kernel", listOf(step?.lastOrNull(), units * gates)),
            variable("recurrent_kernel", listOf(units, units * gates), key = "recurrent"),
            variable("bias", biasShape(args, units)).takeIf { args.bool("use_bias", true) }))
    }
}

/** `SimpleRNNCell`: one gate, one state. */
private val SIMPLE_RNN_CELL = DenseCell("SimpleRNNCell", 1, 1)

/** `LSTMCell`: four gates, states `h` and `c`. */
private val LSTM_CELL = DenseCell("LSTMCell", 4, 2)

/** `GRUCell`: three gates, one state; with `reset_after` (the default) separate input and recurrent biases. */
private val GRU_CELL = DenseCell("GRUCell", 3, 1) { args, units ->
    if (args.bool("reset_after", true)) listOf(2, units * 3) else listOf(units * 3)
}

/** `ConvLSTMCell` of [rank]: convolutions of `kernel_size` in place of matrix products; two states of its output's shape. */
private class ConvLstmCell(private val rank: Int) : CellKind("ConvLSTMCell") {
    override fun check(args: LayerArgs, step: Dims) {
        expect(null !in spatialOf(step, args.channelsFirst)) {
            "ConvLSTM layers only support static input shapes for the spatial dimension. Received invalid input " +
                "shape: input_shape=${step.text()}"
        }
        expect(channelsOf(step, args.channelsFirst) != null) {
            "The channel dimension of the inputs (last axis) should be defined. Found None. Full input shape " +
                "received: input_shape=${step.text()}"
        }
    }

    /** Keras' `compute_conv_output_shape` of one step. */
    override fun output(args: LayerArgs, step: Dims): Dims {
        val filters = args.int("filters")
        val kernel = args.ints("kernel_size", rank, 1)
        val strides = args.ints("strides", rank, 1)
        val dilation = args.ints("dilation_rate", rank, 1)
        val padding = args.string("padding", "valid").lowercase()
        val out = spatialOf(step, args.channelsFirst).mapIndexed { i, size ->
            size?.let { windowed(it, dilation[i] * (kernel[i] - 1) + 1, strides[i], padding) }
        }
        expect(padding != "valid" || out.all { it == null || it > 0 }) {
            "Computed output size would be zero or negative. Received `inputs shape=${step.text()}`, `kernel " +
                "shape=${(kernel + channelsOf(step, args.channelsFirst) + filters).text()}`, " +
                "`dilation_rate=${numpyText(dilation)}`, `strides=${strides.text()}`, `padding=$padding`."
        }
        return shapeOf(step.firstOrNull(), out, filters, args.channelsFirst)
    }

    override fun states(args: LayerArgs, step: Dims): List<Dims> = output(args, step).let { listOf(it, it) }

    override fun weights(args: LayerArgs, step: Dims?): LayerWeights {
        val filters = args.int("filters")
        val kernel: Dims = args.ints("kernel_size", rank, 1)
        return LayerWeights(listOfNotNull(variable("kernel", kernel + channelsOf(step, args.channelsFirst) + filters * 4),
            variable("recurrent_kernel", kernel + filters + filters * 4, key = "recurrent"),
            variable("bias", listOf(filters * 4)).takeIf { args.bool("use_bias", true) }))
    }
}

/** `StackedRNNCells`: its `cells` in turn, each fed the previous one's output; the states of all, in order. */
private object StackedCells : CellKind("StackedRNNCells") {
    /** The stacked cells with their configs and the step input each is built on. */
    private fun chain(args: LayerArgs, step: Dims?): List<Triple<CellKind, LayerArgs, Dims?>> {
        var input = step
        return (args.config["cells"] as? JsonArray).orEmpty().map { element ->
            val dict = element as? JsonObject ?: throw NotModeled("a StackedRNNCells cell that is not a layer dict")
            val cellArgs = LayerArgs((dict["class_name"] as? JsonPrimitive)?.content.orEmpty(),
                dict["config"] as? JsonObject ?: JsonObject(emptyMap()))
            val kind = cellKind(cellArgs.className) ?: throw NotModeled(cellArgs.className)
            Triple(kind, cellArgs, input).also { input = input?.let { kind.output(cellArgs, it) } }
        }
    }

    override fun output(args: LayerArgs, step: Dims): Dims =
        chain(args, step).lastOrNull()?.let { (kind, cellArgs, input) -> kind.output(cellArgs, input!!) } ?: step

    override fun states(args: LayerArgs, step: Dims): List<Dims> =
        chain(args, step).flatMap { (kind, cellArgs, input) -> kind.states(cellArgs, input!!) }

    override fun weights(args: LayerArgs, step: Dims?): LayerWeights {
        val used = HashMap<String, Int>()
        // The weights file keys a list of layers by class, numbered as Keras' `_get_unique_name` does, not by name.
        return LayerWeights(emptyList(), chain(args, step).map { (kind, cellArgs, input) ->
            val key = LayerArgs.snakeCase(kind.className)
            val n = used.merge(key, 0) { old, _ -> old + 1 }!!
            Part("cells/${if (n == 0) key else "${key}_$n"}", cellArgs.name, kind.className, kind.weights(cellArgs, input),
                cellArgs)
        })
    }
}

/** The cells a generic `RNN` may hold, by class. */
private fun cellKind(className: String): CellKind? = when (className) {
    "SimpleRNNCell" -> SIMPLE_RNN_CELL
    "LSTMCell" -> LSTM_CELL
    "GRUCell" -> GRU_CELL
    "StackedRNNCells" -> StackedCells
    else -> null
}

/**
 * A layer's cell: its kind, its config, and the name Keras puts in its variables' paths.
 *
 * @property kind what the cell computes
 * @property args the config its sizes come from
 * @property name the cell's name (`lstm_cell`)
 */
private class CellOf(val kind: CellKind, val args: LayerArgs, val name: String)

/**
 * An RNN layer (`keras.layers.RNN` and its subclasses): runs its cell over the time axis (axis 1), returning the last
 * output or, with `return_sequences`, all of them, then with `return_state` the final states.
 */
private abstract class RecurrentType(vararg classNames: String) : LayerType(*classNames) {
    /** Returns the rank the layer's `InputSpec` demands, or null when it takes any (`RNN`). */
    abstract fun ndim(layer: LayerArgs): Int?

    /** Returns the layer's cell, or null when its config has none. */
    abstract fun cell(layer: LayerArgs): CellOf?

    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val input = inputs[0]
        ndim(layer)?.let { requireRank(layer, input, it) }
        val cell = cell(layer) ?: throw NotModeled("${layer.className} without a cell")
        val step = listOf(input.firstOrNull()) + input.drop(2)
        cell.kind.check(cell.args, step)
        val out = cell.kind.output(cell.args, step)
        val output = if (layer.bool("return_sequences", false)) listOf(out[0], input.getOrNull(1)) + out.drop(1) else out
        return listOf(output) + if (layer.bool("return_state", false)) cell.kind.states(cell.args, step) else emptyList()
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val cell = cell(layer) ?: return LayerWeights.NONE
        val step = inputs?.get(0)?.let { listOf(it.firstOrNull()) + it.drop(2) }
        return LayerWeights(emptyList(), listOf(Part("cell", cell.name, cell.kind.className, cell.kind.weights(cell.args, step),
            cell.args)))
    }
}

/** An RNN subclass of input rank [rank] that builds its [kind] of cell from its own config, named [cellName]. */
private class FixedCell(className: String, private val kind: CellKind, private val cellName: String, private val rank: Int) :
    RecurrentType(className) {
    override fun ndim(layer: LayerArgs): Int = rank

    override fun cell(layer: LayerArgs): CellOf = CellOf(kind, layer, cellName)
}

/** `RNN(cell)`: a cell given by its config, `StackedRNNCells` included; no rank check of its own. */
private object GenericRnn : RecurrentType("RNN") {
    override fun ndim(layer: LayerArgs): Int? = null

    override fun cell(layer: LayerArgs): CellOf? = layer.layer("cell")?.let { cell ->
        CellOf(cellKind(cell.className) ?: throw NotModeled(cell.className), cell, cell.name)
    }
}

/** Returns the type of a wrapped layer, failing when Kerb does not model its class. */
private fun wrappedType(inner: LayerArgs): LayerType =
    LayerCatalog.type(inner.className) ?: throw NotModeled(inner.className)

/**
 * `Bidirectional(layer, merge_mode, backward_layer)`: the layer forward and a copy going backwards (or the given
 * `backward_layer`), merged by `merge_mode`; shapes follow the forward layer alone, as Keras' `compute_output_shape`.
 */
private object BidirectionalType : LayerType("Bidirectional") {
    /** The forward layer, under the name Keras gives it (`forward_lstm`). */
    private fun forward(layer: LayerArgs): Pair<LayerArgs, String>? =
        layer.layer("layer")?.let { it to "forward_${it.name.removePrefix("forward_")}" }

    /** The backward layer: the given one under its own name, else the forward layer's copy (`backward_lstm`). */
    private fun backward(layer: LayerArgs): Pair<LayerArgs, String>? =
        layer.layer("backward_layer")?.let { it to it.name }
            ?: layer.layer("layer")?.let { it to "backward_${it.name.removePrefix("backward_")}" }

    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val inner = layer.layer("layer") ?: throw NotModeled("${layer.className} without a layer")
        val type = wrappedType(inner)
        // Keras takes the wrapped layer's InputSpec as its own, so a misfit names the Bidirectional.
        (type as? RecurrentType)?.ndim(inner)?.let { requireRank(layer, inputs[0], it) }
        val shapes = type.outputs(inner, inputs)
        val output = shapes[0]
        val states = if (inner.bool("return_state", false)) shapes.drop(1) else emptyList()
        val mode = if ("merge_mode" in layer.config) layer.string("merge_mode") else "concat"
        val merged = when (mode) {
            "concat" -> listOf(output.dropLast(1) + output.last()?.times(2))
            null -> listOf(output, output)
            else -> listOf(output)
        }
        return merged + states + states
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val parts = listOf("forward_layer" to forward(layer), "backward_layer" to backward(layer))
            .mapNotNull { (attribute, inner) ->
                inner?.let { (args, name) -> Part(attribute, name, args.className, wrappedType(args).weights(args, inputs), args) }
            }
        return LayerWeights(emptyList(), parts)
    }
}

/**
 * `TimeDistributed(layer)`: the layer applied to each step of axis 1, its shapes those of the layer on the input
 * without that axis, with the axis put back.
 */
private object TimeDistributedType : LayerType("TimeDistributed") {
    /** The input of one step: the input without its time axis. */
    private fun child(input: Dims): Dims = listOf(input[0]) + input.drop(2)

    override fun outputs(layer: LayerArgs, inputs: List<Dims>): List<Dims> {
        val input = inputs[0]
        expect(input.size >= 3) {
            "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions, received: ${input.text()}"
        }
        val inner = layer.layer("layer") ?: throw NotModeled("${layer.className} without a layer")
        return wrappedType(inner).outputs(inner, listOf(child(input))).map { listOf(it[0], input[1]) + it.drop(1) }
    }

    override fun weights(layer: LayerArgs, inputs: List<Dims>?): LayerWeights {
        val inner = layer.layer("layer") ?: return LayerWeights.NONE
        val child = inputs?.get(0)?.takeIf { it.size >= 3 }?.let { listOf(child(it)) }
        return LayerWeights(emptyList(), listOf(Part("layer", inner.name, inner.className, wrappedType(inner).weights(inner, child),
            inner)))
    }
}

/** The recurrent layer types: the RNN layers, then the wrappers. */
internal val RECURRENT_TYPES: List<LayerType> = listOf(
    FixedCell("SimpleRNN", SIMPLE_RNN_CELL, "simple_rnn_cell", 3),
    FixedCell("LSTM", LSTM_CELL, "lstm_cell", 3),
    FixedCell("GRU", GRU_CELL, "gru_cell", 3),
    FixedCell("ConvLSTM1D", ConvLstmCell(1), "conv_lstm_cell", 4),
    FixedCell("ConvLSTM2D", ConvLstmCell(2), "conv_lstm_cell", 5),
    FixedCell("ConvLSTM3D", ConvLstmCell(3), "conv_lstm_cell", 6),
    GenericRnn,
    BidirectionalType,
    TimeDistributedType,
)
