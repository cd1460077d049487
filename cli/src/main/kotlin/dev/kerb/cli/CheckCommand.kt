package dev.kerb.cli

import dev.kerb.model.io.KerasJson
import dev.kerb.model.weights.ConstraintCheck
import dev.kerb.model.weights.WeightsFile
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters
import java.nio.file.Path
import java.util.concurrent.Callable

/** `kerb check`: measures how far each constrained weight in a Keras file is from satisfying its constraint. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = ["Check the weights stored in a .keras archive or a legacy .h5 model against the model's " +
        "constraints. Exit status 0 when every constraint holds, 3 when some do not."],
)
internal class CheckCommand : Callable<Int> {
    @Parameters(index = "0", paramLabel = "FILE", description = ["The .keras or .h5 model to check."])
    lateinit var file: Path

    @Option(names = ["--json"], description = ["Print a JSON array of {layer, key, weight, shape, constraint, " +
        "distance, measures, holds}."])
    var json: Boolean = false

    @Option(names = ["--tolerance"], paramLabel = "T", description = ["Relative slack within which a constraint " +
        "holds (default: \${DEFAULT-VALUE})."])
    var tolerance: Double = 1e-6

    @Option(names = ["--report"], paramLabel = "REPORT.html", description = ["Also write an HTML page charting, " +
        "for each constrained weight, what its constraint bounds (slice norms or values) against the bounds."])
    var report: Path? = null

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    @CommandLine.ParentCommand
    lateinit var kerb: Kerb

    override fun call(): Int {
        if (!(tolerance >= 0)) throw BadInputException("--tolerance is $tolerance; expected a number of at least 0")
        val checks = WeightsFile.open(file, kerb.registry).use { weights ->
            weights.check(tolerance).also { checks ->
                report?.let { HtmlReport.write(it, "Constraints of $file", checks, listOf("stored" to weights)) }
            }
        }
        val out = commandSpec.commandLine().out
        if (json) {
            out.println(KerasJson.write(checks.map { check ->
                linkedMapOf(
                    "layer" to check.constraint.layer,
                    "key" to check.constraint.key,
                    "weight" to check.weight,
                    "shape" to check.shape.dims().toList(),
                    "constraint" to kerb.registry.serialize(check.constraint.constraint),
                    "distance" to check.distance,
                    "measures" to check.measures,
                    "holds" to check.holds,
                )
            }, prettyPrint = true))
        } else {
            out.print(report(checks))
        }
        return if (checks.all { it.holds }) Kerb.OK else VIOLATED
    }

    private fun report(checks: List<ConstraintCheck>): String {
        if (checks.isEmpty()) return "no constrained weights in $file\n"
        val rows = listOf(listOf("WEIGHT", "SHAPE", "CONSTRAINT", "DISTANCE", "STATUS", "MEASURES")) + checks.map {
            listOf(it.weight, it.shape.toString(), it.constraint.constraint.toString(), "%.3g".format(it.distance),
                if (it.holds) "ok" else "VIOLATED",
                it.measures.entries.joinToString(", ") { (k, v) -> "$k ${formatNumber(v)}" })
        }
        val violated = checks.count { !it.holds }
        val within = "(tolerance ${java.math.BigDecimal.valueOf(tolerance).stripTrailingZeros().toPlainString()})"
        return table(rows) + if (violated == 0) "every constraint holds $within\n"
        else "$violated of ${checks.size} constrained weights violate their constraints $within\n"
    }

    companion object {
        /** The exit status when some constraint does not hold. */
        const val VIOLATED = 3
    }
}
