package dev.kerb.cli

import dev.kerb.model.ModelSpec
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters
import java.nio.file.Path
import java.util.concurrent.Callable

/** `kerb summary`: prints a model's layers, output shapes and parameter counts as Keras' `model.summary()` does. */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = ["Print a model's layers, output shapes and parameter counts in the layout of Keras 3's " +
        "model.summary(), with the constraints each layer carries: any model file Kerb reads (Keras 1/2/3 JSON, " +
        "TF.js model.json, .keras, .h5)."],
)
internal class SummaryCommand : Callable<Int> {
    @Parameters(index = "0", paramLabel = "FILE", description = ["The model file to read."])
    lateinit var file: Path

    @Option(names = ["--json"], description = ["Print the summary as JSON: name, class_name, layers (name, " +
        "class_name, output_shape, params, trainable_params, non_trainable_params, inbound, constraints as Keras 3 " +
        "dicts) and totals."])
    var json: Boolean = false

    @Option(names = ["--expand-nested"], description = ["Give the layers of nested models rows of their own."])
    var expandNested: Boolean = false

    @Option(names = ["--line-length"], paramLabel = "N",
        description = ["The table's width (default: Keras' 88, or 108 with a Connected to column)."])
    var lineLength: Int? = null

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    @CommandLine.ParentCommand
    lateinit var kerb: Kerb

    override fun call(): Int {
        val summary = ModelSpec.read(file, kerb.registry).summary()
        val out = commandSpec.commandLine().out
        if (json) {
            out.println(summary.toJson(prettyPrint = true))
        } else {
            val text = try {
                summary.toText(expandNested, lineLength)
            } catch (e: IllegalArgumentException) {
                throw BadInputException("--line-length $lineLength: ${e.message}", e)
            }
            out.print(text)
        }
        return Kerb.OK
    }
}
