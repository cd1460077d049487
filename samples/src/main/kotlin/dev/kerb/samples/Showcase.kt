package dev.kerb.samples

import java.nio.file.Path

/**
 * The README's main job: runs every sample end to end. Arguments: the Keras corpus folder (default
 * `../shared/keras-corpus`) and the output folder (default `samples/target/showcase`).
 */
public fun main(args: Array<String>) {
    val corpus = Path.of(args.getOrElse(0) { "../shared/keras-corpus" })
    val out = Path.of(args.getOrElse(1) { "samples/target/showcase" })
    val model = DefineModel.run(out)
    println()
    TightenCorpusModel.run(corpus, out)
    println()
    CustomConstraint.run()
    println()
    ApplyToWeights.run(model)
}
