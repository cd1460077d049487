package dev.kerb.model.io

import dev.kerb.model.InternalKerbApi
import dev.kerb.registry.ConfigException
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Converts between Keras JSON text and the plain values the registry reads and writes.
 *
 * Plain values are what [dev.kerb.registry.ConstraintRegistry] takes: `Map<String, Any?>` (insertion-ordered),
 * `List<Any?>`, `String`, `Boolean`, `null`, and numbers that keep their JSON type: an integer literal becomes an
 * `Int` (or a `Long` when it does not fit), any other number a `Double`. Parsing goes through kotlinx.serialization.
 */
@InternalKerbApi
public object KerasJson {
    /** Deepest nesting accepted, far beyond any Keras config, so hostile input fails cleanly instead of overflowing. */
    public const val MAX_DEPTH: Int = 512

    /** Writes non-finite numbers as Python's `json` does (`Infinity`, `NaN`): it reads `1e999` as `inf`. */
    private val documents = Json { allowSpecialFloatingPointValues = true }
    private val pretty = Json(documents) { prettyPrint = true }

    /**
     * Parses JSON text into plain values.
     *
     * @throws ConfigException if the text is not valid JSON (the message gives line and column) or nests deeper
     *   than [MAX_DEPTH]
     */
    @JvmStatic
    public fun parse(text: String): Any? = toPlain(parseElement(text), 0)

    /**
     * Parses JSON text into a [JsonElement], which keeps every number exactly as written.
     *
     * @throws ConfigException if the text is not valid JSON; the message gives line and column
     */
    @JvmStatic
    public fun parseElement(text: String): JsonElement {
        val element = try {
            Json.parseToJsonElement(text)
        } catch (e: SerializationException) {
            throw ConfigException("malformed JSON: " + describeSyntaxError(text, e.message.orEmpty()), e)
        }
        requireLiterals(element)
        return element
    }

    /**
     * Checks every unquoted value: kotlinx.serialization's parser takes any unquoted word, which JSON allows only as a
     * number, `true`, `false` or `null`. Walks with its own stack, so deep input cannot overflow the thread's.
     */
    private fun requireLiterals(root: JsonElement) {
        val stack = ArrayDeque<JsonElement>().apply { add(root) }
        while (stack.isNotEmpty()) {
            when (val element = stack.removeLast()) {
                is JsonObject -> stack.addAll(element.values)
                is JsonArray -> stack.addAll(element)
                is JsonNull -> {}
                is JsonPrimitive -> if (!element.isString) primitive(element)
            }
        }
    }

    /**
     * Writes plain values as JSON text.
     *
     * @param value a plain value, as [parse] returns
     * @param prettyPrint whether to indent
     * @throws IllegalArgumentException if a value is of another type
     */
    @JvmStatic
    @JvmOverloads
    public fun write(value: Any?, prettyPrint: Boolean = false): String = text(toElement(value), prettyPrint)

    /**
     * Writes a parsed document as JSON text. A number beyond a double's range, such as `1e999`, is written as
     * `Infinity`, which Python's `json` (and so Keras) reads as the same value.
     */
    @JvmStatic
    @JvmOverloads
    public fun text(element: JsonElement, prettyPrint: Boolean = false): String =
        (if (prettyPrint) pretty else documents).encodeToString(JsonElement.serializer(), element)

    /**
     * Converts plain values to a [JsonElement].
     *
     * @throws IllegalArgumentException if a value is of another type
     */
    @JvmStatic
    public fun toElement(value: Any?): JsonElement = when (value) {
        null -> JsonNull
        is JsonElement -> value
        is String -> JsonPrimitive(value)
        is Boolean -> JsonPrimitive(value)
        is Int, is Long, is Short, is Byte -> JsonPrimitive((value as Number).toLong())
        is Float -> toElement(value.toString().toDouble())
        is Double -> JsonPrimitive(value) // a non-finite one is written as Python's json writes it: Infinity, NaN
        is Map<*, *> -> JsonObject(value.entries.associate { (k, v) -> k.toString() to toElement(v) })
        is Iterable<*> -> JsonArray(value.map { toElement(it) })
        else -> throw IllegalArgumentException("cannot write a ${value::class.java.name} as JSON: $value")
    }

    /**
     * Converts a [JsonElement] to plain values.
     *
     * @throws ConfigException if it nests deeper than [MAX_DEPTH]
     */
    @JvmStatic
    public fun toPlain(element: JsonElement): Any? = toPlain(element, 0)

    private fun toPlain(element: JsonElement, depth: Int): Any? {
        if (depth > MAX_DEPTH) throw ConfigException("JSON nests deeper than $MAX_DEPTH levels")
        return when (element) {
            is JsonNull -> null
            is JsonObject -> element.entries.associateTo(LinkedHashMap()) { (k, v) -> k to toPlain(v, depth + 1) }
            is JsonArray -> element.mapTo(ArrayList(element.size)) { toPlain(it, depth + 1) }
            is JsonPrimitive -> primitive(element)
        }
    }

    private val integer = Regex("-?\\d+")

    /** JSON's numbers, and the non-finite words Python's `json` reads and writes. */
    private val number = Regex("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?|NaN|-?Infinity")

    private fun primitive(p: JsonPrimitive): Any? {
        if (p.isString) return p.content
        val text = p.content
        return when {
            text == "true" -> true
            text == "false" -> false
            !number.matches(text) -> throw ConfigException(
                "malformed JSON: " + shorten(text) + " is neither a number, true, false, null nor a quoted string")
            integer.matches(text) -> text.toIntOrNull() ?: text.toLongOrNull() ?: text.toDouble()
            else -> text.toDouble()
        }
    }

    /** A value as it may appear in a one-line message: at most 60 characters, quoted. */
    private fun shorten(text: String): String = "'" + (if (text.length <= 60) text else text.take(57) + "...") + "'"

    private val offset = Regex("at offset (\\d+)")

    /** Turns kotlinx' "at offset N" into a line and column, and keeps only the first sentence of its message. */
    private fun describeSyntaxError(text: String, message: String): String {
        val reason = message.lineSequence().first().substringBefore(" at path").substringBefore(" JSON input")
        val at = offset.find(reason)?.groupValues?.get(1)?.toIntOrNull()
            ?: return reason
        val before = text.substring(0, at.coerceIn(0, text.length))
        val line = before.count { it == '\n' } + 1
        val column = at - before.lastIndexOf('\n')
        return reason.replace(offset, "at line $line, column $column")
    }
}
