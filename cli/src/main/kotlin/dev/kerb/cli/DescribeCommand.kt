package dev.kerb.cli

import dev.kerb.dsl.constraint
import dev.kerb.dsl.layer
import dev.kerb.model.ModelConstraint
import dev.kerb.model.ModelSpec
import dev.kerb.model.io.KerasJson
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters
import java.nio.file.Path
import java.util.concurrent.Callable

/** `kerb describe`: lists every constraint in a Keras model config. */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description = ["List every non-null constraint in a Keras model config: Keras 1/2/3 model.to_json() output " +
        "or model_config, a TF.js model.json, or a .keras archive."],
)
internal class DescribeCommand : Callable<Int> {
    @Parameters(index = "0", paramLabel = "FILE", description = ["The model config to read."])
    lateinit var file: Path

    @Option(names = ["--json"], description = ["Print a JSON array of {layer, layer_class, key, constraint}."])
    var json: Boolean = false

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    @CommandLine.ParentCommand
    lateinit var kerb: Kerb

    override fun call(): Int {
        val registry = kerb.registry
        val found = ModelSpec.read(file, registry).constraints()
        val out = commandSpec.commandLine().out
        if (json) {
            out.println(KerasJson.write(found.map { entry ->
                linkedMapOf(
                    "layer" to entry.layer,
                    "layer_class" to entry.layerClass,
                    "key" to entry.key,
                    "constraint" to registry.serialize(entry.constraint),
                )
            }, prettyPrint = true))
        } else {
            out.print(rows(found))
        }
        return Kerb.OK
    }

    private fun rows(found: List<ModelConstraint>): String {
        if (found.isEmpty()) return "no constraints in $file\n"
        return table(listOf(listOf("LAYER", "CLASS", "KEY", "CONSTRAINT")) +
            found.map { listOf(it.layer, it.layerClass, it.key, it.constraint.toString()) })
    }
}
