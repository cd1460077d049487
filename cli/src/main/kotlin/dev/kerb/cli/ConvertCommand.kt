package dev.kerb.cli

import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import dev.kerb.model.Weights
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters
import java.nio.file.Path
import java.util.concurrent.Callable

/** `kerb convert`: rewrites a Keras model config in another Keras generation, keeping its constraints. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = ["Convert a Keras model config (Keras 1/2/3 JSON, a model_config, a TF.js model.json, a .keras " +
        "archive or a Keras .h5 file) to Keras 3 or Keras 2, keeping every constraint, initializer, regularizer " +
        "and custom object. Classes Kerb does not know are carried across unchanged, with one warning each."],
)
internal class ConvertCommand : Callable<Int> {
    /** The generations `--to` names. */
    enum class Target(val format: ModelFormat) { keras3(ModelFormat.KERAS_3), keras2(ModelFormat.KERAS_2) }

    @Parameters(index = "0", paramLabel = "FILE", description = ["The model to convert."])
    lateinit var file: Path

    @Option(names = ["--to"], required = true, paramLabel = "FORMAT",
        description = ["The target: \${COMPLETION-CANDIDATES}."])
    lateinit var to: Target

    @Option(names = ["--output", "-o"], paramLabel = "OUT",
        description = ["Write here (atomically) instead of to stdout. A name ending in .keras writes an archive and " +
            "one ending in .h5 a legacy Keras model, both with weights: FILE's own (a .keras archive's copied byte for " +
            "byte), or, when FILE has none, initialized as its config says with seed 0."])
    var output: Path? = null

    @Option(names = ["--seed"], paramLabel = "N",
        description = ["Initialize the weights as the config's initializers say, drawing with seed N, even when " +
            "FILE has weights. Needs a .keras or .h5 output."])
    var seed: Long? = null

    @Option(names = ["--weight"], paramLabel = "NAME=FILE.npy",
        description = ["Give the variable NAME (a Keras variable path such as dense/kernel) the values of a float32 " +
            "or float64 .npy file, of its shape and dtype. Repeatable; needs a .keras or .h5 output."])
    var given: Map<String, Path> = emptyMap()

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    @CommandLine.ParentCommand
    lateinit var kerb: Kerb

    override fun call(): Int {
        val target = output
        val weights = target != null && holdsWeights(target)
        if (weights && to != Target.keras3) {
            throw BadInputException("$target: a file with weights holds a Keras 3 model; use --to keras3 or a .json output")
        }
        if (seed != null && !weights) throw BadInputException("--seed initializes weights: write a .keras or .h5 file")
        if (given.isNotEmpty() && !weights) throw BadInputException("--weight gives weights: write a .keras or .h5 file")
        val (converted, warnings) = ModelSpec.read(file, kerb.registry).convert(to.format)
        val initial = if (seed == null && given.isEmpty()) null else {
            given.entries.fold(seed?.let { converted.initialWeights(it) } ?: Weights.of(converted)) { w, (variable, npy) ->
                w.with(variable, Npy.read(npy).tensor())
            }
        }
        warnings.forEach { commandSpec.commandLine().err.println("kerb convert: warning: $it") }
        when {
            target == null -> commandSpec.commandLine().out.println(converted.toJson(prettyPrint = true))
            initial != null -> converted.write(target, initial)
            else -> converted.write(target) // JSON, or a file with the source's weights, atomically
        }
        return Kerb.OK
    }
}

/** Whether a file name asks for a model with weights: a `.keras` archive or a legacy `.h5` (or `.hdf5`) file. */
internal fun holdsWeights(target: Path): Boolean =
    target.fileName.toString().lowercase().let { it.endsWith(".keras") || it.endsWith(".h5") || it.endsWith(".hdf5") }
