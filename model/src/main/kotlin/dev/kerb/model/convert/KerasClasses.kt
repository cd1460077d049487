package dev.kerb.model.convert

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * The classes Keras 3 defines and the constructor arguments each accepts, read from `keras3-arguments.json`, which
 * `make_keras3_arguments.py` (in this module's test resources, `keras3/`) wrote from Keras 3.15.1 itself. Conversion
 * uses them to tell built-in objects (written with the Keras module and a null `registered_name`) from others (carried across
 * with a warning), and to find Keras 2 keys that a Keras 3 constructor would refuse. Keras 2 layers that Keras 3
 * removed (`CuDNNLSTM`, `LocallyConnected2D`, `ThresholdedReLU`, ...) are not built in here.
 */
internal object KerasClasses {
    private val ARGUMENTS: JsonObject = KerasClasses::class.java.getResourceAsStream("keras3-arguments.json")!!
        .use { Json.parseToJsonElement(it.readBytes().decodeToString()) as JsonObject }

    private fun table(kind: String): Map<String, Set<String>> = (ARGUMENTS.getValue(kind) as JsonObject)
        .mapValues { (_, names) -> (names as JsonArray).map { (it as JsonPrimitive).content }.toSet() }

    /** Layer class → accepted arguments. */
    val LAYERS: Map<String, Set<String>> = table("layers")

    /** Initializer class → accepted arguments. */
    val INITIALIZERS: Map<String, Set<String>> = table("initializers")

    /** Regularizer class → accepted arguments. */
    val REGULARIZERS: Map<String, Set<String>> = table("regularizers")

    /** Functional model class names: Keras 2 wrote `Model` (multi-backend, old tf.keras) or `Functional`. */
    val FUNCTIONAL: Set<String> = setOf("Functional", "Model")

    /** The Keras 3 module of a built-in initializer or regularizer, or null if Keras has no such class. */
    fun objectModule(className: String): String? = when (className) {
        in INITIALIZERS -> "keras.initializers"
        in REGULARIZERS -> "keras.regularizers"
        else -> null
    }

    /** The arguments a built-in initializer or regularizer accepts, or null if Keras has no such class. */
    fun objectArguments(className: String): Set<String>? = INITIALIZERS[className] ?: REGULARIZERS[className]

    /**
     * Layers whose call takes tensors by name after the first argument (Keras 3 `call(query, value, key=None)`), in
     * that order: Keras 3 may record them as positional `args`, tf.keras 2 as `kwargs`.
     */
    val TENSOR_KEYWORDS: Map<String, List<String>> = mapOf(
        "MultiHeadAttention" to listOf("value", "key"),
        "GroupQueryAttention" to listOf("value", "key"),
    )

    /** tf.keras 2 built-ins that Keras 3 does not ship. */
    val KERAS2_ONLY: Set<String> = setOf("RadialConstraint")
}
