package dev.kerb.cli

import dev.kerb.core.UnitNorm
import dev.kerb.model.ModelSpec
import dev.kerb.model.io.KerasJson
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldEndWith
import io.kotest.matchers.string.shouldStartWith
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipEntry
import java.util.zip.ZipFile
import java.util.zip.ZipOutputStream

/**
 * `kerb check` and `kerb constrain` end to end on files Keras 3.15.1 wrote with weights that violate their
 * constraints (`model/src/test/resources/weights/keras3.15.1`); the values themselves are checked against Keras' in
 * the model module's `WeightsFileTest` and, with Keras at hand, by `crosscheck/check_constrain.py`.
 */
class WeightsCommandsTest : FunSpec({
    val root = Path.of(checkNotNull(System.getProperty("kerb.repo.dir")) { "kerb.repo.dir is not set; run with Maven" })
    val fixtures = root.resolve("model/src/test/resources/weights/keras3.15.1")
    val dense = fixtures.resolve("dense_model.keras").toString()

    fun shouldFail(expected: String, vararg args: String) {
        val (status, out, err) = kerb(*args)
        (status to out) shouldBe (2 to "")
        err shouldBe "$expected\n"
    }

    test("check exits 3 on violated constraints, constrain fixes them, and check then exits 0") {
        val (status, out, err) = kerb("check", dense)
        (status to err) shouldBe (3 to "")
        out.lines()[1] shouldStartWith "d1/kernel    [6, 5]  MaxNorm(max_value=1.5, axis=0)  0.811     VIOLATED  "
        out.trimEnd() shouldEndWith "6 of 6 constrained weights violate their constraints (tolerance 0.000001)"
        val output = tempdir().toPath().resolve("out.keras")
        kerb("constrain", dense, "-o", output.toString()).let { (s, o, e) ->
            (s to e) shouldBe (0 to "")
            o.trimEnd() shouldEndWith "constrained 6 weights of $dense; wrote $output"
        }
        kerb("check", output.toString()).let { (s, o, _) ->
            s shouldBe 0
            o.trimEnd() shouldEndWith "every constraint holds (tolerance 0.000001)"
        }
    }

    test("check --json lists each constrained weight with its measures") {
        val (status, out, _) = kerb("check", "--json", fixtures.resolve("rnn_model.h5").toString())
        status shouldBe 3
        @Suppress("UNCHECKED_CAST")
        val rows = KerasJson.parse(out) as List<Map<String, Any?>>
        rows.map { it["weight"] }.first() shouldBe "embed/embeddings"
        rows.first()["shape"] shouldBe listOf(20, 4)
        (rows.first()["measures"] as Map<*, *>).keys shouldBe setOf("largest_norm", "smallest_norm", "slices_outside")
        rows.all { it["holds"] == false } shouldBe true
    }

    test("constrain --set changes the config written and the constraint applied; null removes one") {
        val output = tempdir().toPath().resolve("set.keras")
        val (status, _, err) = kerb("constrain", dense, "-o", output.toString(),
            "--set", "d1/kernel_constraint={\"class_name\": \"UnitNorm\", \"config\": {\"axis\": 0}}",
            "--set", "d1/bias_constraint=null")
        (status to err) shouldBe (0 to "")
        val spec = ModelSpec.read(output)
        spec.constraints().first { it.layer == "d1" }.constraint shouldBe UnitNorm(0)
        spec.constraints().none { it.layer == "d1" && it.key == "bias_constraint" } shouldBe true
        kerb("check", output.toString()).status shouldBe 0
        ZipFile(output.toFile()).use { zip -> zip.entries().toList().map { it.name } } shouldBe
            listOf("metadata.json", "config.json", "model.weights.h5")
    }

    test("constrain --set rewrites a legacy .h5 model's config in place, compact and padded, and Keras' loader reads it") {
        val output = tempdir().toPath().resolve("set.h5")
        val input = fixtures.resolve("dense_model.h5")
        kerb("constrain", input.toString(), "-o", output.toString(), "--set", "d1/kernel_constraint=unit_norm").status shouldBe 0
        ModelSpec.read(output).constraints().first { it.layer == "d1" }.constraint shouldBe UnitNorm(0)
        kerb("check", output.toString()).status shouldBe 0
        Files.size(output) shouldBe Files.size(input)
        // Python's json (as Keras' legacy loader uses it) reads the padded text: trailing spaces are whitespace.
        val config = String(Files.readAllBytes(output), Charsets.ISO_8859_1).let { text ->
            text.substring(text.indexOf("{\"class_name\":\"Sequential\""))
        }
        config.substringAfterLast('}').take(8).isBlank() shouldBe true
    }

    test("--report writes one offline HTML page with a chart per constrained weight, before and after") {
        val dir = tempdir().toPath()
        val report = dir.resolve("report.html")
        kerb("constrain", dense, "-o", dir.resolve("out.keras").toString(), "--report", report.toString()).status shouldBe 0
        val html = Files.readString(report)
        val images = Regex("<img alt=\"distribution of ([^\"]+)\" src=\"data:image/png;base64,([^\"]+)\">").findAll(html).toList()
        images.map { it.groupValues[1] } shouldBe listOf("d1/kernel", "d1/bias", "bn/beta", "bn/gamma", "prelu/alpha", "d2/kernel")
        for (image in images) {
            val png = javax.imageio.ImageIO.read(java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(image.groupValues[2])))
            (png.width to png.height) shouldBe (720 to 300)
        }
        html.contains("<script") shouldBe false
        Regex("https?://").containsMatchIn(html) shouldBe false
        html shouldContain "6 of 6 constrained weights satisfy their constraints"
    }

    test("bad input is one line, exit 2, and nothing is written") {
        val dir = tempdir().toPath()
        val out = dir.resolve("out.keras").toString()
        shouldFail("kerb constrain: $dense: cannot apply kernel_constraint of layer 'd1' to weight 'd1/kernel': " +
            "axis 5 is out of range for rank 2 (shape [6, 5]); expected an axis in [-2, 2)",
            "constrain", dense, "-o", out, "--set", "d1/kernel_constraint={\"class_name\": \"MaxNorm\", \"config\": {\"axis\": 5}}")
        shouldFail("kerb constrain: --set nope/kernel_constraint=max_norm: no layer 'nope' in model Sequential; its " +
            "layers are input_layer, d1, bn, prelu, d2", "constrain", dense, "-o", out, "--set", "nope/kernel_constraint=max_norm")
        val config = root.resolve("testdata/keras-corpus/dl4j-keras2-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json")
        shouldFail("kerb check: $config is a model config without weights; expected a .keras archive or a legacy .h5 " +
            "model", "check", config.toString())
        val half = fixtures.resolve("half_model.keras")
        shouldFail("kerb constrain: $half weight half/kernel is float16; Kerb reads and projects float32 and float64 " +
            "weights", "constrain", half.toString(), "-o", out)
        val source = Files.readAllBytes(Path.of(dense))
        val compressed = dir.resolve("compressed.keras")
        ZipFile(dense).use { zip ->
            ZipOutputStream(Files.newOutputStream(compressed)).use { outZip ->
                for (entry in zip.entries()) {
                    outZip.putNextEntry(ZipEntry(entry.name))
                    zip.getInputStream(entry).use { it.transferTo(outZip) }
                }
            }
        }
        shouldFail("kerb check: $compressed stores model.weights.h5 compressed; Kerb reads it as Keras writes it, stored",
            "check", compressed.toString())
        // The weights entry cut short: its recorded size now runs past the end of the file.
        val truncated = Files.write(dir.resolve("truncated.keras"), source.copyOf(source.size - 2000))
        val (status, _, err) = kerb("check", truncated.toString())
        (status to err.trimEnd().lines().size) shouldBe (2 to 1)
        err shouldStartWith "kerb check: $truncated "
        Files.list(dir).use { s -> s.map { it.fileName.toString() }.toList() }.filter { it.startsWith("o") }.shouldBeEmpty()
    }
})
