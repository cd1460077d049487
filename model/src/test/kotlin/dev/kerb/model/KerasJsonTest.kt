package dev.kerb.model

import dev.kerb.core.Axis
import dev.kerb.core.MaxNorm
import dev.kerb.model.io.KerasJson
import dev.kerb.registry.ConfigException
import dev.kerb.registry.ConstraintRegistry
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf

class KerasJsonTest : FunSpec({
    test("integers stay ints, floats stay doubles, lists stay lists") {
        val dict = KerasJson.parse("""{"max_value": 2, "m": 2.0, "big": 5000000000, "axis": [0, 1], "n": null}""")
            as Map<*, *>
        dict["max_value"].shouldBeInstanceOf<Int>()
        dict["m"].shouldBeInstanceOf<Double>()
        dict["big"] shouldBe 5_000_000_000L
        dict["axis"] shouldBe listOf(0, 1)
        dict.keys shouldContain "n"
        KerasJson.write(dict) shouldBe """{"max_value":2,"m":2.0,"big":5000000000,"axis":[0,1],"n":null}"""
    }

    test("a Keras 3 constraint dict round-trips through the registry and back to the same JSON") {
        val text = """{"module":"keras.constraints","class_name":"MaxNorm","config":{"max_value":2,"axis":[0,1,2]},""" +
            """"registered_name":null}"""
        val registry = ConstraintRegistry.create()
        val constraint = registry.get(KerasJson.parse(text))
        constraint shouldBe MaxNorm(2, Axis.list(0, 1, 2))
        KerasJson.write(registry.serialize(constraint)) shouldBe text
    }

    test("malformed JSON reports line and column") {
        val e = shouldThrow<ConfigException> { KerasJson.parse("{\n  \"class_name\": \"MaxNorm\",\n  \"config\": {\n}") }
        e.message shouldStartWith "malformed JSON: "
        e.message shouldContain "line 4"
    }

    test("deep nesting fails cleanly, in the parser and in the conversion") {
        val deep = "[".repeat(100_000) + "]".repeat(100_000)
        val e = shouldThrow<ConfigException> { KerasJson.parse(deep) }
        e.message shouldStartWith "malformed JSON: Json input is too nested"
        var element: kotlinx.serialization.json.JsonElement = kotlinx.serialization.json.JsonArray(emptyList())
        repeat(600) { element = kotlinx.serialization.json.JsonArray(listOf(element)) }
        shouldThrow<ConfigException> { KerasJson.toPlain(element) }.message shouldBe "JSON nests deeper than 512 levels"
    }

    test("non-finite numbers are written as Python's json writes them") {
        // Python 3.11: json.dumps({"x": float("nan"), "y": [float("inf"), -float("inf")]}) (separators without spaces)
        KerasJson.write(mapOf("x" to Double.NaN, "y" to listOf(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY))) shouldBe
            "{\"x\":NaN,\"y\":[Infinity,-Infinity]}"
    }

    test("numbers beyond a double's range and Python's non-finite words are written back as Python's json writes them") {
        // Python 3.11: json.loads("[1e999, -1e999, NaN, Infinity, 2, 0.5]") == [inf, -inf, nan, inf, 2, 0.5], and
        // json.dumps of that is "[Infinity, -Infinity, NaN, Infinity, 2, 0.5]".
        KerasJson.text(KerasJson.parseElement("[1e999, -1e999, NaN, Infinity, 2, 0.5]")) shouldBe
            "[Infinity,-Infinity,NaN,Infinity,2,0.5]"
    }

    test("unquoted words that Python's json rejects are malformed JSON") {
        for (word in listOf("1d", "007", "0x10", "1.", ".5", "+1", "infinity", "1_000")) {
            shouldThrow<ConfigException> { KerasJson.parse("[$word]") }.message shouldBe
                "malformed JSON: '$word' is neither a number, true, false, null nor a quoted string"
        }
    }
})
