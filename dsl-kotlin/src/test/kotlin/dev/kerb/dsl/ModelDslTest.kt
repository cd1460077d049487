package dev.kerb.dsl

import dev.kerb.model.assertSameJson
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject

/**
 * Whole models built with the DSL against Keras 3.15.1's `model.to_json()` for the same models
 * (`src/test/resources/keras3/model-configs.json`, from `make_model_configs.py`). Kerb writes unbuilt configs, so
 * Keras' `build_config`, `compile_config` and `build_input_shape` are left out of the comparison.
 */
class ModelDslTest : FunSpec({
    val golden = Json.parseToJsonElement(
        ModelDslTest::class.java.getResource("/keras3/model-configs.json")!!.readText()).jsonObject

    fun withoutBuildState(element: JsonElement): JsonElement = when (element) {
        is JsonObject -> JsonObject(element.filterKeys { it !in setOf("build_config", "compile_config", "build_input_shape") }
            .mapValues { (_, v) -> withoutBuildState(v) })
        is JsonArray -> JsonArray(element.map(::withoutBuildState))
        else -> element
    }

    test("the README's Sequential MLP is what Keras writes") {
        val mlp = sequential("mlp") {
            input(784)
            dense(512, activation = "relu") { kernelConstraint = maxNorm(2.0); biasConstraint = nonNeg() }
            dropout(0.5)
            dense(10, activation = "softmax") { kernelConstraint = unitNorm() }
        }
        assertSameJson(withoutBuildState(golden.getValue("mlp")), mlp.toJsonElement())
    }

    test("a Functional model with two inputs, two outputs, a shared layer and merges is what Keras writes") {
        val towers = functional("towers") {
            val a = input(8, name = "a")
            val b = input(4, name = "b")
            val shared = dense(4) { name = "shared"; kernelConstraint = maxNorm(3) }
            val h = shared(a)
            val cat = concatenate { name = "cat" }(listOf(h, b))
            val added = add { name = "sum" }(listOf(h, b))
            output(dense(1) { name = "out" }(cat), added)
        }
        assertSameJson(withoutBuildState(golden.getValue("towers")), towers.toJsonElement())
    }

    test("a layer called twice shares its weights: two inbound nodes") {
        val model = functional {
            val x = input(3)
            val twice = dense(3) { name = "twice" }
            output(twice(twice(x)))
        }
        val layer = model.layer("twice")
        layer.className shouldBe "Dense"
        val dict = (model.model.getValue("config").jsonObject.getValue("layers") as JsonArray)
            .first { it.jsonObject["name"].toString() == "\"twice\"" }.jsonObject
        (dict.getValue("inbound_nodes") as JsonArray).size shouldBe 2
    }

    test("a layer Kerb has no builder for is carried as a raw config, constraints included") {
        val model = sequential {
            input(16)
            layer("QDense", "units" to 64, "kernel_constraint" to clip(-1, 1), module = "qkeras.qlayers") { name = "fc1" }
        }
        val config = model.layer("fc1").config
        config.keys.toList() shouldBe listOf("name", "trainable", "dtype", "units", "kernel_constraint")
        model.constraints().single().constraint shouldBe dev.kerb.core.thirdparty.Clip(-1, 1)
        model.model.toString() shouldContain "\"module\":\"qkeras.qlayers\",\"class_name\":\"QDense\""
    }

    context("builder misuse fails at build time with a clear message") {
        test("duplicate layer names") {
            shouldThrow<IllegalArgumentException> {
                sequential("m") { dense(2) { name = "x" }; dense(3) { name = "x" } }
            }.message shouldBe "duplicate layer name 'x' in model 'm'"
        }
        test("units = 0") {
            shouldThrow<IllegalArgumentException> { sequential { dense(0) } }.message shouldBe
                "layer 'dense' units must be positive; got 0"
        }
        test("a constraint on a weight the layer does not have") {
            shouldThrow<IllegalArgumentException> {
                sequential { dense(4) { useBias = false; biasConstraint = nonNeg() } }
            }.message shouldBe "layer 'dense' has no bias (use_bias is false), so bias_constraint has no weight to " +
                "constrain"
            shouldThrow<IllegalArgumentException> {
                sequential { batchNormalization { scale = false; gammaConstraint = nonNeg() } }
            }.message shouldBe "layer 'batch_normalization' has no gamma (scale is false), so gamma_constraint has " +
                "no weight to constrain"
        }
        test("an input no output depends on") {
            shouldThrow<IllegalArgumentException> {
                functional("f") { val a = input(2); input(3, name = "unused"); output(dense(1)(a)) }
            }.message shouldBe "input 'unused' of model 'f' is not connected to any output"
        }
        test("a layer never called, and tensors of another model") {
            shouldThrow<IllegalArgumentException> {
                functional("f") { val a = input(2); dense(5) { name = "lonely" }; output(dense(1)(a)) }
            }.message shouldBe "layer 'lonely' in model 'f' is never called on a tensor"
            lateinit var foreign: KTensor
            functional { foreign = input(2); output(dense(1)(foreign)) }
            shouldThrow<IllegalArgumentException> {
                functional("g") { output(dense(1) { name = "d" }(foreign)) }
            }.message shouldBe "layer 'd' is called on tensor input_layer, which belongs to another model"
        }
        test("no input or output, and calling layers in a Sequential model") {
            shouldThrow<IllegalArgumentException> { functional("f") { input(2) } }.message shouldBe
                "functional model 'f' has no output(); declare at least one"
            shouldThrow<IllegalArgumentException> {
                lateinit var t: KTensor
                functional { t = input(1); output(t) }
                sequential("s") { dense(1)(t) }
            }.message shouldBe "layer 'dense' is called on a tensor, but model 's' is Sequential; call layers only " +
                "inside functional { }"
        }
    }
})

private fun JsonObject.getValue(key: String): JsonElement = get(key) ?: throw AssertionError("no key $key")
