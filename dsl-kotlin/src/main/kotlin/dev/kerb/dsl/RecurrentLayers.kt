package dev.kerb.dsl

import dev.kerb.core.Constraint
import dev.kerb.registry.ConstraintRegistry
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

// Recurrent layers, with Keras 3.15's get_config keys in order (keras/src/layers/rnn): the RNN keys come first,
// then the cell's. Their weights: kernel, recurrent_kernel and bias, under kernel/recurrent/bias_constraint.

/** The keys every Keras RNN layer writes first, and the weights and constraints they all share. */
public abstract class RnnBuilder internal constructor(className: String) : LayerBuilder(className) {
    public var returnSequences: Boolean by param("return_sequences", false)
    public var returnState: Boolean by param("return_state", false)
    public var goBackwards: Boolean by param("go_backwards", false)
    public var stateful: Boolean by param("stateful", false)
    public var unroll: Boolean by param("unroll", false)
    public var zeroOutputForMask: Boolean by param("zero_output_for_mask", false)

    /** Keras `use_bias`. */
    public abstract var useBias: Boolean

    /** Keras `bias_constraint`. */
    public abstract var biasConstraint: Constraint?

    /** The output width per step: `units`, or `filters` for ConvLSTM. */
    internal abstract val width: Int

    override fun check(layerName: String) {
        requirePositive(layerName, if (this is ConvLstmBuilder) "filters" else "units", width)
        requireBias(layerName, useBias, biasConstraint)
    }

    override fun outputShape(inputs: List<List<Int?>>): List<Int?> =
        if (returnSequences) inputs[0].dropLast(1) + width else listOf(inputs[0].firstOrNull(), width)
}

/** Keras `SimpleRNN(units)`: kernel `(input_dim, units)`, recurrent_kernel `(units, units)`, bias `(units,)`. */
public class SimpleRnnBuilder internal constructor(units: Int) : RnnBuilder("SimpleRNN") {
    public var units: Int by param("units", units)
    public var activation: String by param("activation", "tanh")
    override var useBias: Boolean by param("use_bias", true)
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    public var recurrentInitializer: Initializer by param("recurrent_initializer", orthogonal())
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    public var recurrentRegularizer: Regularizer? by param("recurrent_regularizer", null)
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        computed("activity_regularizer") { null } // Keras 3 SimpleRNN drops it: always null
    }

    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    public var recurrentConstraint: Constraint? by param("recurrent_constraint", null)
    override var biasConstraint: Constraint? by param("bias_constraint", null)
    public var dropout: Double by param("dropout", 0.0)
    public var recurrentDropout: Double by param("recurrent_dropout", 0.0)
    override val width: Int get() = units
    override val baseWritesActivityRegularizer: Boolean get() = false

    override fun check(layerName: String) {
        super.check(layerName)
        require(activityRegularizer == null) {
            "layer '$layerName': Keras 3 SimpleRNN ignores activity_regularizer and saves it as null; leave it unset"
        }
    }
}

/** Keras `LSTM(units)`: kernel `(input_dim, 4 units)`, recurrent_kernel `(units, 4 units)`, bias `(4 units,)`. */
public class LstmBuilder internal constructor(units: Int) : RnnBuilder("LSTM") {
    public var units: Int by param("units", units)
    public var activation: String by param("activation", "tanh")
    public var recurrentActivation: String by param("recurrent_activation", "sigmoid")
    override var useBias: Boolean by param("use_bias", true)
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    public var recurrentInitializer: Initializer by param("recurrent_initializer", orthogonal())
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    public var unitForgetBias: Boolean by param("unit_forget_bias", true)
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    public var recurrentRegularizer: Regularizer? by param("recurrent_regularizer", null)
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        activityRegularizerSlot()
    }

    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    public var recurrentConstraint: Constraint? by param("recurrent_constraint", null)
    override var biasConstraint: Constraint? by param("bias_constraint", null)
    public var dropout: Double by param("dropout", 0.0)
    public var recurrentDropout: Double by param("recurrent_dropout", 0.0)
    public var seed: Int? by param("seed", null)
    override val width: Int get() = units
}

/** Keras `GRU(units)`: kernel `(input_dim, 3 units)`, recurrent_kernel `(units, 3 units)`, bias `(2, 3 units)`. */
public class GruBuilder internal constructor(units: Int) : RnnBuilder("GRU") {
    public var units: Int by param("units", units)
    public var activation: String by param("activation", "tanh")
    public var recurrentActivation: String by param("recurrent_activation", "sigmoid")
    override var useBias: Boolean by param("use_bias", true)
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    public var recurrentInitializer: Initializer by param("recurrent_initializer", orthogonal())
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    public var recurrentRegularizer: Regularizer? by param("recurrent_regularizer", null)
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        activityRegularizerSlot()
    }

    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    public var recurrentConstraint: Constraint? by param("recurrent_constraint", null)
    override var biasConstraint: Constraint? by param("bias_constraint", null)
    public var dropout: Double by param("dropout", 0.0)
    public var recurrentDropout: Double by param("recurrent_dropout", 0.0)
    public var resetAfter: Boolean by param("reset_after", true)
    public var seed: Int? by param("seed", null)
    override val width: Int get() = units
}

/** Keras `ConvLSTM1D`/`ConvLSTM2D(filters, kernel_size)`: kernel `kernel_size + (in, 4 filters)`. */
public class ConvLstmBuilder internal constructor(rank: Int, filters: Int, kernelSize: Int) :
    RnnBuilder("ConvLSTM${rank}D") {
    public var filters: Int by param("filters", filters)
    public var kernelSize: List<Int> by param("kernel_size", List(rank) { kernelSize })
    public var strides: List<Int> by param("strides", List(rank) { 1 })
    public var padding: String by param("padding", "valid")
    public var dataFormat: String by param("data_format", "channels_last")
    public var dilationRate: List<Int> by param("dilation_rate", List(rank) { 1 })
    public var activation: String by param("activation", "tanh")
    public var recurrentActivation: String by param("recurrent_activation", "sigmoid")
    override var useBias: Boolean by param("use_bias", true)
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    public var recurrentInitializer: Initializer by param("recurrent_initializer", orthogonal())
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    public var unitForgetBias: Boolean by param("unit_forget_bias", true)
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    public var recurrentRegularizer: Regularizer? by param("recurrent_regularizer", null)
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        activityRegularizerSlot()
    }

    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    public var recurrentConstraint: Constraint? by param("recurrent_constraint", null)
    override var biasConstraint: Constraint? by param("bias_constraint", null)
    public var dropout: Double by param("dropout", 0.0)
    public var recurrentDropout: Double by param("recurrent_dropout", 0.0)
    public var seed: Int? by param("seed", null)
    override val width: Int get() = filters

    override fun outputShape(inputs: List<List<Int?>>): List<Int?> {
        val input = inputs[0]
        val spatialDims = kernelSize.indices.map { i ->
            val n = input.getOrNull(2 + i) ?: return@map null
            if (padding == "same") (n + strides[i] - 1) / strides[i]
            else (n - ((kernelSize[i] - 1) * dilationRate[i] + 1)) / strides[i] + 1
        }
        return listOf(input.firstOrNull()) + (if (returnSequences) listOf(input.getOrNull(1)) else emptyList()) +
            spatialDims + filters
    }
}

/**
 * Keras `Bidirectional(layer, merge_mode)`: Keras writes the wrapped layer twice, as `forward_<name>` and as
 * `backward_<name>` with `go_backwards: true`, both with the same constraints.
 */
public class BidirectionalBuilder internal constructor(mergeMode: String?) : LayerBuilder("Bidirectional") {
    public var mergeMode: String? by param("merge_mode", mergeMode)
    internal var layer: RnnBuilder? = null

    /** Wraps a `SimpleRNN`. */
    public fun simpleRnn(units: Int, activation: String = "tanh", block: SimpleRnnBuilder.() -> Unit = {}): Unit =
        wrap(SimpleRnnBuilder(units).also { it.activation = activation }, block)

    /** Wraps an `LSTM`. */
    public fun lstm(units: Int, activation: String = "tanh", block: LstmBuilder.() -> Unit = {}): Unit =
        wrap(LstmBuilder(units).also { it.activation = activation }, block)

    /** Wraps a `GRU`. */
    public fun gru(units: Int, activation: String = "tanh", block: GruBuilder.() -> Unit = {}): Unit =
        wrap(GruBuilder(units).also { it.activation = activation }, block)

    private fun <B : RnnBuilder> wrap(builder: B, block: B.() -> Unit) {
        require(layer == null) { "bidirectional wraps one layer; it already wraps ${layer!!.className}" }
        layer = builder.apply { registry = this@BidirectionalBuilder.registry }.apply(block)
    }

    override fun check(layerName: String) {
        val inner = requireNotNull(layer) { "bidirectional layer '$layerName' wraps no layer; add lstm(...) or gru(...)" }
        require(mergeMode in setOf("sum", "mul", "ave", "concat", null)) {
            "layer '$layerName' merge_mode must be sum, mul, ave, concat or null; got $mergeMode"
        }
        inner.check(inner.name ?: kerasSnakeCase(inner.className))
    }

    override fun config(layerName: String, registry: ConstraintRegistry): LinkedHashMap<String, JsonElement> {
        val inner = layer!!
        val innerName = (inner.name ?: kerasSnakeCase(inner.className)).removePrefix("forward_")
        inner.zeroOutputForMask = inner.returnSequences
        fun wrapped(name: String, backwards: Boolean): JsonObject {
            val config = inner.config(name, registry)
            config["go_backwards"] = JsonPrimitive(backwards)
            return JsonObject(linkedMapOf(
                "module" to JsonPrimitive(inner.module),
                "class_name" to JsonPrimitive(inner.className),
                "config" to JsonObject(config),
                "registered_name" to JsonPrimitive(null as String?),
            ))
        }
        return super.config(layerName, registry).apply {
            put("layer", wrapped("forward_$innerName", inner.goBackwards))
            put("backward_layer", wrapped("backward_$innerName", !inner.goBackwards))
        }
    }

    override fun outputShape(inputs: List<List<Int?>>): List<Int?> {
        val shape = layer!!.outputShape(inputs)
        return if (mergeMode == "concat") shape.dropLast(1) + shape.last()?.let { it * 2 } else shape
    }
}

/** Adds a `SimpleRNN` layer. */
public fun ModelBuilder.simpleRnn(
    units: Int, activation: String = "tanh", block: SimpleRnnBuilder.() -> Unit = {},
): Layer = add(SimpleRnnBuilder(units).also { it.activation = activation }, block)

/** Adds an `LSTM` layer. */
public fun ModelBuilder.lstm(units: Int, activation: String = "tanh", block: LstmBuilder.() -> Unit = {}): Layer =
    add(LstmBuilder(units).also { it.activation = activation }, block)

/** Adds a `GRU` layer. */
public fun ModelBuilder.gru(units: Int, activation: String = "tanh", block: GruBuilder.() -> Unit = {}): Layer =
    add(GruBuilder(units).also { it.activation = activation }, block)

/** Adds a `ConvLSTM1D` layer. */
public fun ModelBuilder.convLstm1d(
    filters: Int, kernelSize: Int, activation: String = "tanh", block: ConvLstmBuilder.() -> Unit = {},
): Layer = add(ConvLstmBuilder(1, filters, kernelSize).also { it.activation = activation }, block)

/** Adds a `ConvLSTM2D` layer. */
public fun ModelBuilder.convLstm2d(
    filters: Int, kernelSize: Int, activation: String = "tanh", block: ConvLstmBuilder.() -> Unit = {},
): Layer = add(ConvLstmBuilder(2, filters, kernelSize).also { it.activation = activation }, block)

/** Adds a `Bidirectional` wrapper; declare the wrapped layer in the block: `bidirectional { lstm(64) }`. */
public fun ModelBuilder.bidirectional(mergeMode: String? = "concat", block: BidirectionalBuilder.() -> Unit): Layer =
    add(BidirectionalBuilder(mergeMode), block)
