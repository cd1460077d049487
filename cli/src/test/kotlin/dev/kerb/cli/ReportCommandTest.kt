package dev.kerb.cli

import dev.kerb.testdata.KerasCorpus
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.nio.file.Files

/**
 * `kerb report` writes one self-contained page: the rows and totals `kerb summary --json` gives, the picture with a
 * box per layer, every constraint's Keras dict and, for a file with weights, the checks `kerb check` makes; no script
 * and no URL. Bad input exits 2 with one line and writes nothing.
 */
class ReportCommandTest : FunSpec({
    val eegnet = KerasCorpus.file("arl-eegmodels-eegnet-tfkeras2.1.6-functional-depthwise-maxnorm.h5")

    test("a model with weights: summary rows and totals, picture, constraints and checks; no script, no URL") {
        val page = tempdir().toPath().resolve("eegnet.html")
        val (status, out, err) = kerb("report", eegnet.toString(), "-o", page.toString())
        err shouldBe ""
        status shouldBe 0
        out shouldBe "wrote $page\n"
        val html = Files.readString(page)
        val summary = Json.parseToJsonElement(kerb("summary", "--json", eegnet.toString()).out).jsonObject
        val layers = summary.getValue("layers").jsonArray.map { it.jsonObject }
        for (layer in layers) {
            val name = layer.getValue("name").jsonPrimitive.content
            html shouldContain "<tr><td>$name (${layer.getValue("class_name").jsonPrimitive.content})</td>"
            html shouldContain "<td class=\"num\">${layer.getValue("params").jsonPrimitive.content}</td>"
        }
        html shouldContain "Total params: ${summary.getValue("total_params").jsonPrimitive.content} " +
            "(trainable ${summary.getValue("trainable_params").jsonPrimitive.content}"
        Regex("<g class=\"layer").findAll(html).count() shouldBe layers.size
        html shouldContain "{&quot;module&quot;:&quot;keras.constraints&quot;,&quot;class_name&quot;:&quot;MaxNorm&quot;"
        html shouldContain "2 of 2 constrained weights satisfy their constraints"
        html shouldContain "src=\"data:image/png;base64,"
        html shouldNotContain "<script"
        html shouldNotContain "http"
    }

    test("a config without weights says so") {
        val page = tempdir().toPath().resolve("lenet.html")
        val file = KerasCorpus.file("kotlindl-tfkeras2.2.4-lenet-sequential-maxnorm-kernel-bias.json")
        kerb("report", file.toString(), "-o", page.toString()).status shouldBe 0
        Files.readString(page) shouldContain "$file holds no weights."
    }

    test("a file with no model, a name that is not .html, an output that cannot be written: exit 2, nothing written") {
        val dir = tempdir().toPath()
        val notAModel = Files.writeString(dir.resolve("not-a-model.json"), "{\"a\": 1}")
        val cases = listOf(
            listOf(notAModel.toString(), "-o", dir.resolve("a.html").toString()),
            listOf(eegnet.toString(), "-o", dir.resolve("b.svg").toString()),
            listOf(eegnet.toString(), "-o", dir.resolve("missing/c.html").toString()),
        )
        for (args in cases) {
            val (status, _, err) = kerb("report", *args.toTypedArray())
            status shouldBe 2
            err.lines().filter { it.isNotEmpty() }.size shouldBe 1
        }
        Files.list(dir).use { files -> files.map { it.fileName.toString() }.toList() } shouldBe listOf("not-a-model.json")
    }
})
