package dev.kerb.model.weights

import dev.kerb.model.KerasArchive
import dev.kerb.model.LayerTree
import dev.kerb.model.ModelSpec
import dev.kerb.model.io.KerasJson
import dev.kerb.registry.ConfigException
import io.kotest.assertions.throwables.shouldThrow
import kotlinx.serialization.json.JsonPrimitive
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipInputStream

/**
 * Weights in files Keras 3.15.1 wrote (`src/test/resources/weights/keras3.15.1/make_fixtures.py`): named as Keras names
 * its variables, read bit for bit, checked, and constrained to what Keras' own constraint objects give.
 */
class WeightsFileTest : FunSpec({
    val fixtures = Path.of(WeightsFileTest::class.java.getResource("/weights/keras3.15.1")!!.toURI())

    /** What the generator recorded: each weight's path (without a Sequential model's name), values, constrained values. */
    class Expected(val path: String, val shape: List<Int>, val values: List<Double>, val constrained: List<Double>?)

    fun expected(model: String): List<Expected> {
        @Suppress("UNCHECKED_CAST")
        val weights = (KerasJson.parse(Files.readString(fixtures.resolve("$model.expected.json"))) as Map<String, Any?>)
            .getValue("weights") as List<Map<String, Any?>>
        return weights.map { w ->
            @Suppress("UNCHECKED_CAST")
            Expected((w["path"] as String).removePrefix("$model/"), (w["shape"] as List<Int>),
                (w["values"] as List<Number>).map { it.toDouble() },
                (w["constrained"] as List<Number>?)?.map { it.toDouble() })
        }
    }

    for (model in listOf("dense_model", "conv_model", "rnn_model", "nested_model")) {
        for (extension in listOf("keras", "h5")) {
            val file = "$model.$extension"
            test("$file: every weight is named as Keras names it and read bit for bit") {
                WeightsFile.open(fixtures.resolve(file)).use { weights ->
                    val want = expected(model)
                    weights.weights.map { it.name } shouldContainExactly want.map { it.path }
                    for (w in want) withClue(w.path) {
                        val tensor = weights.read(w.path)
                        tensor.shape().dims().toList() shouldBe w.shape
                        List(tensor.size()) { tensor.get(it) } shouldBe w.values
                    }
                }
            }

            test("$file: constrain gives Keras' constrained values, keeps the rest, and check then holds") {
                val output = tempdir().toPath().resolve(file)
                val want = expected(model)
                val patched = ArrayList<LongRange>()
                WeightsFile.open(fixtures.resolve(file)).use { input ->
                    input.check().any { !it.holds } shouldBe true
                    val applied = input.constrain(output).flatMap { it.weights }
                    applied.toSet() shouldBe want.filter { it.constrained != null }.map { it.path }.toSet()
                    for (name in applied) input.weight(name).let { w ->
                        patched += w.offset until w.offset + w.shape.size() * if (w.dtype == "float32") 4 else 8
                    }
                }
                if (extension == "keras") java.nio.channels.FileChannel.open(output).use { channel ->
                    val entry = ZipLayout.entry(channel, output, "model.weights.h5")!!
                    for (crc in listOfNotNull(entry.localCrcOffset, entry.centralCrcOffset, entry.descriptorCrcOffset)) {
                        patched += crc until crc + 4
                    }
                }
                WeightsFile.open(output).use { weights ->
                    for (w in want) withClue(w.path) {
                        val actual = weights.read(w.path).let { t -> List(t.size()) { t.get(it) } }
                        if (w.constrained == null) actual shouldBe w.values
                        else for (i in actual.indices) {
                            kotlin.math.abs(actual[i] - w.constrained[i]) / maxOf(kotlin.math.abs(w.constrained[i]), 1e-3) shouldBeLessThan 1e-6
                        }
                    }
                    // A MinMaxNorm with rate < 1 moves norms only part of the way in one step, as in Keras.
                    weights.check().filter { !it.holds }.map { it.constraint.constraint }
                        .filter { (it as? dev.kerb.core.MinMaxNorm)?.rate?.toDouble() != 0.8 } shouldBe emptyList()
                }
                changedBytes(fixtures.resolve(file), output).filter { at -> patched.none { at in it } } shouldBe emptyList()
                if (extension == "keras") ZipInputStream(Files.newInputStream(output)).use { zip -> // checks every CRC
                    while (zip.nextEntry != null) zip.readAllBytes()
                }
            }
        }
    }

    test("a stored weight whose shape is not the config's is named, with both shapes, and nothing is written") {
        val source = fixtures.resolve("dense_model.keras")
        val spec = WeightsFile.open(source).use { it.spec }
        val d2 = spec.layer("d2")
        // The config now says d2 has 4 units; the file stores its kernel as (5, 3), which Keras would not load.
        val edited = ModelSpec.fromJsonElement(LayerTree.replace(spec.toJsonElement(), d2.location + "config" + "units") {
            JsonPrimitive(4)
        }, registry = spec.registry)
        val misfit = tempdir().toPath().resolve("misfit.keras")
        KerasArchive.read(source).write(misfit, edited)
        val reason = "weight 'd2/kernel' has shape (5, 3), but the model config gives it (5, 4)"
        WeightsFile.open(misfit).use { file ->
            shouldThrow<ConfigException> { file.check() }.message shouldBe "$misfit: $reason"
            val out = tempdir().toPath().resolve("out.keras")
            shouldThrow<ConfigException> { file.constrain(out) }.message shouldBe "$misfit: $reason"
            Files.exists(out) shouldBe false
        }
        WeightsFile.open(source).use { file ->
            shouldThrow<ConfigException> { file.constrain(tempdir().toPath().resolve("x.keras"), edited) }.message shouldBe
                "$source: $reason"
        }
    }
})

/** Returns the offsets at which two files of the same size differ. */
private fun changedBytes(input: Path, output: Path): List<Long> {
    val a = Files.readAllBytes(input)
    val b = Files.readAllBytes(output)
    b.size shouldBe a.size
    return a.indices.filter { a[it] != b[it] }.map { it.toLong() }
}
