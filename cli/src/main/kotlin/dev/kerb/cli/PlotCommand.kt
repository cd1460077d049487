package dev.kerb.cli

import dev.kerb.model.ModelSpec
import dev.kerb.plot.PlotOptions
import dev.kerb.plot.plot
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters
import java.nio.file.Path
import java.util.concurrent.Callable

/** `kerb plot`: draws a model's layer graph as SVG or PNG, as Keras' `plot_model` does. */
@Command(
    name = "plot",
    mixinStandardHelpOptions = true,
    description = ["Draw a model's layer graph as Keras' plot_model does: a box per layer with its name and class, " +
        "an arrow per connection, layers that carry a constraint marked; any model file Kerb reads."],
)
internal class PlotCommand : Callable<Int> {
    @Parameters(index = "0", paramLabel = "FILE", description = ["The model file to read."])
    lateinit var file: Path

    @Option(names = ["-o", "--output"], required = true, paramLabel = "OUT",
        description = ["The picture to write: OUT.svg or OUT.png."])
    lateinit var output: Path

    @Option(names = ["--shapes"], description = ["Show each layer's input and output shapes."])
    var shapes: Boolean = false

    @Option(names = ["--constraints"], description = ["List each layer's constraints with their settings."])
    var constraints: Boolean = false

    @Option(names = ["--expand-nested"], description = ["Draw nested models around their own layers (by default " +
        "one box each, which keeps models of hundreds of layers readable)."])
    var expandNested: Boolean = false

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    @CommandLine.ParentCommand
    lateinit var kerb: Kerb

    override fun call(): Int {
        val plot = ModelSpec.read(file, kerb.registry).plot(PlotOptions(shapes, constraints, expandNested))
        plot.write(output)
        commandSpec.commandLine().out.println("wrote $output")
        return Kerb.OK
    }
}
