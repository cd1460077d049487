package dev.kerb.model.io

import dev.kerb.registry.ConfigException
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * A value in a model config that is not of the kind Keras writes there. The message names the JSON path from the
 * model dict (`config.layers[3].config`), what was expected and what was found.
 */
internal class MalformedModelException(path: String, expected: String, found: JsonElement?) :
    ConfigException("${path.ifEmpty { "the model" }}: expected $expected, got ${describe(found)}") {
    private companion object {
        private const val serialVersionUID = 1L

        fun describe(found: JsonElement?): String = when (found) {
            null -> "nothing"
            else -> found.toString().let { if (it.length > 60) it.take(57) + "..." else it }
        }
    }
}

/** Returns the path of [key] under [path]: `config.layers`. */
internal fun childPath(path: String, key: String): String = if (path.isEmpty()) key else "$path.$key"

/** Returns this value as an object, or fails naming [path]. */
internal fun JsonElement?.asObject(path: String): JsonObject =
    this as? JsonObject ?: throw MalformedModelException(path, "an object", this)

/** Returns this value as a list, or fails naming [path]. */
internal fun JsonElement?.asArray(path: String): JsonArray =
    this as? JsonArray ?: throw MalformedModelException(path, "a list", this)

/** Returns this value as a string, or fails naming [path]. */
internal fun JsonElement?.asString(path: String): String =
    (this as? JsonPrimitive)?.takeIf { it.isString }?.content ?: throw MalformedModelException(path, "a string", this)

/** Returns each element of this list as an object with its path, or fails naming the first that is not. */
internal fun JsonArray.objects(path: String): List<Pair<JsonObject, String>> =
    mapIndexed { i, element -> "$path[$i]".let { element.asObject(it) to it } }

/** Returns the string at [key], or fails naming its path under [path]. */
internal fun JsonObject.string(key: String, path: String): String = this[key].asString(childPath(path, key))

/** Returns the string at [key], or null when it is absent or not a string. */
internal fun JsonObject.stringOrNull(key: String): String? =
    (this[key] as? JsonPrimitive)?.takeIf { it.isString }?.content
