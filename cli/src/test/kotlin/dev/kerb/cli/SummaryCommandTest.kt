package dev.kerb.cli

import dev.kerb.model.ModelSpec
import dev.kerb.testdata.KerasCorpus
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import java.nio.file.Files

/**
 * `kerb summary` prints what `ModelSpec.summary()` gives (whose text and counts the model module's tests hold to
 * Keras 3.15.1's), as text or JSON, on every kind of file Kerb reads; bad input exits 2 with one line.
 */
class SummaryCommandTest : FunSpec({
    val eegnet = KerasCorpus.file("arl-eegmodels-eegnet-tfkeras2.1.6-functional-depthwise-maxnorm.h5")

    test("the text is the library's summary, constraint rows included") {
        val (status, out, err) = kerb("summary", eegnet.toString())
        err shouldBe ""
        status shouldBe 0
        out shouldBe ModelSpec.read(eegnet).summary().toText()
        out shouldStartWith "Model: \"model\"\n┏"
        out shouldContain "↳ depthwise_constraint:"
    }

    test("--json gives every row with its shape and counts, and the totals") {
        val (status, out, _) = kerb("summary", "--json", eegnet.toString())
        status shouldBe 0
        val json = Json.parseToJsonElement(out).jsonObject
        val summary = ModelSpec.read(eegnet).summary()
        json.getValue("layers").jsonArray.map { it.jsonObject.getValue("name").jsonPrimitive.content } shouldBe
            summary.layers.map { it.name }
        json.getValue("total_params").jsonPrimitive.long shouldBe summary.totalParams
        json.getValue("layers").jsonArray[1].jsonObject.getValue("output_shape").toString() shouldBe "[null,8,60,151]"
        val depthwise = json.getValue("layers").jsonArray.map { it.jsonObject }.single { it["name"]!!.jsonPrimitive.content == "depthwise_conv2d" }
        val constraint = depthwise.getValue("constraints").jsonArray.single().jsonObject
        constraint.getValue("key").jsonPrimitive.content shouldBe "depthwise_constraint"
        constraint.getValue("constraint").toString() shouldBe "{\"module\":\"keras.constraints\",\"class_name\":\"MaxNorm\"," +
            "\"config\":{\"max_value\":1.0,\"axis\":0},\"registered_name\":null}"
    }

    test("--expand-nested and --line-length reach the text; a width Keras refuses is bad input") {
        val file = KerasCorpus.file("kotlindl-tfkeras2.2.4-lenet-sequential-maxnorm-kernel-bias.json")
        kerb("summary", "--line-length", "120", file.toString()).out shouldBe
            ModelSpec.read(file).summary().toText(lineLength = 120)
        val (status, _, err) = kerb("summary", "--line-length", "8", file.toString())
        status shouldBe 2
        err shouldBe "kerb summary: --line-length 8: Insufficient console width to print summary.\n"
    }

    test("a file that holds no model is bad input, on one line") {
        val file = Files.writeString(tempdir().toPath().resolve("not-a-model.json"), "{\"a\": 1}")
        val (status, _, err) = kerb("summary", file.toString())
        status shouldBe 2
        err.lines().filter { it.isNotEmpty() }.size shouldBe 1
    }
})
