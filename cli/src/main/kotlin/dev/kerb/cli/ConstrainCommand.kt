package dev.kerb.cli

import dev.kerb.model.ModelSpec
import dev.kerb.model.weights.WeightsFile
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters
import java.nio.file.Path
import java.util.concurrent.Callable

/** `kerb constrain`: applies a Keras file's constraints to its stored weights, into a new file. */
@Command(
    name = "constrain",
    mixinStandardHelpOptions = true,
    description = ["Apply every constraint of a .keras archive or legacy .h5 model to its stored weights, as an " +
        "optimizer step would, and write the result to a new file of the same kind; the input is not modified."],
)
internal class ConstrainCommand : Callable<Int> {
    @Parameters(index = "0", paramLabel = "FILE", description = ["The .keras or .h5 model to read."])
    lateinit var file: Path

    @Option(names = ["-o", "--output"], required = true, paramLabel = "OUT", description = ["The file to write."])
    lateinit var output: Path

    @Option(names = ["--set"], paramLabel = "LAYER/KEY=SPEC", description = ["Set a constraint before applying: " +
        "LAYER/KEY as kerb describe lists them (dense/kernel_constraint), SPEC a name, a JSON dict, @file.json, or " +
        "null to remove it. Changes the config written to OUT. Repeatable."])
    var edits: List<String> = emptyList()

    @Option(names = ["--report"], paramLabel = "REPORT.html", description = ["Also write an HTML page charting, " +
        "for each constrained weight, what its constraint bounds before (FILE) and after (OUT)."])
    var report: Path? = null

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    @CommandLine.ParentCommand
    lateinit var kerb: Kerb

    override fun call(): Int {
        val applied = WeightsFile.open(file, kerb.registry).use { weights ->
            weights.constrain(output, edits.fold(weights.spec, ::edit)).also {
                report?.let { target ->
                    WeightsFile.open(output, kerb.registry).use { constrained ->
                        HtmlReport.write(target, "Constraints of $file, constrained into $output", constrained.check(),
                            listOf("before" to weights, "after" to constrained))
                    }
                }
            }
        }
        val rows = applied.map { entry ->
            listOf("${entry.constraint.layer}/${entry.constraint.key}", entry.constraint.constraint.toString(),
                entry.weights.ifEmpty { listOf("(no stored weight)") }.joinToString(", "))
        }
        val out = commandSpec.commandLine().out
        if (rows.isNotEmpty()) out.print(table(listOf(listOf("CONSTRAINT", "VALUE", "APPLIED TO")) + rows))
        out.println("constrained ${applied.sumOf { it.weights.size }} weights of $file; wrote $output")
        return Kerb.OK
    }

    private fun edit(spec: ModelSpec, edit: String): ModelSpec {
        val target = edit.substringBefore('=', missingDelimiterValue = "")
        val slash = target.lastIndexOf('/')
        if (slash <= 0 || slash == target.length - 1) {
            throw BadInputException("--set $edit: expected LAYER/KEY=SPEC, such as dense/kernel_constraint=max_norm")
        }
        val value = edit.substringAfter('=')
        val constraint = if (value.trim() == "null") null else ApplyCommand.parseConstraint(value, kerb.registry)
        return try {
            spec.withConstraint(target.substring(0, slash), target.substring(slash + 1), constraint)
        } catch (e: IllegalArgumentException) {
            throw BadInputException("--set $edit: ${e.message}", e)
        }
    }
}
