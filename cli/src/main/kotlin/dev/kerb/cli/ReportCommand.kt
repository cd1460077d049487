package dev.kerb.cli

import dev.kerb.model.LayerSummary
import dev.kerb.model.ModelSpec
import dev.kerb.model.ModelSummary
import dev.kerb.model.io.KerasJson
import dev.kerb.model.io.ModelFiles
import dev.kerb.model.weights.WeightsFile
import dev.kerb.plot.PlotOptions
import dev.kerb.plot.plot
import dev.kerb.registry.ConstraintRegistry
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters
import java.nio.file.Path
import java.util.concurrent.Callable

/** `kerb report`: one self-contained HTML page with all Kerb knows of a model. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = ["Write one self-contained HTML page (no script, nothing fetched) showing a model whole: its " +
        "summary, its picture, every constraint with its Keras dict and, when the file holds weights, each " +
        "constrained weight's measures and the distribution of what its constraint bounds."],
)
internal class ReportCommand : Callable<Int> {
    @Parameters(index = "0", paramLabel = "FILE", description = ["The model file to read."])
    lateinit var file: Path

    @Option(names = ["-o", "--output"], required = true, paramLabel = "OUT.html", description = ["The page to write."])
    lateinit var output: Path

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    @CommandLine.ParentCommand
    lateinit var kerb: Kerb

    override fun call(): Int {
        if (!output.fileName.toString().lowercase().let { it.endsWith(".html") || it.endsWith(".htm") }) {
            throw BadInputException("$output: the report is an HTML page; name it OUT.html")
        }
        val spec = ModelSpec.read(file, kerb.registry)
        val name = file.fileName.toString().lowercase()
        val weights = if (name.endsWith(".keras") || name.endsWith(".h5")) {
            WeightsFile.open(file, kerb.registry).use { w -> HtmlReport.checks(w.check(1e-6), listOf("stored" to w)) }
        } else {
            "<p>${HtmlReport.escape(file.toString())} holds no weights.</p>"
        }
        val summary = spec.summary()
        val title = "Model '${summary.name}' in ${file.fileName}"
        val page = HtmlReport.page(title, ModelPage.body(title, spec, summary, kerb.registry, weights))
        ModelFiles.writeAtomically(output) { it.write(page.toByteArray(Charsets.UTF_8)) }
        commandSpec.commandLine().out.println("wrote $output")
        return Kerb.OK
    }
}

/** The parts of `kerb report`'s page that show the model itself: summary, picture and constraints. */
internal object ModelPage {
    fun body(title: String, spec: ModelSpec, summary: ModelSummary, registry: ConstraintRegistry, weights: String): String {
        // Inline SVG needs no namespace in HTML, and the page then names no URL at all.
        val svg = spec.plot(PlotOptions(shapes = true, constraints = true)).toSvg()
            .substringAfter("?>").replace(""" xmlns="http://www.w3.org/2000/svg"""", "").trim()
        val rows = rows(summary.layers, 0)
        val constraints = spec.constraints().joinToString("") { c ->
            "<tr><td>${e(c.layer)}</td><td>${e(c.key)}</td><td><code>" +
                e(KerasJson.write(registry.serialize(c.constraint))) + "</code></td></tr>"
        }
        return """
            |<h1>${e(title)}</h1>
            |<h2>Summary</h2>
            |<table class="summary">
            |<tr><th>Layer (type)</th><th>Output shape</th><th>Param #</th><th>Constraints</th></tr>
            |$rows</table>
            |<p>Total params: ${summary.totalParams} (trainable ${summary.trainableParams}, non-trainable
            |${summary.nonTrainableParams})</p>
            |${summary.notes.joinToString("") { "<p>${e(it)}</p>" }}
            |<h2>Picture</h2>
            |$svg
            |<h2>Constraints</h2>
            |${if (constraints.isEmpty()) "<p>The model carries no constraints.</p>" else
                "<table><tr><th>Layer</th><th>Key</th><th>Keras dict</th></tr>$constraints</table>"}
            |<h2>Weights</h2>
            |$weights
            |""".trimMargin()
    }

    private fun rows(layers: List<LayerSummary>, depth: Int): String = layers.joinToString("") { layer ->
        val shape = layer.outputShapes?.joinToString(", ") { dims ->
            dims.joinToString(", ", "(", if (dims.size == 1) ",)" else ")") { it?.toString() ?: "None" }
        } ?: "?"
        val indent = "&nbsp;&nbsp;".repeat(depth)
        "<tr><td>$indent${e(layer.name)} (${e(layer.className)})</td><td>${e(shape)}</td>" +
            "<td class=\"num\">${layer.params ?: "?"}</td><td>" +
            layer.constraints.joinToString("<br>") { e("${it.key}: ${it.constraint}") } + "</td></tr>\n" +
            rows(layer.layers, depth + 1)
    }

    private fun e(text: String) = HtmlReport.escape(text)
}
