package dev.kerb.samples

import dev.kerb.dsl.layer
import dev.kerb.dsl.maxNorm
import dev.kerb.dsl.nonNeg
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import java.nio.file.Files
import java.nio.file.Path

/**
 * Sample 2: load a real model config (EEGNet, saved by tf.keras 2.1.6), tighten its Dense max-norm, add a
 * non-negative bias constraint to its BatchNormalization layers, and save it in its own format (nothing else in the
 * file changes) and converted to Keras 3, which Keras 3's `model_from_json` loads.
 */
public object TightenCorpusModel {
    /** The EEGNet file in the repository's `testdata/keras-corpus`. */
    public const val FILE: String = "arl-eegmodels-eegnet-tfkeras2.1.6-functional-depthwise-maxnorm.model_config.json"

    /**
     * Reads `FILE` from [corpus], writes `eegnet.tightened.json` and `eegnet.tightened.keras3.json` into [out] and
     * returns the edited spec.
     */
    public fun run(corpus: Path, out: Path): ModelSpec {
        val original = ModelSpec.read(corpus.resolve(FILE))
        var edited = original.withConstraint("dense", "kernel_constraint", maxNorm(0.2))
        for (layer in original.layers().filter { it.className == "BatchNormalization" }) {
            edited = edited.withConstraint(layer.path, "beta_constraint", nonNeg())
        }
        Files.createDirectories(out)
        Files.writeString(out.resolve("eegnet.tightened.json"), edited.toJson())
        println("2. Read $FILE (${original.format}, ${original.layers().size} layers)")
        println("   constraints before: ${original.constraints().size}, after: ${edited.constraints().size}")
        for (c in edited.constraints()) println("     ${c.layer.padEnd(22)} ${c.key.padEnd(20)} ${c.constraint}")
        println("   wrote ${out.resolve("eegnet.tightened.json")}")
        val keras3 = edited.convert(ModelFormat.KERAS_3)
        Files.writeString(out.resolve("eegnet.tightened.keras3.json"), keras3.spec.toJson(prettyPrint = true))
        println("   converted to Keras 3 (${keras3.spec.constraints().size} constraints); warnings:")
        keras3.warnings.forEach { println("     $it") }
        println("   wrote ${out.resolve("eegnet.tightened.keras3.json")}")
        return edited
    }
}
