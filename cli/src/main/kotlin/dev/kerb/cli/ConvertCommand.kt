package dev.kerb.cli

import dev.kerb.model.KerasArchive
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
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
        description = ["Write here (atomically) instead of to stdout. A name ending in .keras writes an archive: " +
            "FILE must then be a .keras archive, whose weights and assets are copied byte for byte."])
    var output: Path? = null

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    @CommandLine.ParentCommand
    lateinit var kerb: Kerb

    override fun call(): Int {
        val target = output
        val archive = target != null && target.fileName.toString().endsWith(".keras")
        if (archive && to != Target.keras3) {
            throw BadInputException("$target: a .keras archive holds a Keras 3 model; use --to keras3 or a .json output")
        }
        // Reading through KerasArchive refuses a FILE that is not one, for a .keras target, with that message.
        val source = if (archive) KerasArchive.read(file, kerb.registry).spec() else ModelSpec.read(file, kerb.registry)
        val (converted, warnings) = source.convert(to.format)
        warnings.forEach { commandSpec.commandLine().err.println("kerb convert: warning: $it") }
        if (target != null) converted.write(target) // JSON, or an archive with the source's weights, atomically
        else commandSpec.commandLine().out.println(converted.toJson(prettyPrint = true))
        return Kerb.OK
    }
}
