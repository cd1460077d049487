package dev.kerb.djl.graph

import ai.djl.Device
import ai.djl.ndarray.NDArray
import ai.djl.nn.Parameter
import ai.djl.training.ParameterStore
import dev.kerb.djl.KerasLayout
import dev.kerb.model.catalog.LayerArgs
import dev.kerb.registry.ConfigException
import kotlinx.serialization.json.JsonObject

/** What a layer call sees while the network runs: its parameters on this device, and whether it trains. */
internal class Forward(val store: ParameterStore, val device: Device, val training: Boolean)

/** One layer as DJL computes it, on arrays in Keras' layouts (`channels_last` unless the config says otherwise). */
internal fun interface LayerOp {
    /** Computes one call of the layer: its outputs, in Keras' order, from its inputs in Keras' order. */
    fun call(f: Forward, inputs: List<NDArray>): List<NDArray>
}

/** A layer op of one input and one output. */
internal fun single(op: (Forward, NDArray) -> NDArray): LayerOp = LayerOp { f, inputs -> listOf(op(f, inputs.single())) }

/**
 * What a layer op is built from: the layer's config read with Keras' defaults, the shapes of its first call, and its
 * variables, by their path under the layer (`kernel`, `forward_lstm/lstm_cell/kernel`).
 *
 * @property keywords the first call's keyword tensors (attention's `key`), by key, as indices into its inputs
 * @property options the first call's keyword arguments that hold no tensor (`use_causal_mask`)
 * @property layouts the parameters the network keeps in DJL's layout rather than Keras', as the ops ask for them
 */
internal class LayerContext(
    val args: LayerArgs,
    val inputShapes: List<List<Int?>>,
    val outputShapes: List<List<Int?>>,
    private val variables: Map<String, Parameter>,
    private val prefix: String = "",
    val keywords: Map<String, Int> = emptyMap(),
    val options: JsonObject = JsonObject(emptyMap()),
    val layouts: MutableMap<Parameter, KerasLayout> = HashMap(),
) {
    val name: String get() = args.name

    /** The input shape of a layer of one input. */
    val inputShape: List<Int?> get() = inputShapes.first()

    /**
     * Returns the variable whose path under this layer (or the wrapped layer [within]) ends with [name].
     *
     * @throws IllegalStateException if the layer has no such variable: the catalog and the ops disagree
     */
    fun parameter(name: String): Parameter {
        val matches = variables.entries.filter { (path, _) -> path.startsWith(prefix) && (path == prefix + name ||
            path.endsWith("/$name")) }
        return checkNotNull(matches.singleOrNull()?.value) {
            "layer '${args.name}' has no single variable '$prefix…$name' among ${variables.keys}"
        }
    }

    /** Returns the variable [name] (see [parameter]), to be kept in DJL's [layout], which PyTorch's kernels take. */
    fun parameter(name: String, layout: KerasLayout): Parameter = parameter(name).also { layouts[it] = layout }

    /** Returns whether the layer has a variable whose path ends with [name]. */
    fun has(name: String): Boolean = variables.keys.any { it.startsWith(prefix) && (it == prefix + name || it.endsWith("/$name")) }

    /** Returns the context of a wrapped layer (`layer`, `forward_layer`), whose variables sit under [subPath]. */
    fun wrapped(args: LayerArgs, inputShapes: List<List<Int?>>, outputShapes: List<List<Int?>>, subPath: String) =
        LayerContext(args, inputShapes, outputShapes, variables, prefix + subPath, layouts = layouts)

    /** Returns a view of [parameter]'s value on the current device, recorded for gradients when training. */
    fun Forward.value(parameter: Parameter): NDArray = store.getValue(parameter, device, training)

    /** Returns the value of variable [name]. */
    fun Forward.variable(name: String): NDArray = value(parameter(name))

    /** Fails for a setting Kerb does not compute, naming the layer and the setting. */
    fun unsupported(what: String): Nothing =
        throw ConfigException("layer '${args.name}' (${args.className}): Kerb's DJL network does not compute $what")
}

/** Builds the op of one layer class from its context. */
internal typealias OpBuilder = (LayerContext) -> LayerOp

/** Every Keras layer class Kerb builds in DJL, with its builder. */
internal object LayerOps {
    private val BUILDERS: Map<String, OpBuilder> by lazy {
        CoreLayers.BUILDERS + ActivationLayers.BUILDERS + ShapeLayers.BUILDERS + MergeLayers.BUILDERS + ConvLayers.BUILDERS +
            PoolingLayers.BUILDERS + NormalizationLayers.BUILDERS + RecurrentLayers.BUILDERS + AttentionLayers.BUILDERS
    }

    /** The Keras classes Kerb builds, sorted. */
    val classes: List<String> get() = BUILDERS.keys.sorted()

    /**
     * Builds the op of a layer.
     *
     * @throws ConfigException if Kerb does not build the layer's class, or a setting of it
     */
    fun build(context: LayerContext): LayerOp {
        val builder = BUILDERS[context.args.className] ?: throw ConfigException("layer '${context.name}' is a " +
            "${context.args.className}, which Kerb cannot build in DJL; the layers it builds are ${classes.joinToString()}")
        return builder(context)
    }
}
