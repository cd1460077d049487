package dev.kerb.samples

import dev.kerb.testdata.KerasCorpus
import kotlin.system.exitProcess
import java.nio.file.Path

/**
 * The README's main job: runs every sample end to end. Arguments: the Keras corpus folder (default the repository's
 * `testdata/keras-corpus`, see [KerasCorpus]) and the output folder (default `samples/target/showcase`).
 */
public fun main(args: Array<String>) {
    val corpus = try {
        args.getOrNull(0)?.let { Path.of(it) } ?: KerasCorpus.dir()
    } catch (e: IllegalStateException) {
        System.err.println("kerb-showcase: ${e.message}")
        exitProcess(2)
    }
    val out = Path.of(args.getOrElse(1) { "samples/target/showcase" })
    val model = DefineModel.run(out)
    println()
    TightenCorpusModel.run(corpus, out)
    println()
    CustomConstraint.run()
    println()
    ApplyToWeights.run(model)
}
