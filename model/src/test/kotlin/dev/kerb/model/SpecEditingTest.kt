package dev.kerb.model

import dev.kerb.core.Axis
import dev.kerb.core.MaxNorm
import dev.kerb.core.MinMaxNorm
import dev.kerb.core.NonNeg
import dev.kerb.testdata.KerasCorpus
import dev.kerb.model.weights.WeightsFile
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.paths.shouldNotExist
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import java.util.zip.ZipFile

/** Bulk edits, writing to a file by its name, reading by a path string, and conversions taken apart. */
class SpecEditingTest : FunSpec({
    val eegnet = "arl-eegmodels-eegnet-tfkeras2.1.6-functional-depthwise-maxnorm.model_config.json"
    val archive = "hls4ml-qkeras-keras3.14-qdense-sequential-registered-clip.keras"

    test("mapConstraints tightens every MaxNorm in one expression and changes nothing else") {
        val spec = ModelSpec.read(KerasCorpus.file(eegnet))
        val tightened = spec.mapConstraints { found ->
            (found.constraint as? MaxNorm)?.let { MaxNorm(it.maxValue.toDouble() / 2, it.axis) } ?: found.constraint
        }
        tightened.constraints().map { it.constraint } shouldContainExactly
            listOf(MaxNorm(0.5, Axis.of(0)), MaxNorm(0.125, Axis.of(0)))
        val back = tightened.withConstraint("depthwise_conv2d", "depthwise_constraint", MaxNorm(1.0, Axis.of(0)))
            .withConstraint("dense", "kernel_constraint", MaxNorm(0.25, Axis.of(0)))
        back shouldBe spec
        spec.mapConstraints { it.constraint } shouldBe spec
    }

    test("mapConstraints removes what the transform maps to null") {
        val spec = ModelSpec.read(KerasCorpus.file("dl4j-keras2-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json"))
        val kept = spec.mapConstraints { if (it.constraint is NonNeg || it.constraint is MinMaxNorm) null else it.constraint }
        kept.constraints().map { it.layer } shouldContainExactly listOf("dense_1", "dense_3")
    }

    test("write picks JSON or a .keras archive from the name; an archive keeps the source weights or gets initial ones") {
        val dir = tempdir().toPath()
        val json = ModelSpec.read(KerasCorpus.file(eegnet))
        json.write(dir.resolve("eegnet.json")).shouldBeEmpty()
        ModelSpec.read(dir.resolve("eegnet.json").toString()) shouldBe json

        val keras = ModelSpec.read(KerasCorpus.file(archive)).mapConstraints { it.constraint }
        keras.write(dir.resolve("copy.keras")).shouldBeEmpty()
        fun weights(name: String) = ZipFile(name).use { zip ->
            zip.getInputStream(zip.getEntry("model.weights.h5")).readAllBytes()
        }
        weights(dir.resolve("copy.keras").toString()) shouldBe weights(KerasCorpus.file(archive).toString())
        ModelSpec.read(dir.resolve("copy.keras")) shouldBe keras

        // A spec without weights gets its initial weights, drawn with seed 0.
        json.write(dir.resolve("eegnet.keras"))
        WeightsFile.open(dir.resolve("eegnet.keras")).use { file ->
            file.weights.map { it.name } shouldBe json.initialWeights(0).names
            for (name in file.weights.map { it.name }) {
                val (read, initial) = file.read(name) to json.initialWeights(0)[name]
                List(read.size()) { read.get(it) } shouldBe List(initial.size()) { initial.get(it) }
            }
        }
    }

    test("a conversion destructures into the converted spec and its warnings") {
        val (keras3, warnings) = ModelSpec.read(KerasCorpus.file(archive)).convert(ModelFormat.KERAS_2)
        keras3.format shouldBe ModelFormat.KERAS_2
        warnings.size shouldBe 5 // the five QKeras classes, one line each
    }
})
