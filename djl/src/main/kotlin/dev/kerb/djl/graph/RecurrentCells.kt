package dev.kerb.djl.graph

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDArrays
import ai.djl.ndarray.NDList
import ai.djl.ndarray.types.DataType
import ai.djl.ndarray.types.Shape
import ai.djl.nn.Parameter
import ai.djl.nn.recurrent.RNN
import dev.kerb.djl.KerasLayout
import kotlinx.serialization.json.JsonPrimitive
import java.lang.invoke.MethodHandle
import java.lang.invoke.MethodHandles
import java.lang.invoke.MethodType
import java.util.Random
import java.util.concurrent.ConcurrentHashMap

/** Whether the recurrent layers run PyTorch's fused kernels where they compute what Keras does. */
internal object RecurrentKernels {
    /** On by default; tests turn it off to check the step-by-step loop against the fused kernels. */
    @Volatile
    var fused: Boolean = true
}

/** PyTorch's autograd mode, on which its CPU LSTM kernel depends. */
internal object GradMode {
    private val lookup = ConcurrentHashMap<ClassLoader, MethodHandle>()

    /** Whether autograd records now in [array]'s engine; null unless the engine is DJL's PyTorch engine. */
    fun enabled(array: NDArray): Boolean? {
        val engine = array.manager.engine
        if (engine.engineName != "PyTorch") return null
        // DJL's API does not say whether a GradientCollector is open; its PyTorch engine's JniUtils does.
        val isGradMode = lookup.getOrPut(engine.javaClass.classLoader) {
            MethodHandles.publicLookup().findStatic(
                Class.forName("ai.djl.pytorch.jni.JniUtils", true, engine.javaClass.classLoader), "isGradMode",
                MethodType.methodType(Boolean::class.javaPrimitiveType))
        }
        return isGradMode.invokeWithArguments() as Boolean
    }
}

/** A recurrent layer's outputs at every step (batch, time, units) and its final states, in Keras' order. */
internal class Recurrence(val outputs: NDArray, val states: List<NDArray>)

/** The values of a cell's variables in one call: its kernels in PyTorch's layout and Keras' alike, and its bias. */
internal class CellWeights(val torchKernel: NDArray, val torchRecurrent: NDArray, val bias: NDArray?) {
    /** The kernel in Keras' layout (in, gates * units), a view of [torchKernel] (gates * units, in). */
    val kernel: NDArray by lazy(LazyThreadSafetyMode.NONE) { torchKernel.transpose() }

    /** The recurrent kernel in Keras' layout (units, gates * units), a view of [torchRecurrent]. */
    val recurrent: NDArray by lazy(LazyThreadSafetyMode.NONE) { torchRecurrent.transpose() }
}

/**
 * The cell of a SimpleRNN, LSTM or GRU layer as Keras 3.15.1 computes it (`keras/src/layers/rnn`), of [gates] blocks
 * of `units` columns in its kernels: PyTorch's fused kernel where it computes the same, else a loop over the steps.
 */
internal abstract class RecurrentCell(private val c: LayerContext, private val gates: Int) {
    /** The size of the output and of each state. */
    val units: Int = c.args.int("units", 0)

    /** The `activation` setting, Keras' `tanh` when absent (null, given explicitly, is linear). */
    private val activationSetting = c.args.config["activation"] ?: JsonPrimitive("tanh")

    /** The `recurrent_activation` setting, Keras' `sigmoid` when absent. */
    private val recurrentSetting = c.args.config["recurrent_activation"] ?: JsonPrimitive("sigmoid")

    /** The activation's name, which decides whether PyTorch's fused kernel applies. */
    protected val activationName: String? = Activations.name(activationSetting)

    /** The activation of the candidate values and outputs. */
    protected val activation: (NDArray) -> NDArray = Activations.of(activationSetting, "layer '${c.name}'")

    /** The recurrent activation's name; SimpleRNN has none and ignores it. */
    protected val recurrentName: String? = Activations.name(recurrentSetting)

    /** The activation of the gates. */
    protected val recurrentActivation: (NDArray) -> NDArray = Activations.of(recurrentSetting, "layer '${c.name}'")

    // PyTorch's fused kernels take (gates * units, in) weights; on transposed views they ran 8% slower.
    private val kernel: Parameter = c.parameter("kernel", KerasLayout.RNN_KERNEL)
    private val recurrentKernel: Parameter = c.parameter("recurrent_kernel", KerasLayout.RNN_RECURRENT_KERNEL)
    private val bias: Parameter? = if (c.args.bool("use_bias", true)) c.parameter("bias") else null

    // Keras clips both rates to [0, 1].
    private val dropout = c.args.double("dropout", 0.0).coerceIn(0.0, 1.0)
    private val recurrentDropout = c.args.double("recurrent_dropout", 0.0).coerceIn(0.0, 1.0)

    /** Keras' `implementation=1`, forced by recurrent dropout: a dropout mask per gate instead of one per input. */
    private val maskPerGate = gates > 1 && (recurrentDropout != 0.0 || c.args.int("implementation", 2) == 1)

    /** How many states the cell carries (`h`, or `h` and `c`). */
    abstract val stateCount: Int

    /** Whether PyTorch's fused kernel computes this cell on [x] (its activations, gate layout, device and type). */
    abstract fun fusable(x: NDArray): Boolean

    /** Whether a dropout [rate] applies in training; LSTM and GRU cells skip a rate of 1, SimpleRNN's drops all. */
    protected open fun drops(rate: Double): Boolean = rate > 0 && rate < 1

    /** Runs PyTorch's fused kernel over [x] (batch, time, in) from [initial] states. */
    protected abstract fun fused(w: CellWeights, x: NDArray, initial: List<NDArray>, training: Boolean): Recurrence

    /** The part of the bias added to the inputs' projection. */
    protected open fun inputBias(bias: NDArray): NDArray = bias

    /** One step: the new states (output first) from the projected input [xt] (batch, gates * units) and [states]. */
    protected abstract fun step(w: CellWeights, xt: NDArray, states: List<NDArray>, masks: List<NDArray>?): List<NDArray>

    /** Runs the cell over axis 1 of [x] from [initial] states, as Keras' `backend.rnn` scans it. */
    fun run(f: Forward, x: NDArray, initial: List<NDArray>): Recurrence {
        val w = with(c) { CellWeights(f.value(kernel), f.value(recurrentKernel), bias?.let { f.value(it) }) }
        val inputDrop = f.training && drops(dropout)
        val recurrentDrop = f.training && drops(recurrentDropout)
        val batch = x.shape[0]
        val inputMasks = if (inputDrop) masks(x, longArrayOf(batch, x.shape[2]), dropout) else null
        if (RecurrentKernels.fused && fusable(x) && !recurrentDrop && !(inputDrop && maskPerGate)) {
            return fused(w, if (inputMasks == null) x else x.mul(inputMasks[0].expandDims(1)), initial, f.training)
        }
        val recurrentMasks = if (recurrentDrop) masks(x, longArrayOf(batch, units.toLong()), recurrentDropout) else null
        var projected = project(x, w.kernel, inputMasks?.map { it.expandDims(1) }, 0 until gates)
        if (w.bias != null) projected = projected.add(inputBias(w.bias))
        var states = initial
        val outputs = NDList()
        for (t in 0 until x.shape[1]) {
            states = step(w, projected.get(":, $t"), states, recurrentMasks)
            outputs.add(states[0])
        }
        return Recurrence(NDArrays.stack(outputs, 1), states)
    }

    /** Keras' dropout masks of [shape]: one, or one per gate under `implementation=1`; kept values scaled up. */
    private fun masks(x: NDArray, shape: LongArray, rate: Double): List<NDArray> = List(if (maskPerGate) gates else 1) {
        val keep = x.manager.randomUniform(0f, 1f, Shape(*shape), x.dataType).gte(rate).toType(x.dataType, false)
        if (rate < 1) keep.div(1 - rate) else keep
    }

    /** [v] times the columns of [w] for the gates [range], each gate's [v] times its own mask if there is one per gate. */
    protected fun project(v: NDArray, w: NDArray, masks: List<NDArray>?, range: IntRange): NDArray {
        fun columns(r: IntRange) =
            if (r.first == 0 && r.last == gates - 1) w else w.get(":, ${r.first * units}:${(r.last + 1) * units}")
        return when {
            masks == null -> v.matMul(columns(range))
            masks.size == 1 -> v.mul(masks[0]).matMul(columns(range))
            else -> NDArrays.concat(NDList(range.map { g -> v.mul(masks[g]).matMul(columns(g..g)) }), -1)
        }
    }

    /** PyTorch's parameters of one layer and direction: weights (gates * units, in), then the input and hidden biases. */
    protected fun torchParams(kernel: NDArray, recurrent: NDArray, inputBias: NDArray?, hiddenBias: NDArray?): NDList =
        if (inputBias == null) NDList(kernel, recurrent)
        else NDList(kernel, recurrent, inputBias, hiddenBias ?: inputBias.zerosLike())
}

/** Keras' SimpleRNNCell: `h = activation(x kernel + bias + h recurrent_kernel)`; PyTorch's RNN for tanh and relu. */
internal class SimpleRnnCell(c: LayerContext) : RecurrentCell(c, 1) {
    override val stateCount: Int = 1
    override fun fusable(x: NDArray): Boolean = activationName == "tanh" || activationName == "relu"

    // SimpleRNNCell draws its masks for any rate above 0: a rate of 1 drops everything.
    override fun drops(rate: Double): Boolean = rate > 0

    override fun fused(w: CellWeights, x: NDArray, initial: List<NDArray>, training: Boolean): Recurrence {
        val kind = if (activationName == "relu") RNN.Activation.RELU else RNN.Activation.TANH
        val params = torchParams(w.torchKernel, w.torchRecurrent, w.bias, null)
        val out = x.getNDArrayInternal().rnn(x, initial[0].expandDims(0), params, w.bias != null, 1, kind, 0.0, training,
            false, true)
        return Recurrence(out[0], listOf(out[1].squeeze(0)))
    }

    override fun step(w: CellWeights, xt: NDArray, states: List<NDArray>, masks: List<NDArray>?): List<NDArray> =
        listOf(activation(xt.add(project(states[0], w.recurrent, masks, 0..0))))
}

/**
 * Keras' LSTMCell, gates i, f, c, o: `c = f c + i activation(z_c)`, `h = o activation(c)`; PyTorch's LSTM (gates i, f,
 * g, o, the same order) for tanh and sigmoid, with Keras' one bias as PyTorch's input bias.
 */
internal class LstmCell(c: LayerContext) : RecurrentCell(c, 4) {
    override val stateCount: Int = 2
    override fun fusable(x: NDArray): Boolean = activationName == "tanh" && recurrentName == "sigmoid" &&
        (x.device.isGpu || x.dataType != DataType.FLOAT32 || fusedComputesRight(x))

    /**
     * Whether PyTorch's fused float32 LSTM computes this layer's sizes right on this CPU in the current autograd mode,
     * tried once per sizes and mode on small values against its float64 kernel (ATen's own loop, never oneDNN).
     * libtorch 2.7.1's oneDNN LSTM, on AVX-512 CPUs outside autograd, got hidden sizes 1-16, 48, 65 and 200 wrong.
     */
    private fun fusedComputesRight(x: NDArray): Boolean {
        val gradMode = GradMode.enabled(x) ?: return false
        return VERDICTS.getOrPut(Triple(x.shape[2], units, gradMode)) { tryFused(x) }
    }

    private fun tryFused(like: NDArray): Boolean = like.manager.newSubManager().use { m ->
        val random = Random(1)
        fun draw(vararg shape: Long) = m.create(
            FloatArray(shape.fold(1L, Long::times).toInt()) { random.nextGaussian().toFloat() / 2 }, Shape(*shape))
        val gates = 4L * units
        val single = CellWeights(draw(gates, like.shape[2]), draw(gates, units.toLong()), draw(gates))
        val x = draw(2, 3, like.shape[2])
        val states = listOf(draw(2, units.toLong()), draw(2, units.toLong()))
        fun double(a: NDArray) = a.toType(DataType.FLOAT64, false)
        val doubles = CellWeights(double(single.torchKernel), double(single.torchRecurrent), double(single.bias!!))
        val expected = fused(doubles, double(x), states.map(::double), false).outputs
        val error = double(fused(single, x, states, false).outputs).sub(expected).abs().max().getDouble()
        error <= 1e-5 * maxOf(1.0, expected.abs().max().getDouble())
    }

    override fun fused(w: CellWeights, x: NDArray, initial: List<NDArray>, training: Boolean): Recurrence {
        val out = x.getNDArrayInternal().lstm(x, NDList(initial[0].expandDims(0), initial[1].expandDims(0)),
            torchParams(w.torchKernel, w.torchRecurrent, w.bias, null), w.bias != null, 1, 0.0, training, false, true)
        return Recurrence(out[0], listOf(out[1].squeeze(0), out[2].squeeze(0)))
    }

    override fun step(w: CellWeights, xt: NDArray, states: List<NDArray>, masks: List<NDArray>?): List<NDArray> {
        val z = xt.add(project(states[0], w.recurrent, masks, 0..3)).split(4, 1)
        val carry = recurrentActivation(z[1]).mul(states[1]).add(recurrentActivation(z[0]).mul(activation(z[2])))
        return listOf(recurrentActivation(z[3]).mul(activation(carry)), carry)
    }

    private companion object {
        /** Whether the fused float32 kernel computed right, by input size, units and autograd mode. */
        val VERDICTS = ConcurrentHashMap<Triple<Long, Int, Boolean>, Boolean>()
    }
}

/**
 * Keras' GRUCell, gates z, r, h: `h = z h + (1 - z) activation(x_h + r (h recurrent_h + b_h))` with `reset_after`
 * (bias (2, 3 units): input row, recurrent row), `activation(x_h + (r h) recurrent_h)` without; PyTorch's GRU (gates r,
 * z, n) computes the first for tanh and sigmoid, its blocks reordered.
 */
internal class GruCell(c: LayerContext) : RecurrentCell(c, 3) {
    private val resetAfter = c.args.bool("reset_after", true)
    override val stateCount: Int = 1
    override fun fusable(x: NDArray): Boolean = resetAfter && activationName == "tanh" && recurrentName == "sigmoid"

    override fun inputBias(bias: NDArray): NDArray = if (resetAfter) bias.get(0) else bias

    /** Keras' blocks z, r, h along the first axis (of a kernel in PyTorch's layout, or a bias) as PyTorch's r, z, n. */
    private fun torchOrder(a: NDArray): NDArray =
        NDArrays.concat(NDList(a.get("$units:${2 * units}"), a.get(":$units"), a.get("${2 * units}:")), 0)

    override fun fused(w: CellWeights, x: NDArray, initial: List<NDArray>, training: Boolean): Recurrence {
        val params = torchParams(torchOrder(w.torchKernel), torchOrder(w.torchRecurrent),
            w.bias?.let { torchOrder(it.get(0)) }, w.bias?.let { torchOrder(it.get(1)) })
        val out = x.getNDArrayInternal().gru(x, initial[0].expandDims(0), params, w.bias != null, 1, 0.0, training, false,
            true)
        return Recurrence(out[0], listOf(out[1].squeeze(0)))
    }

    override fun step(w: CellWeights, xt: NDArray, states: List<NDArray>, masks: List<NDArray>?): List<NDArray> {
        val h = states[0]
        val x = xt.split(3, 1)
        val candidate: NDArray
        val z: NDArray
        if (resetAfter) {
            var inner = project(h, w.recurrent, masks, 0..2)
            if (w.bias != null) inner = inner.add(w.bias.get(1))
            val r = inner.split(3, 1)
            z = recurrentActivation(x[0].add(r[0]))
            candidate = activation(x[2].add(recurrentActivation(x[1].add(r[1])).mul(r[2])))
        } else {
            val r = project(h, w.recurrent, masks, 0..1).split(2, 1)
            z = recurrentActivation(x[0].add(r[0]))
            val reset = recurrentActivation(x[1].add(r[1]))
            candidate = activation(x[2].add(project(reset.mul(h), w.recurrent, masks, 2..2)))
        }
        return listOf(z.mul(h).add(z.neg().add(1).mul(candidate)))
    }
}
