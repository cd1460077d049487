package dev.kerb.model

import dev.kerb.core.Axis
import dev.kerb.core.MaxNorm
import dev.kerb.core.NonNeg
import dev.kerb.core.UnitNorm
import dev.kerb.model.io.ModelFiles
import dev.kerb.registry.ConfigException
import dev.kerb.registry.UnresolvedConstraint
import dev.kerb.testdata.KerasCorpus
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.inspectors.forAll
import io.kotest.matchers.collections.shouldNotBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import java.io.RandomAccessFile

/** Model specs read every corpus file losslessly, edit one constraint at a time, and apply constraints to weights. */
class ModelSpecTest : FunSpec({
    val files = KerasCorpus.modelFiles()

    /** Returns the paths (as strings) where two trees differ. */
    fun differences(a: JsonElement, b: JsonElement, path: String = "$"): List<String> = when {
        a is JsonObject && b is JsonObject -> (a.keys + b.keys).flatMap { k ->
            val x = a[k]
            val y = b[k]
            if (x == null || y == null) listOf("$path.$k") else differences(x, y, "$path.$k")
        }
        a is JsonArray && b is JsonArray && a.size == b.size -> a.indices.flatMap { differences(a[it], b[it], "$path[$it]") }
        else -> if (a == b) emptyList() else listOf(path)
    }

    for (file in files) {
        test("$file reads and writes back the same JSON tree, through kotlinx.serialization too") {
            val spec = ModelSpec.read(KerasCorpus.file(file))
            val original = ModelFiles.readDocument(KerasCorpus.file(file))
            assertSameJson(original, Json.parseToJsonElement(spec.toJson()))
            val text = Json.encodeToString(ModelSpec.serializer(), spec)
            assertSameJson(original, Json.parseToJsonElement(text))
            Json.decodeFromString(ModelSpec.serializer(), text) shouldBe spec
        }
    }

    test("formats are detected from the document") {
        fun format(name: String) = ModelSpec.read(KerasCorpus.file(name)).format
        format("dl4j-keras1-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json") shouldBe ModelFormat.KERAS_1
        format("dl4j-keras2-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json") shouldBe ModelFormat.KERAS_2
        format("arl-eegmodels-eegnet-tfkeras2.1.6-functional-depthwise-maxnorm.model_config.json") shouldBe
            ModelFormat.KERAS_2
        format("hls4ml-qkeras-keras3.14-qdense-sequential-registered-clip.keras") shouldBe ModelFormat.KERAS_3
        val tfjs = ModelSpec.parse("""{"format": "layers-model", "modelTopology": {"keras_version": "tfjs-layers 4.22.0",
            "backend": "tensor_flow.js", "model_config": {"class_name": "Sequential", "config": {"name": "s",
            "layers": [{"class_name": "Dense", "config": {"units": 3, "name": "dense_Dense1",
            "kernel_constraint": {"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}}}}]}}},
            "weightsManifest": []}""")
        tfjs.format shouldBe ModelFormat.TFJS
        tfjs.layers().map { it.path } shouldBe listOf("dense_Dense1")
        tfjs.constraints().single().constraint shouldBe MaxNorm(2)
        tfjs.withConstraint("dense_Dense1", "kernel_constraint", MaxNorm(3)).layer("dense_Dense1")
            .config.getValue("kernel_constraint").toString() shouldBe """{"class_name":"MaxNorm","config":{"max_value":3,"axis":0}}"""
    }

    test("editing a constraint changes only that value, in the file's own constraint shape") {
        val cases = mapOf(
            "dl4j-keras1-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json" to
                Triple("dense_1", "W_constraint", """{"name": "MaxNorm", "m": 3, "axis": 0}"""),
            "dl4j-keras2-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json" to
                Triple("dense_1", "kernel_constraint", """{"class_name": "MaxNorm", "config": {"max_value": 3, "axis": 0}}"""),
            "larq-pr863-keras2.15-quantdense-sequential-registered-weight_clip.model_config.json" to
                Triple("quant_dense", "kernel_constraint", """{"module": "keras.constraints", "class_name": "MaxNorm", "config": {"max_value": 3, "axis": 0}, "registered_name": null}"""),
            "hls4ml-qkeras-keras3.14-qdense-sequential-registered-clip.config.json" to
                Triple("fc1", "kernel_constraint", """{"module": "keras.constraints", "class_name": "MaxNorm", "config": {"max_value": 3, "axis": 0}, "registered_name": null}"""),
        )
        for ((file, edit) in cases) {
            val (layer, key, expected) = edit
            val spec = ModelSpec.read(KerasCorpus.file(file))
            val edited = spec.withConstraint(layer, key, MaxNorm(3))
            val changed = differences(spec.toJsonElement(), edited.toJsonElement())
            changed.shouldNotBeEmpty()
            changed.map { it.substringBefore(".$key") }.toSet().size shouldBe 1 // all within the one edited value
            changed.forAll { it shouldContain ".$key" }
            val layerSpec = edited.layer(layer)
            assertSameJson(Json.parseToJsonElement(expected), layerSpec.config.getValue(key))
            edited.constraints().first { it.layer == layer && it.key == key }.constraint shouldBe MaxNorm(3)
        }
    }

    test("constraints can be removed and added where the layer has the key; elsewhere it is an error") {
        val spec = ModelSpec.read(KerasCorpus.file("kotlindl-tfkeras2.2.4-lenet-sequential-maxnorm-kernel-bias.json"))
        val removed = spec.withConstraint("dense_20", "bias_constraint", null)
        removed.layer("dense_20").config.getValue("bias_constraint") shouldBe JsonNull
        removed.constraints().size shouldBe 1
        val conv = spec.layers().first { it.className == "Conv2D" }.path
        spec.withConstraint(conv, "kernel_constraint", UnitNorm(Axis.list(0, 1, 2))).constraints().size shouldBe 3
        shouldThrow<IllegalArgumentException> { spec.withConstraint("dense_20", "gamma_constraint", NonNeg.INSTANCE) }
            .message shouldBe "layer 'dense_20' (Dense) has no gamma_constraint, so there is no weight to constrain; " +
            "its constraint keys are kernel_constraint, bias_constraint"
        shouldThrow<IllegalArgumentException> { spec.withConstraint("nope", "kernel_constraint", NonNeg.INSTANCE) }
            .message shouldStartWith "no layer 'nope' in model Sequential; its layers are "
    }

    test("unknown layers and unregistered constraints survive, and are listed") {
        val text = """{"class_name": "Sequential", "config": {"name": "s", "layers": [
            {"class_name": "MyLayer", "config": {"name": "mine", "odd": [1, 2.50, {"x": null}],
              "kernel_constraint": {"class_name": "my_pkg>Spectral", "config": {"power_iterations": 1}}}}]},
            "keras_version": "2.11.0", "backend": "tensorflow", "extra": {"kept": true}}"""
        val spec = ModelSpec.parse(text)
        assertSameJson(Json.parseToJsonElement(text), Json.parseToJsonElement(spec.toJson()))
        spec.constraints().single().constraint.shouldBeInstanceOf<UnresolvedConstraint>()
    }


    test("model configs larger than the limit fail cleanly before being read") {
        val big = tempdir().toPath().resolve("huge.json")
        RandomAccessFile(big.toFile(), "rw").use { it.setLength(ModelFiles.MAX_CONFIG_BYTES + 1) }
        shouldThrow<ConfigException> { ModelSpec.read(big) }.message shouldBe
            "$big is ${ModelFiles.MAX_CONFIG_BYTES + 1} bytes; Kerb reads model configs of up to " +
            "${ModelFiles.MAX_CONFIG_BYTES} bytes"
    }
})
