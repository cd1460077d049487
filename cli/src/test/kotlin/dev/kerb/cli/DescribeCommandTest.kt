package dev.kerb.cli

import dev.kerb.model.io.KerasJson
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

/** `kerb describe` on every kind of model file: nested wrappers, TF.js, archives, and bad input. */
class DescribeCommandTest : FunSpec({
    fun resource(name: String): String =
        Path.of(DescribeCommandTest::class.java.getResource("/models/$name")!!.toURI()).toString()

    test("layers inside Bidirectional, TimeDistributed and nested models are named by their path") {
        val (status, out, err) = kerb("describe", resource("nested-wrappers-keras2.json"))
        err shouldBe ""
        status shouldBe 0
        out shouldBe """
            LAYER                CLASS  KEY                   CONSTRAINT
            bidi/lstm            LSTM   kernel_constraint     MaxNorm(max_value=3, axis=0)
            bidi/lstm            LSTM   recurrent_constraint  UnitNorm(axis=[0])
            bidi/backward_lstm   LSTM   kernel_constraint     NonNeg()
            per_step/step_dense  Dense  kernel_constraint     MinMaxNorm(min_value=0.5, max_value=1.5, rate=0.5, axis=[0, 1])
            head/head_dense      Dense  bias_constraint       Custom>CenterAround{"ref_value": 0.25} (unregistered)

        """.trimIndent()
    }

    test("--json prints layer, layer_class, key and the Keras 3 dict, in file order") {
        val (status, out, _) = kerb("describe", "--json", resource("tfjs-model.json"))
        status shouldBe 0
        KerasJson.parse(out) shouldBe listOf(
            mapOf("layer" to "dense_Dense1", "layer_class" to "Dense", "key" to "kernel_constraint",
                "constraint" to mapOf("module" to "keras.constraints", "class_name" to "MaxNorm",
                    "config" to mapOf("max_value" to 2, "axis" to 0), "registered_name" to null)),
            mapOf("layer" to "dense_Dense1", "layer_class" to "Dense", "key" to "bias_constraint",
                "constraint" to mapOf("module" to "keras.constraints", "class_name" to "NonNeg",
                    "config" to emptyMap<String, Any>(), "registered_name" to null)),
        )
    }

    test("a bad constraint config names the file, the layer and the key, and exits 2") {
        val file = resource("bad-config-in-layer.json")
        val (status, out, err) = kerb("describe", file)
        status shouldBe 2
        out shouldBe ""
        err shouldBe "kerb describe: $file: MaxNorm config in layer 'dense_1' kernel_constraint key 'max_value' is " +
            "\"two\"; expected a finite number\n"
    }

    test("files that are not model configs are bad input with one line") {
        val dir = tempdir().toPath()
        val cases = mapOf(
            Files.writeString(dir.resolve("broken.json"), "{\"class_name\": \"Sequential\",\n \"config\": [}") to
                "malformed JSON: Unexpected JSON token at line 2, column",
            Files.writeString(dir.resolve("other.json"), "{\"weights\": []}") to "holds no Keras model config",
            dir.resolve("no-config.keras").also { zip(it, "metadata.json" to "{}") } to
                "is a zip archive without config.json",
            dir.resolve("bad-inside.keras").also { zip(it, "config.json" to "{nope") } to "malformed JSON",
            Files.write(dir.resolve("latin1.json"), byteArrayOf(0xff.toByte(), 0xfe.toByte(), 0x41)) to
                "is neither UTF-8 JSON",
        )
        for ((file, message) in cases) {
            val (status, _, err) = kerb("describe", file.toString())
            status shouldBe 2
            err.lines().filter { it.isNotEmpty() }.size shouldBe 1
            err shouldStartWith "kerb describe: $file"
            err shouldContain message
        }
        kerb("describe", dir.resolve("missing.json").toString()).status shouldBe 2
    }

    test("a model without constraints says so") {
        val file = Files.writeString(tempdir().toPath().resolve("plain.json"),
            """{"class_name": "Sequential", "config": {"name": "s", "layers": []}}""")
        kerb("describe", file.toString()).out shouldBe "no constraints in $file\n"
        kerb("describe", "--json", file.toString()).out.trim() shouldBe "[]"
    }
})

private fun zip(path: Path, vararg entries: Pair<String, String>) {
    ZipOutputStream(Files.newOutputStream(path)).use { zip ->
        for ((name, text) in entries) {
            zip.putNextEntry(ZipEntry(name))
            zip.write(text.toByteArray())
            zip.closeEntry()
        }
    }
}
