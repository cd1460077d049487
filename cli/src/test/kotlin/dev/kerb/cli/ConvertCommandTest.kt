package dev.kerb.cli

import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import dev.kerb.model.weights.WeightsFile
import dev.kerb.testdata.KerasCorpus
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipEntry
import java.util.zip.ZipFile
import java.util.zip.ZipOutputStream

/** `kerb convert`: JSON and archives out, warnings on stderr, bad input refused with nothing written. */
class ConvertCommandTest : FunSpec({
    val keras2 = KerasCorpus.file("hls4ml-qkeras-keras2.4-qdense-sequential-custom-clip-kernel-bias.json").toString()
    val archive = KerasCorpus.file("hls4ml-qkeras-keras3.14-qdense-sequential-registered-clip.keras")

    fun weights(path: Path): ByteArray = ZipFile(path.toFile()).use { zip ->
        zip.getInputStream(zip.getEntry("model.weights.h5")).use { it.readAllBytes() }
    }

    test("Keras 2 to Keras 3 on stdout, one warning line per unknown class on stderr") {
        val (status, out, err) = kerb("convert", keras2, "--to", "keras3")
        status shouldBe 0
        val spec = ModelSpec.parse(out)
        spec.format shouldBe ModelFormat.KERAS_3
        spec.constraints().size shouldBe ModelSpec.parse(Files.readString(Path.of(keras2))).constraints().size
        err.lines().filter { it.isNotEmpty() }.map { it.substringBefore(" is not") } shouldBe listOf(
            "kerb convert: warning: class 'QDense'", "kerb convert: warning: class 'QInitializer'",
            "kerb convert: warning: class 'quantized_bits'", "kerb convert: warning: class 'QActivation'",
            "kerb convert: warning: class 'quantized_relu'")
    }

    test("--output writes the file and nothing to stdout") {
        val target = tempdir().toPath().resolve("model.keras2.json")
        val (status, out, _) = kerb("convert", archive.toString(), "--to", "keras2", "--output", target.toString())
        status shouldBe 0
        out shouldBe ""
        ModelSpec.read(target).format shouldBe ModelFormat.KERAS_2
    }

    test("--seed initializes weights and --weight gives one from a .npy, into .keras and .h5") {
        val dir = tempdir().toPath()
        val json = Files.writeString(dir.resolve("m.json"), """{"class_name": "Sequential", "config": {"name": "s",
            "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [null, 3]}},
            {"class_name": "Dense", "config": {"name": "d", "units": 2}}]}}""")
        val bias = dir.resolve("bias.npy")
        Npy.write(NpyArray.Float32(dev.kerb.core.Shape.of(2), floatArrayOf(0.25f, -4f)), bias)
        for (out in listOf("m.keras", "m.h5")) {
            val (status, _, err) = kerb("convert", json.toString(), "--to", "keras3", "--seed", "3", "--weight",
                "d/bias=$bias", "-o", dir.resolve(out).toString())
            err shouldBe ""
            status shouldBe 0
            WeightsFile.open(dir.resolve(out)).use { file ->
                file.read("d/bias").let { listOf(it.get(0), it.get(1)) } shouldBe listOf(0.25, -4.0)
                val kernel = file.read("d/kernel")
                val drawn = ModelSpec.read(json).initialWeights(3)["d/kernel"]
                List(kernel.size()) { kernel.get(it) } shouldBe List(drawn.size()) { drawn.get(it) }
            }
        }
        // A file's own weights are kept, but for the one given.
        Npy.write(NpyArray.Float32(dev.kerb.core.Shape.of(2), floatArrayOf(1f, 2f)), bias)
        kerb("convert", dir.resolve("m.keras").toString(), "--to", "keras3", "--weight", "d/bias=$bias", "-o",
            dir.resolve("again.h5").toString()).status shouldBe 0
        WeightsFile.open(dir.resolve("again.h5")).use { again ->
            WeightsFile.open(dir.resolve("m.keras")).use { first ->
                again.read("d/kernel").let { k -> List(k.size()) { k.get(it) } } shouldBe
                    first.read("d/kernel").let { k -> List(k.size()) { k.get(it) } }
            }
            again.read("d/bias").let { listOf(it.get(0), it.get(1)) } shouldBe listOf(1.0, 2.0)
        }
        val wrong = kerb("convert", json.toString(), "--to", "keras3", "--weight", "d/kernel=$bias", "-o",
            dir.resolve("wrong.keras").toString())
        wrong.status shouldBe 2
        wrong.err shouldBe "kerb convert: weight 'd/kernel' has shape [2], but the model gives it [3, 2]\n"
        Files.exists(dir.resolve("wrong.keras")) shouldBe false
    }

    test("a .keras archive converted to a .keras archive keeps the weights entry byte for byte") {
        val target = tempdir().toPath().resolve("edited.keras")
        val (status, _, err) = kerb("convert", archive.toString(), "--to", "keras3", "--output", target.toString())
        err shouldBe ""
        status shouldBe 0
        weights(target) shouldBe weights(archive)
        ModelSpec.read(target) shouldBe ModelSpec.read(archive)
    }

    test("bad input: one line on stderr, exit 2, nothing written") {
        val dir = tempdir().toPath()
        val notZip = Files.writeString(dir.resolve("not-a-zip.keras"), "plain text")
        val noConfig = dir.resolve("no-config.keras")
        ZipOutputStream(Files.newOutputStream(noConfig)).use { it.putNextEntry(ZipEntry("model.weights.h5")) }
        val badJson = dir.resolve("bad-json.keras")
        ZipOutputStream(Files.newOutputStream(badJson)).use { zip ->
            zip.putNextEntry(ZipEntry("config.json"))
            zip.write("{\"class_name\": \"Sequential\",".toByteArray())
        }
        val badModel = Files.writeString(dir.resolve("bad-model.json"),
            """{"class_name": "Sequential", "keras_version": "2.4.0", "config": {"name": "s", "layers": 5}}""")
        val badInit = Files.writeString(dir.resolve("bad-init.json"), """{"class_name": "Sequential", "config": {"name": "s",
            "layers": [{"class_name": "InputLayer", "config": {"batch_shape": [null, 3]}}, {"class_name": "Dense",
            "config": {"name": "d", "units": 2, "kernel_initializer": {"class_name": "Halves", "config": {}}}}]}}""")
        val cases = mapOf(
            listOf(badModel.toString(), "--to", "keras3") to
                "kerb convert: $badModel: the KERAS_2 model Sequential is not well formed",
            listOf(notZip.toString(), "--to", "keras3", "--output", dir.resolve("o1.keras").toString()) to
                "kerb convert: $notZip: malformed JSON",
            listOf(notZip.toString(), "--to", "keras3", "--output", dir.resolve("o2.json").toString()) to
                "kerb convert: $notZip: malformed JSON",
            listOf(noConfig.toString(), "--to", "keras2", "--output", dir.resolve("o3.json").toString()) to
                "kerb convert: $noConfig is a zip archive without config.json",
            listOf(badJson.toString(), "--to", "keras3", "--output", dir.resolve("o4.keras").toString()) to
                "kerb convert: $badJson: malformed JSON",
            listOf(keras2, "--to", "keras3", "--seed", "1", "--output", dir.resolve("o5.json").toString()) to
                "kerb convert: --seed initializes weights: write a .keras or .h5 file",
            listOf(archive.toString(), "--to", "keras2", "--output", dir.resolve("o6.keras").toString()) to
                "kerb convert: ${dir.resolve("o6.keras")}: a file with weights holds a Keras 3 model",
            listOf(badInit.toString(), "--to", "keras3", "--seed", "2", "--output", dir.resolve("o7.h5").toString()) to
                "kerb convert: $badInit: layer 'd' kernel_initializer: unknown initializer 'Halves'; register it",
            listOf(keras2, "--to", "keras4") to "kerb convert: Invalid value for option '--to'",
        )
        for ((args, expected) in cases) {
            val (status, out, err) = kerb("convert", *args.toTypedArray())
            status shouldBe 2
            out shouldBe ""
            err shouldStartWith expected
            err.trimEnd().lines().size shouldBe 1
        }
        Files.list(dir).use { s -> s.map { it.fileName.toString() }.sorted().toList() } shouldBe
            listOf("bad-init.json", "bad-json.keras", "bad-model.json", "no-config.keras", "not-a-zip.keras")
    }
})
