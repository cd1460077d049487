package dev.kerb.model

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.math.BigDecimal

/**
 * Compares JSON trees by value, as Python's `json` reads them: `1e-07` and `1.0E-7` are the same float, `2` and `2.0`
 * are not (an int is not a float), and key order does not matter.
 */
internal object JsonValues {
    fun equal(a: JsonElement, b: JsonElement): Boolean = when (a) {
        is JsonObject -> b is JsonObject && a.keys == b.keys && a.all { (k, v) -> equal(v, b.getValue(k)) }
        is JsonArray -> b is JsonArray && a.size == b.size && a.indices.all { equal(a[it], b[it]) }
        is JsonNull -> b is JsonNull
        is JsonPrimitive -> b is JsonPrimitive && b !is JsonNull && key(a) == key(b)
    }

    fun hash(e: JsonElement): Int = when (e) {
        is JsonObject -> e.entries.sumOf { (k, v) -> k.hashCode() xor hash(v) }
        is JsonArray -> e.fold(1) { h, v -> 31 * h + hash(v) }
        is JsonNull -> 0
        is JsonPrimitive -> key(e).hashCode()
    }

    /** A string stays itself; a number becomes its exact value plus whether it was written as an int. */
    private fun key(p: JsonPrimitive): Any {
        if (p.isString) return "s" + p.content
        val text = p.content
        if (text == "true" || text == "false") return text
        val integral = text.none { it == '.' || it == 'e' || it == 'E' }
        val value = text.toBigDecimalOrNull()?.stripTrailingZeros() ?: return "n$text"
        return Pair(integral, if (value.signum() == 0) BigDecimal.ZERO else value)
    }
}
