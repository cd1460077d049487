package dev.kerb.model.catalog

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * The one place Kerb keeps what it knows of Keras layer classes: the [LayerType] of each class it models (variables,
 * output shapes, call convention) and the constructor arguments of every class Keras 3.15.1 defines, read from
 * `keras3-arguments.json`, which `make_keras3_arguments.py` (in this module's test resources, `keras3/`) wrote from
 * Keras itself.
 */
internal object LayerCatalog {
    private val TYPES: Map<String, LayerType> =
        (CORE_TYPES + CONV_TYPES + RECURRENT_TYPES + ATTENTION_TYPES).flatMap { type -> type.classNames.map { it to type } }
            .toMap()

    private val ARGUMENTS: JsonObject = LayerCatalog::class.java.getResourceAsStream("keras3-arguments.json")!!
        .use { Json.parseToJsonElement(it.readBytes().decodeToString()) as JsonObject }

    private fun table(kind: String): Map<String, Set<String>> = (ARGUMENTS.getValue(kind) as JsonObject)
        .mapValues { (_, names) -> (names as JsonArray).map { (it as JsonPrimitive).content }.toSet() }

    /** Layer class → the constructor arguments Keras 3.15.1 accepts. */
    val ARGUMENTS_BY_LAYER: Map<String, Set<String>> = table("layers")

    /** Initializer class → accepted arguments. */
    val INITIALIZERS: Map<String, Set<String>> = table("initializers")

    /** Regularizer class → accepted arguments. */
    val REGULARIZERS: Map<String, Set<String>> = table("regularizers")

    /** Layer class → the default value of each `*_initializer` argument, a name or an initializer dict. */
    val INITIALIZER_DEFAULTS: Map<String, Map<String, JsonElement>> =
        (ARGUMENTS["initializer_defaults"] as? JsonObject).orEmpty().mapValues { (_, keys) -> keys as JsonObject }

    /** The classes whose shapes and variables Kerb models, aliases included. */
    val MODELED: Set<String> get() = TYPES.keys

    /** Returns the type of a layer class, or null when Kerb does not model it (a custom or quantized layer). */
    fun type(className: String): LayerType? = TYPES[className]

    /**
     * Returns the outputs of a call of [type] as Keras' `Layer.__call__` gets them: the input checks and output
     * shapes of [LayerType.outputs], and the check Keras' `add_weight` makes that every variable's shape is known.
     *
     * @throws ShapeMisfit with Keras' reason when Keras would refuse the inputs
     */
    fun call(type: LayerType, layer: LayerArgs, inputs: List<Dims>): List<Dims> = malformedAsMisfit {
        val outputs = type.outputs(layer, inputs)
        requireDefinedShapes(layer, type.weights(layer, inputs))
        outputs
    }

    /**
     * Runs a catalog entry on a config as read: values Keras' constructors would refuse (a zero stride, a list where
     * a number belongs) make the arithmetic fail, and that is reported as a misfit, not as a fault.
     */
    private inline fun <T> malformedAsMisfit(block: () -> T): T = try {
        block()
    } catch (e: ShapeMisfit) {
        throw e
    } catch (e: NotModeled) {
        throw e
    } catch (e: RuntimeException) {
        throw ShapeMisfit("its config is not one Keras builds (${e.javaClass.simpleName}: ${e.message})")
    }

    /**
     * Returns the variables a layer creates, with their paths under the layer, when Kerb models its class; null
     * otherwise. [inputs] may be null when the layer's inputs are not known.
     */
    fun variables(className: String, config: JsonObject, inputs: List<Dims>? = null): List<Pair<String, VariableSpec>>? =
        weights(className, config, inputs)?.flatten()

    /**
     * Returns a layer's [LayerWeights] as [variables] does, or null when Kerb does not model it or what it wraps, or
     * its config is not one Keras builds.
     */
    fun weights(className: String, config: JsonObject, inputs: List<Dims>? = null): LayerWeights? = try {
        malformedAsMisfit { type(className)?.weights(LayerArgs(className, config), inputs) }
    } catch (e: NotModeled) {
        null
    } catch (e: ShapeMisfit) {
        null
    }

    /**
     * Returns the names of the variables a constraint key governs in a layer class (`recurrent_constraint` →
     * `recurrent_kernel`), in the order to try them: the catalog's when it models the class, else the key without
     * `_constraint`, and Keras 2's `depthwise_kernel` for Keras 3's depthwise `kernel`.
     */
    fun governed(className: String, constraintKey: String): List<String> {
        val known = variables(className, JsonObject(emptyMap()))
            ?.filter { it.second.constraintKey == constraintKey }?.map { it.second.name }?.distinct().orEmpty()
        val fallback = LEGACY_NAMES[constraintKey] ?: listOf(constraintKey.removeSuffix("_constraint"))
        return (known + fallback).distinct()
    }

    /** Weight names older Keras generations gave where the key does not name the variable. */
    private val LEGACY_NAMES = mapOf(
        "recurrent_constraint" to listOf("recurrent_kernel"),
        "depthwise_constraint" to listOf("depthwise_kernel", "kernel"),
        "pointwise_constraint" to listOf("pointwise_kernel"),
    )
}
