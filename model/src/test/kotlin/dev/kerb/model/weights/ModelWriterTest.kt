package dev.kerb.model.weights

import dev.kerb.core.DType
import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.model.ModelSpec
import dev.kerb.model.Weights
import dev.kerb.model.init.Initializer
import dev.kerb.model.init.InitializerRegistry
import dev.kerb.registry.ConfigException
import io.jhdf.HdfFile
import io.jhdf.api.Dataset
import io.jhdf.api.Group
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipFile

/**
 * Writing models with weights: the files Keras 3.15.1 wrote (`weights/keras3.15.1/make_fixtures.py`) written again by
 * Kerb hold the same datasets at the same paths with the same bytes, and initial weights are reproducible, read back
 * bit for bit, and set as Keras sets them.
 */
class ModelWriterTest : FunSpec({
    val fixtures = Path.of(ModelWriterTest::class.java.getResource("/weights/keras3.15.1")!!.toURI())

    /** Every dataset of an HDF5 file (or of a `.keras` archive's weights) under [under], by path, as raw bytes. */
    fun datasets(file: Path, under: String): Map<String, List<Any>> {
        val h5 = if (file.toString().endsWith(".keras")) {
            val copy = Files.createTempFile("kerb-test", ".h5")
            ZipFile(file.toFile()).use { zip -> zip.getInputStream(zip.getEntry("model.weights.h5")).use { Files.copy(it, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING) } }
            copy
        } else file
        val out = sortedMapOf<String, List<Any>>()
        HdfFile(h5).use { hdf ->
            fun walk(group: Group) {
                for (child in group.children.values) when (child) {
                    is Group -> walk(child)
                    is Dataset -> out[child.path] = listOf(child.dimensions.toList(), child.dataType.size,
                        when (val data = child.dataFlat) { is FloatArray -> data.toList(); is DoubleArray -> data.toList(); else -> data })
                }
            }
            walk(hdf.getByPath(under) as Group)
        }
        return out
    }

    for (model in listOf("dense_model", "conv_model", "rnn_model", "nested_model")) {
        for (extension in listOf("keras", "h5")) {
            test("$model.$extension written again holds Keras' datasets, at Keras' paths, bit for bit") {
                val source = fixtures.resolve("$model.$extension")
                val output = tempdir().toPath().resolve("again.$extension")
                ModelSpec.read(source).write(output, Weights.read(source))
                val under = if (extension == "keras") "/layers" else "/model_weights"
                datasets(output, under) shouldBe datasets(source, under)
                WeightsFile.open(output).use { written ->
                    WeightsFile.open(source).use { keras ->
                        written.weights.map { it.name } shouldContainExactly keras.weights.map { it.name }
                    }
                }
            }
        }
    }

    fun model(outBias: String = "\"zeros\"", outKernel: String = "\"Orthogonal\"") = ModelSpec.parse("""{"class_name": "Sequential", "config": {"name": "seq", "layers": [
        {"class_name": "InputLayer", "config": {"batch_shape": [null, 6, 3], "name": "in"}},
        {"class_name": "LSTM", "config": {"name": "lstm", "units": 5, "return_sequences": true}},
        {"class_name": "BatchNormalization", "config": {"name": "bn"}},
        {"class_name": "Flatten", "config": {"name": "flat"}},
        {"class_name": "Dense", "config": {"name": "big", "units": 3000, "kernel_constraint": {"class_name": "NonNeg", "config": {}}}},
        {"class_name": "Dense", "config": {"name": "out", "units": 2, "dtype": "float64", "bias_initializer": $outBias,
            "kernel_initializer": {"class_name": $outKernel, "config": {"gain": 1.0, "seed": 5}}}}]}}""")
    val spec = model()

    // big/kernel's 90,000 values are two chunks, which the writer draws on every core and weights[...] on one thread.
    test("initial weights are reproducible, differ by seed, and are what the file holds, bit for bit") {
        val dir = tempdir().toPath()
        val weights = spec.initialWeights(7)
        weights.names shouldContainExactly listOf("lstm/lstm_cell/kernel", "lstm/lstm_cell/recurrent_kernel",
            "lstm/lstm_cell/bias", "bn/gamma", "bn/beta", "bn/moving_mean", "bn/moving_variance", "big/kernel",
            "big/bias", "out/kernel", "out/bias")
        for (extension in listOf("keras", "h5")) {
            spec.write(dir.resolve("a.$extension"), weights)
            spec.write(dir.resolve("b.$extension"), spec.initialWeights(7))
            spec.write(dir.resolve("c.$extension"), spec.initialWeights(8))
            val under = if (extension == "keras") "/layers" else "/model_weights"
            datasets(dir.resolve("a.$extension"), under) shouldBe datasets(dir.resolve("b.$extension"), under)
            datasets(dir.resolve("a.$extension"), under) shouldNotBe datasets(dir.resolve("c.$extension"), under)
            WeightsFile.open(dir.resolve("a.$extension")).use { file ->
                file.weights.map { it.name } shouldContainExactly weights.names
                for (name in weights.names) withClue(name) {
                    val expected = weights[name]
                    val read = file.read(name)
                    read.dtype() shouldBe expected.dtype()
                    List(read.size()) { read.get(it) } shouldBe List(expected.size()) { expected.get(it) }
                }
            }
        }
    }

    test("layers get Keras' initial values: forget bias, moving statistics, unconstrained kernels") {
        // Keras 3.15.1 (init/keras3.15.1/initializer-fixtures.json, layer_values): LSTM's bias is 0 but for ones on
        // the forget gate; BatchNormalization starts at gamma 1, beta 0, mean 0, variance 1; a NonNeg kernel keeps
        // its negative initial values, since Keras constrains only after optimizer steps.
        val weights = spec.initialWeights(1)
        val bias = weights["lstm/lstm_cell/bias"]
        List(bias.size()) { bias.get(it) } shouldBe List(20) { if (it in 5 until 10) 1.0 else 0.0 }
        for ((name, value) in listOf("bn/gamma" to 1.0, "bn/beta" to 0.0, "bn/moving_mean" to 0.0, "bn/moving_variance" to 1.0)) {
            val t = weights[name]
            List(t.size()) { t.get(it) }.toSet() shouldBe setOf(value)
        }
        val kernel = weights["big/kernel"]
        (0 until kernel.size()).count { kernel.get(it) < 0 } shouldNotBe 0
        weights.dtype("out/kernel") shouldBe DType.FLOAT64
        // An initializer's own seed repeats its values, as in Keras.
        spec.initialWeights(2)["out/kernel"].let { t -> List(t.size()) { t.get(it) } } shouldBe
            weights["out/kernel"].let { t -> List(t.size()) { t.get(it) } }
    }

    test("a given weight replaces the initial one; a misfit is refused in one line and nothing is written") {
        val dir = tempdir().toPath()
        val bias = Tensor.of(floatArrayOf(0.5f, -0.5f).map { it.toDouble() }.toDoubleArray(), Shape.of(2))
        val weights = spec.initialWeights(3).with("out/bias", bias)
        spec.write(dir.resolve("m.keras"), weights)
        WeightsFile.open(dir.resolve("m.keras")).use { file -> file.read("out/bias").let { listOf(it.get(0), it.get(1)) } } shouldBe listOf(0.5, -0.5)
        shouldThrow<ConfigException> { weights.with("out/bias", Tensor.of(DoubleArray(3), Shape.of(3))) }.message shouldBe
            "weight 'out/bias' has shape [3], but the model gives it [2]"
        shouldThrow<ConfigException> { weights.with("out/bias", Tensor.of(FloatArray(2), Shape.of(2))) }.message shouldBe
            "weight 'out/bias' is float32, but the model's dtype policy makes it float64"
        shouldThrow<ConfigException> { weights.with("out/gamma", bias) }.message!!.lines().single() shouldBe
            "the model has no variable 'out/gamma'; it has ${weights.names.joinToString()}"
        val custom = model("""{"class_name": "Halves", "registered_name": "my_pkg>Halves", "config": {}}""")
        shouldThrow<ConfigException> { custom.initialWeights(0) }.message shouldBe "layer 'out' bias_initializer: " +
            "unknown initializer 'Halves'; register it with InitializerRegistry.defaultRegistry().register(\"my_pkg>Halves\", factory)"
        val registry = InitializerRegistry.builtins().register("my_pkg>Halves") { Initializer { values, _ ->
            require(values.size() == 2) { "Halves fills pairs" }
            for (i in 0 until values.size()) values.set(i, 0.5)
        } }
        custom.initialWeights(0, registry)["out/bias"].let { listOf(it.get(0), it.get(1)) } shouldBe listOf(0.5, 0.5)
        val wrong = model(outKernel = "\"Halves\", \"registered_name\": \"my_pkg>Halves\"")
        shouldThrow<ConfigException> { wrong.write(dir.resolve("x.keras"), wrong.initialWeights(0, registry)) }.message shouldBe
            "${dir.resolve("x.keras")}: layer 'out' kernel_initializer cannot initialize 'out/kernel': Halves fills pairs"
        Files.list(dir).use { files -> files.map { it.fileName.toString() }.toList().sorted() } shouldBe listOf("m.keras")
    }

    test("Normalization's int32 count is written as integers and read back with the other weights") {
        val normalization = ModelSpec.parse("""{"class_name": "Sequential", "config": {"name": "seq", "layers": [
            {"class_name": "InputLayer", "config": {"batch_shape": [null, 4], "name": "in"}},
            {"class_name": "Normalization", "config": {"name": "norm", "axis": [-1]}}]}}""")
        val file = tempdir().toPath().resolve("norm.keras")
        val seven = Tensor.of(floatArrayOf(7f), Shape.of())
        normalization.write(file, normalization.initialWeights(0).with("norm/count", seven))
        WeightsFile.open(file).use { it.weight("norm/count").dtype } shouldBe "Integer"
        val read = Weights.read(file)
        read.names shouldContainExactly listOf("norm/mean", "norm/variance", "norm/count")
        read["norm/count"].get(0) shouldBe 7.0
    }
})
