package dev.kerb.model

import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Asserts that two JSON trees are the same as Python's `json` sees them: same keys in the same order, same values,
 * numbers equal in value and in kind (an int is not a float: `2` is not `2.0`; `1e-07` is `1.0E-7`).
 */
fun assertSameJson(expected: JsonElement, actual: JsonElement, path: String = "$", keyOrder: Boolean = true) {
    fun fail(why: String): Nothing = throw AssertionError("at $path: $why\n  expected: $expected\n  actual:   $actual")
    when (expected) {
        is JsonObject -> {
            if (actual !is JsonObject) fail("expected an object")
            val e = expected.keys.toList()
            val a = actual.keys.toList()
            if (if (keyOrder) e != a else e.toSet() != a.toSet()) fail("keys differ: expected $e, got $a")
            for (key in e) assertSameJson(expected.getValue(key), actual.getValue(key), "$path.$key", keyOrder)
        }
        is JsonArray -> {
            if (actual !is JsonArray || actual.size != expected.size) fail("expected an array of ${expected.size}")
            expected.indices.forEach { assertSameJson(expected[it], actual[it], "$path[$it]", keyOrder) }
        }
        is JsonNull -> if (actual !is JsonNull) fail("expected null")
        is JsonPrimitive -> {
            if (actual !is JsonPrimitive || actual is JsonNull || actual.isString != expected.isString) fail("kind differs")
            if (expected.isString || expected.content == "true" || expected.content == "false") {
                if (expected.content != actual.content) fail("value differs")
            } else {
                fun isInt(p: JsonPrimitive) = p.content.none { it == '.' || it == 'e' || it == 'E' }
                if (isInt(expected) != isInt(actual)) fail("int versus float")
                if (expected.content.toDouble() != actual.content.toDouble()) fail("number differs")
            }
        }
    }
}

/** Converts and re-reads the text, so the result's format is what detection sees in the written JSON. */
fun ModelSpec.to(target: ModelFormat): ModelSpec {
    val converted = ModelSpec.parse(convert(target).spec.toJson())
    converted.format shouldBe target
    return converted
}

/** Drops what Keras 2 does not keep of a Keras 3 model: shapes of non-input tensors, build, compile and quantization configs. */
fun withoutShapes(e: JsonElement): JsonElement = when (e) {
    is JsonObject -> JsonObject(e.filterKeys { it !in setOf("build_config", "compile_config", "quantization_config") }
        .mapValues { (k, v) ->
        if (k == "shape" && e["keras_history"] != null) JsonArray(emptyList()) else withoutShapes(v)
    })
    is JsonArray -> JsonArray(e.map(::withoutShapes))
    else -> e
}
