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
    /** Keras `return_sequences`: whether to return the whole output sequence or only its last step. */
    public var returnSequences: Boolean by param("return_sequences", false)
    /** Keras `return_state`: whether to return the last state in addition to the output. */
    public var returnState: Boolean by param("return_state", false)
    /** Keras `go_backwards`: whether to process the input sequence backwards and return the reversed sequence. */
    public var goBackwards: Boolean by param("go_backwards", false)
    /** Keras `stateful`: whether the last state of sample i in a batch is the initial state of sample i in the next. */
    public var stateful: Boolean by param("stateful", false)
    /** Keras `unroll`: whether to unroll the recurrence instead of using a symbolic loop (faster, more memory). */
    public var unroll: Boolean by param("unroll", false)
    /** Keras `zero_output_for_mask`: whether masked time steps output zeros when the whole sequence is returned. */
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
}

/** Keras `SimpleRNN(units)`: kernel `(input_dim, units)`, recurrent_kernel `(units, units)`, bias `(units,)`. */
public class SimpleRnnBuilder internal constructor(units: Int) : RnnBuilder("SimpleRNN") {
    /** Keras `units`: the dimensionality of the output space. */
    public var units: Int by param("units", units)
    /** Keras `activation`: the activation function of each step's output. */
    public var activation: String by param("activation", "tanh")
    override var useBias: Boolean by param("use_bias", true)
    /** Keras `kernel_initializer`: how the kernel, applied to the inputs, is initialized. */
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    /** Keras `recurrent_initializer`: how the recurrent kernel, applied to the recurrent state, is initialized. */
    public var recurrentInitializer: Initializer by param("recurrent_initializer", orthogonal())
    /** Keras `bias_initializer`: how the bias vector is initialized. */
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    /** Keras `kernel_regularizer`: the regularizer applied to the kernel; null for none. */
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    /** Keras `recurrent_regularizer`: the regularizer applied to the recurrent kernel; null for none. */
    public var recurrentRegularizer: Regularizer? by param("recurrent_regularizer", null)
    /** Keras `bias_regularizer`: the regularizer applied to the bias vector; null for none. */
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        computed("activity_regularizer") { null } // Keras 3 SimpleRNN drops it: always null
    }

    /** Keras `kernel_constraint`: the constraint applied to the kernel; null for none. */
    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    /** Keras `recurrent_constraint`: the constraint applied to the recurrent kernel; null for none. */
    public var recurrentConstraint: Constraint? by param("recurrent_constraint", null)
    override var biasConstraint: Constraint? by param("bias_constraint", null)
    /** Keras `dropout`: the fraction of the units to drop for the linear transformation of the inputs. */
    public var dropout: Double by param("dropout", 0.0)
    /** Keras `recurrent_dropout`: the fraction of the units to drop for the transformation of the recurrent state. */
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
    /** Keras `units`: the dimensionality of the output space. */
    public var units: Int by param("units", units)
    /** Keras `activation`: the activation function of the cell candidate and of the output. */
    public var activation: String by param("activation", "tanh")
    /** Keras `recurrent_activation`: the activation function of the gates. */
    public var recurrentActivation: String by param("recurrent_activation", "sigmoid")
    override var useBias: Boolean by param("use_bias", true)
    /** Keras `kernel_initializer`: how the kernel, applied to the inputs, is initialized. */
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    /** Keras `recurrent_initializer`: how the recurrent kernel, applied to the recurrent state, is initialized. */
    public var recurrentInitializer: Initializer by param("recurrent_initializer", orthogonal())
    /** Keras `bias_initializer`: how the bias vector is initialized. */
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    /** Keras `unit_forget_bias`: whether to add 1 to the forget gate's bias at initialization. */
    public var unitForgetBias: Boolean by param("unit_forget_bias", true)
    /** Keras `kernel_regularizer`: the regularizer applied to the kernel; null for none. */
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    /** Keras `recurrent_regularizer`: the regularizer applied to the recurrent kernel; null for none. */
    public var recurrentRegularizer: Regularizer? by param("recurrent_regularizer", null)
    /** Keras `bias_regularizer`: the regularizer applied to the bias vector; null for none. */
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        activityRegularizerSlot()
    }

    /** Keras `kernel_constraint`: the constraint applied to the kernel; null for none. */
    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    /** Keras `recurrent_constraint`: the constraint applied to the recurrent kernel; null for none. */
    public var recurrentConstraint: Constraint? by param("recurrent_constraint", null)
    override var biasConstraint: Constraint? by param("bias_constraint", null)
    /** Keras `dropout`: the fraction of the units to drop for the linear transformation of the inputs. */
    public var dropout: Double by param("dropout", 0.0)
    /** Keras `recurrent_dropout`: the fraction of the units to drop for the transformation of the recurrent state. */
    public var recurrentDropout: Double by param("recurrent_dropout", 0.0)
    /** Keras `seed`: the random seed of the dropout; null for none. */
    public var seed: Int? by param("seed", null)
    override val width: Int get() = units
}

/** Keras `GRU(units)`: kernel `(input_dim, 3 units)`, recurrent_kernel `(units, 3 units)`, bias `(2, 3 units)`. */
public class GruBuilder internal constructor(units: Int) : RnnBuilder("GRU") {
    /** Keras `units`: the dimensionality of the output space. */
    public var units: Int by param("units", units)
    /** Keras `activation`: the activation function of the candidate state. */
    public var activation: String by param("activation", "tanh")
    /** Keras `recurrent_activation`: the activation function of the gates. */
    public var recurrentActivation: String by param("recurrent_activation", "sigmoid")
    override var useBias: Boolean by param("use_bias", true)
    /** Keras `kernel_initializer`: how the kernel, applied to the inputs, is initialized. */
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    /** Keras `recurrent_initializer`: how the recurrent kernel, applied to the recurrent state, is initialized. */
    public var recurrentInitializer: Initializer by param("recurrent_initializer", orthogonal())
    /** Keras `bias_initializer`: how the bias vector is initialized. */
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    /** Keras `kernel_regularizer`: the regularizer applied to the kernel; null for none. */
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    /** Keras `recurrent_regularizer`: the regularizer applied to the recurrent kernel; null for none. */
    public var recurrentRegularizer: Regularizer? by param("recurrent_regularizer", null)
    /** Keras `bias_regularizer`: the regularizer applied to the bias vector; null for none. */
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        activityRegularizerSlot()
    }

    /** Keras `kernel_constraint`: the constraint applied to the kernel; null for none. */
    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    /** Keras `recurrent_constraint`: the constraint applied to the recurrent kernel; null for none. */
    public var recurrentConstraint: Constraint? by param("recurrent_constraint", null)
    override var biasConstraint: Constraint? by param("bias_constraint", null)
    /** Keras `dropout`: the fraction of the units to drop for the linear transformation of the inputs. */
    public var dropout: Double by param("dropout", 0.0)
    /** Keras `recurrent_dropout`: the fraction of the units to drop for the transformation of the recurrent state. */
    public var recurrentDropout: Double by param("recurrent_dropout", 0.0)
    /** Keras `reset_after`: whether the reset gate applies after (cuDNN-compatible) or before the matrix product. */
    public var resetAfter: Boolean by param("reset_after", true)
    /** Keras `seed`: the random seed of the dropout; null for none. */
    public var seed: Int? by param("seed", null)
    override val width: Int get() = units
}

/** Keras `ConvLSTM1D`/`ConvLSTM2D(filters, kernel_size)`: kernel `kernel_size + (in, 4 filters)`. */
public class ConvLstmBuilder internal constructor(rank: Int, filters: Int, kernelSize: Int) :
    RnnBuilder("ConvLSTM${rank}D") {
    /** Keras `filters`: the number of filters, i.e. the number of output channels. */
    public var filters: Int by param("filters", filters)
    /** Keras `kernel_size`: the size of the convolution window, one per spatial dimension. */
    public var kernelSize: List<Int> by param("kernel_size", List(rank) { kernelSize })
    /** Keras `strides`: the strides of the convolution, one per spatial dimension. */
    public var strides: List<Int> by param("strides", List(rank) { 1 })
    /** Keras `padding`: `valid` for no padding, or `same` to pad evenly so that stride 1 keeps the spatial size. */
    public var padding: String by param("padding", "valid")
    /** Keras `data_format`: the ordering of the input dimensions, `channels_last` or `channels_first`. */
    public var dataFormat: String by param("data_format", "channels_last")
    /** Keras `dilation_rate`: the dilation rate of the convolution, one per spatial dimension. */
    public var dilationRate: List<Int> by param("dilation_rate", List(rank) { 1 })
    /** Keras `activation`: the activation function of the cell candidate and of the output. */
    public var activation: String by param("activation", "tanh")
    /** Keras `recurrent_activation`: the activation function of the gates. */
    public var recurrentActivation: String by param("recurrent_activation", "sigmoid")
    override var useBias: Boolean by param("use_bias", true)
    /** Keras `kernel_initializer`: how the kernel, applied to the inputs, is initialized. */
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    /** Keras `recurrent_initializer`: how the recurrent kernel, applied to the recurrent state, is initialized. */
    public var recurrentInitializer: Initializer by param("recurrent_initializer", orthogonal())
    /** Keras `bias_initializer`: how the bias vector is initialized. */
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    /** Keras `unit_forget_bias`: whether to add 1 to the forget gate's bias at initialization. */
    public var unitForgetBias: Boolean by param("unit_forget_bias", true)
    /** Keras `kernel_regularizer`: the regularizer applied to the kernel; null for none. */
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    /** Keras `recurrent_regularizer`: the regularizer applied to the recurrent kernel; null for none. */
    public var recurrentRegularizer: Regularizer? by param("recurrent_regularizer", null)
    /** Keras `bias_regularizer`: the regularizer applied to the bias vector; null for none. */
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        activityRegularizerSlot()
    }

    /** Keras `kernel_constraint`: the constraint applied to the kernel; null for none. */
    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    /** Keras `recurrent_constraint`: the constraint applied to the recurrent kernel; null for none. */
    public var recurrentConstraint: Constraint? by param("recurrent_constraint", null)
    override var biasConstraint: Constraint? by param("bias_constraint", null)
    /** Keras `dropout`: the fraction of the units to drop for the linear transformation of the inputs. */
    public var dropout: Double by param("dropout", 0.0)
    /** Keras `recurrent_dropout`: the fraction of the units to drop for the transformation of the recurrent state. */
    public var recurrentDropout: Double by param("recurrent_dropout", 0.0)
    /** Keras `seed`: the random seed of the dropout; null for none. */
    public var seed: Int? by param("seed", null)
    override val width: Int get() = filters
}

/**
 * Keras `Bidirectional(layer, merge_mode)`: Keras writes the wrapped layer twice, as `forward_<name>` and as
 * `backward_<name>` with `go_backwards: true`, both with the same constraints.
 */
public class BidirectionalBuilder internal constructor(mergeMode: String?) : LayerBuilder("Bidirectional") {
    /** Keras `merge_mode`: how the two outputs combine: `sum`, `mul`, `concat`, `ave`, or null for a list of both. */
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
