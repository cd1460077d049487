package dev.kerb.dsl

import dev.kerb.core.Constraint
import dev.kerb.model.io.KerasJson
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.registry.ConstraintFormat
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * A Keras object as configs store it: an initializer, a regularizer, a dtype policy or anything else written as
 * `{"module", "class_name", "config", "registered_name"}` in Keras 3. Immutable.
 *
 * @property module the Keras 3 module, e.g. `keras.initializers`, or null when unknown
 * @property className the `class_name`
 * @property config the parameters, as plain values (numbers keep int-versus-float)
 * @property registeredName the Keras 3 `registered_name`, null for Keras built-ins
 */
public open class KerasObject(
    public val module: String?,
    public val className: String,
    public val config: Map<String, Any?>,
    public val registeredName: String? = null,
) {
    /** Returns the Keras 3 dict. */
    public fun toJson(): JsonObject = JsonObject(linkedMapOf(
        "module" to JsonPrimitive(module),
        "class_name" to JsonPrimitive(className),
        "config" to KerasJson.toElement(config),
        "registered_name" to JsonPrimitive(registeredName),
    ))

    override fun equals(other: Any?): Boolean = other is KerasObject && other.javaClass == javaClass &&
        module == other.module && className == other.className && config == other.config &&
        registeredName == other.registeredName

    override fun hashCode(): Int = listOf(module, className, config, registeredName).hashCode()
    override fun toString(): String = "$className$config"
}

/** A Keras initializer, such as `glorotUniform()`; see the factory functions in this package. */
public class Initializer(className: String, config: Map<String, Any?>, module: String? = "keras.initializers",
                         registeredName: String? = null) : KerasObject(module, className, config, registeredName)

/** A Keras regularizer, such as `l2(0.01)`; see the factory functions in this package. */
public class Regularizer(className: String, config: Map<String, Any?>, module: String? = "keras.regularizers",
                         registeredName: String? = null) : KerasObject(module, className, config, registeredName)

/** Renders builder values as Keras 3 JSON: plain values, [KerasObject]s and constraints. */
internal object KerasValues {
    fun toJson(value: Any?, registry: ConstraintRegistry): JsonElement = when (value) {
        null -> JsonNull
        is KerasObject -> value.toJson()
        is Constraint -> KerasJson.toElement(registry.serialize(value, ConstraintFormat.KERAS_3))
        is JsonElement -> value
        is List<*> -> JsonArray(value.map { toJson(it, registry) })
        is Map<*, *> -> JsonObject(value.entries.associate { (k, v) -> k.toString() to toJson(v, registry) })
        else -> KerasJson.toElement(value)
    }

    /** Keras 3.4+ writes a layer's dtype as a `DTypePolicy` dict. */
    fun dtypePolicy(name: String): JsonObject =
        KerasObject("keras", "DTypePolicy", mapOf("name" to name)).toJson()
}
