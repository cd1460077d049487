package dev.kerb.model.weights

import dev.kerb.model.ModelSpec
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.double
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

/**
 * The initial values layers get, against Keras 3.15.1 building the same layers (`layer_values` of
 * `init/keras3.15.1/initializer-fixtures.json`): every deterministic variable equal (BatchNormalization's statistics,
 * LSTM's forget-gate bias with and without `unit_forget_bias`, GRU's bias of either shape), every random kernel of
 * the same shape, and a kernel with a NonNeg constraint keeping negative values, as Keras constrains only after
 * optimizer steps.
 */
class InitialValuesTest : FunSpec({
    val fixtures = Json.parseToJsonElement(InitialValuesTest::class.java
        .getResource("/init/keras3.15.1/initializer-fixtures.json")!!.readText()).jsonObject

    fun flatten(element: JsonElement): List<Double> =
        if (element is JsonArray) element.flatMap(::flatten) else listOf(element.jsonPrimitive.double)

    for ((index, case) in fixtures.getValue("layer_values").jsonArray.map { it.jsonObject }.withIndex()) {
        val className = case.getValue("class_name").jsonPrimitive.content
        val config = case.getValue("config").jsonObject
        test("$className #$index ${config["unit_forget_bias"] ?: ""} ${config["reset_after"] ?: ""}") {
            val name = config.getValue("name").jsonPrimitive.content
            val spec = ModelSpec.parse(Json.encodeToString(JsonElement.serializer(), JsonObject(mapOf(
                "class_name" to Json.parseToJsonElement("\"Sequential\""),
                "config" to JsonObject(mapOf("name" to Json.parseToJsonElement("\"s\""), "layers" to JsonArray(listOf(
                    Json.parseToJsonElement("""{"class_name": "InputLayer", "config": {"batch_shape": ${case["input_shape"]}}}"""),
                    JsonObject(mapOf("class_name" to case.getValue("class_name"), "config" to config))))))))))
            val weights = spec.initialWeights(0)
            // Keras' recurrent layers also hold a seed generator's state, which is not a weight Kerb writes.
            val expected = case.getValue("variables").jsonArray.map { it.jsonObject }
                .filter { "seed_generator" !in it.getValue("path").jsonPrimitive.content }
            weights.names shouldContainExactly expected.map { "$name/${it.getValue("path").jsonPrimitive.content}" }
            for (variable in expected) {
                val path = "$name/${variable.getValue("path").jsonPrimitive.content}"
                withClue(path) {
                    val tensor = weights[path]
                    tensor.shape().dims().toList() shouldBe variable.getValue("shape").jsonArray.map { it.jsonPrimitive.int }
                    val values = List(tensor.size()) { tensor.get(it) }
                    if (path.endsWith("kernel")) {
                        // Random: Keras' draw and Kerb's agree in distribution (InitializersTest), not in values.
                        if (variable.getValue("min").jsonPrimitive.double < 0) values.min() shouldBeLessThan 0.0
                    } else {
                        values shouldBe flatten(variable.getValue("values"))
                    }
                }
            }
        }
    }
})
