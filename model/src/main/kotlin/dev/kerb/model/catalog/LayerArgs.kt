package dev.kerb.model.catalog

import dev.kerb.model.InternalKerbApi
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.intOrNull

/**
 * A layer's Keras 3 config read with Keras' defaults: an absent or null key gives the default its constructor has.
 *
 * @property className the layer's `class_name`
 * @property config the layer's `config` dict
 */
@InternalKerbApi
public class LayerArgs(public val className: String, public val config: JsonObject) {
    /** The layer's name, or its class in snake case as Keras names an unnamed layer. */
    public val name: String get() = string("name") ?: snakeCase(className)

    /** Whether `data_format` is `channels_first`. */
    public val channelsFirst: Boolean get() = string("data_format") == "channels_first"

    /** The dtype the layer's variables have under its dtype policy: `float32` for `mixed_float16`. */
    public val variableDtype: String get() = variableDtype(config["dtype"])

    /** Returns the int at [key], or null when it is absent, null or not an int. */
    public fun int(key: String): Int? = (config[key] as? JsonPrimitive)?.takeUnless { it.isString }?.intOrNull

    /** Returns the int at [key], or [default]. */
    public fun int(key: String, default: Int): Int = int(key) ?: default

    /** Returns the number at [key], or [default]. */
    public fun double(key: String, default: Double): Double =
        (config[key] as? JsonPrimitive)?.takeUnless { it.isString }?.doubleOrNull ?: default

    /** Returns the string at [key], or null. */
    public fun string(key: String): String? = (config[key] as? JsonPrimitive)?.takeIf { it.isString }?.content

    /** Returns the string at [key], or [default]. */
    public fun string(key: String, default: String): String = string(key) ?: default

    /** Returns the boolean at [key], or [default]. */
    public fun bool(key: String, default: Boolean): Boolean =
        (config[key] as? JsonPrimitive)?.takeUnless { it.isString }?.booleanOrNull ?: default

    /** Whether [key] holds a value other than null. */
    public fun isSet(key: String): Boolean = config[key].let { it != null && it !is JsonNull }

    /**
     * Returns [key] as a list of [rank] ints, as Keras' `standardize_tuple` reads an int or a list (`kernel_size=3`
     * is `(3, 3)` in 2D), or [default] repeated when absent.
     */
    public fun ints(key: String, rank: Int, default: Int): List<Int> = when (val value = config[key]) {
        is JsonArray -> value.map { (it as JsonPrimitive).intOrNull ?: default }
        is JsonPrimitive -> List(rank) { value.intOrNull ?: default }
        else -> List(rank) { default }
    }

    /** Returns [key] as a list of ints (an int gives a list of one), or null when absent or null. */
    public fun intList(key: String): List<Int>? = when (val value = config[key]) {
        is JsonArray -> value.map { (it as JsonPrimitive).intOrNull ?: 0 }
        is JsonPrimitive -> value.intOrNull?.let { listOf(it) }
        else -> null
    }

    /** Returns [key] as a list of dims (null entries kept), or null when absent or null. */
    public fun dims(key: String): List<Int?>? = (config[key] as? JsonArray)?.map { (it as? JsonPrimitive)?.intOrNull }

    /** Returns the layer dict at [key] (a wrapper's `layer`), or null. */
    public fun layer(key: String): LayerArgs? = (config[key] as? JsonObject)?.let { dict ->
        val className = (dict["class_name"] as? JsonPrimitive)?.content ?: return null
        LayerArgs(className, dict["config"] as? JsonObject ?: JsonObject(emptyMap()))
    }

    override fun toString(): String = "$className '$name'"

    public companion object {
        /** The variable dtype of a `dtype` value: a policy name, or a `DTypePolicy` dict. */
        public fun variableDtype(dtype: Any?): String {
            val name = when (dtype) {
                is JsonPrimitive -> dtype.takeIf { it.isString }?.content
                is JsonObject -> ((dtype["config"] as? JsonObject)?.get("name") as? JsonPrimitive)?.content
                else -> null
            } ?: return "float32"
            return when {
                name.startsWith("mixed_") -> "float32"
                name.endsWith("_from_float32") -> "float32"
                else -> name
            }
        }

        /** Keras' `to_snake_case`: `PReLU` → `p_re_lu`, `Conv2D` → `conv2d`. */
        public fun snakeCase(name: String): String = name.replace(Regex("\\W+"), "")
            .replace(Regex("(.)([A-Z][a-z]+)"), "$1_$2")
            .replace(Regex("([a-z])([A-Z])"), "$1_$2")
            .lowercase()
    }
}
