package dev.kerb.dsl

import dev.kerb.core.MaxNorm
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import dev.kerb.model.assertSameJson
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.maps.shouldNotContainKey
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import java.nio.file.Files
import java.nio.file.Path

/**
 * Keras 3 models written in the Keras 2 `to_json()` shape (reference section 6.2): two-key objects, dtype strings,
 * `batch_input_shape`, nested-list `inbound_nodes`, lists of endpoint triples. The files are also left in
 * `target/keras2/` for loading with TensorFlow.js' `tf.models.modelFromJSON` by hand (both loaded with tfjs 4).
 */
class Keras2WriterTest : FunSpec({
    fun keras2(spec: ModelSpec, name: String): JsonObject {
        val text = spec.convert(ModelFormat.KERAS_2).spec.toJson(prettyPrint = true)
        Files.createDirectories(Path.of("target/keras2"))
        Files.writeString(Path.of("target/keras2/$name.json"), text)
        return Json.parseToJsonElement(text).jsonObject
    }

    fun JsonElement.obj(key: String): JsonElement = (this as JsonObject)[key] ?: throw AssertionError("no $key in $this")

    test("a Sequential model takes the tf.keras 2 shape and reads back with the same constraints") {
        val model = DslSamples.mlp()
        val json = keras2(model, "mlp")
        json.keys.toList() shouldBe listOf("class_name", "config", "keras_version", "backend")
        json.obj("keras_version").toString() shouldBe "\"2.12.0\""
        val layers = json.obj("config").obj("layers") as JsonArray
        assertSameJson(Json.parseToJsonElement("""{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 784],
            "dtype": "float32", "sparse": false, "ragged": false, "name": "input_layer"}}"""), layers[0])
        val dense = layers[1].obj("config")
        dense.obj("dtype").toString() shouldBe "\"float32\""
        assertSameJson(Json.parseToJsonElement("""{"class_name": "MaxNorm", "config": {"max_value": 2.0, "axis": 0}}"""),
            dense.obj("kernel_constraint"))
        assertSameJson(Json.parseToJsonElement("""{"class_name": "GlorotUniform", "config": {"seed": null,
            "input_axes": null, "output_axes": null}}"""), dense.obj("kernel_initializer"))
        (dense as JsonObject) shouldNotContainKey "quantization_config"
        val back = ModelSpec.parse(json.toString())
        back.format shouldBe ModelFormat.KERAS_2
        back.constraints() shouldBe model.constraints()
    }

    test("a Functional model's nodes and endpoints take the tf.keras 2 form") {
        val model = DslSamples.towers()
        val config = keras2(model, "towers").obj("config")
        config.obj("input_layers").toString() shouldBe """[["a",0,0],["b",0,0]]"""
        config.obj("output_layers").toString() shouldBe """[["out",0,0]]"""
        val cat = (config.obj("layers") as JsonArray).single { it.obj("name").toString() == "\"cat\"" }
        cat.obj("inbound_nodes").toString() shouldBe """[[["shared",0,0,{}],["b",0,0,{}]]]"""
        ModelSpec.parse(keras2(model, "towers").toString()).constraints().single().constraint shouldBe MaxNorm(3)
    }
})

/** Models shared by the DSL tests. */
object DslSamples {
    fun mlp(): ModelSpec = sequential("mlp") {
        input(784)
        dense(512, activation = "relu") { kernelConstraint = maxNorm(2.0); biasConstraint = nonNeg() }
        dropout(0.5)
        dense(10, activation = "softmax") { kernelConstraint = unitNorm() }
    }

    /** Two inputs, a shared layer, a merge and two outputs. */
    fun towers(): ModelSpec = functional("towers") {
        val a = input(8, name = "a")
        val b = input(4, name = "b")
        val h = dense(4) { name = "shared"; kernelConstraint = maxNorm(3) }(a)
        output(dense(1) { name = "out" }(concatenate { name = "cat" }(listOf(h, b))))
    }
}
