package dev.kerb.cli

import ai.djl.ndarray.NDManager
import dev.kerb.djl.FitProgress
import dev.kerb.djl.KerasDjl
import dev.kerb.djl.KerasLoss
import dev.kerb.djl.KerasOptimizer
import dev.kerb.model.io.ModelFiles
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters
import java.nio.file.Path
import java.util.concurrent.Callable

/** `kerb fit`: trains a Keras model on `.npy` arrays in DJL, with its constraints, and writes the trained model. */
@Command(
    name = "fit",
    mixinStandardHelpOptions = true,
    description = ["Train a Keras model (a .keras archive or legacy .h5 with weights) on .npy arrays with Deep Java " +
        "Library's PyTorch engine, as Keras' fit does: Keras' loss and optimizer, the config's constraints projected " +
        "after every update. Writes the trained model, which Keras loads."],
)
internal class FitCommand : Callable<Int> {
    @Parameters(index = "0", paramLabel = "FILE", description = ["The model, with its weights."])
    lateinit var file: Path

    @Option(names = ["--x"], required = true, paramLabel = "[NAME=]X.npy",
        description = ["An input array, first axis the sample; NAME= picks the input by name. Repeatable."])
    var x: List<String> = emptyList()

    @Option(names = ["--y"], required = true, paramLabel = "[NAME=]Y.npy",
        description = ["A target array, one per output; NAME= picks the output by name. Repeatable."])
    var y: List<String> = emptyList()

    @Option(names = ["--loss"], required = true, paramLabel = "L",
        description = ["Keras' loss: mse, mae, binary_crossentropy, categorical_crossentropy, " +
            "sparse_categorical_crossentropy (or their class names)."])
    lateinit var loss: String

    @Option(names = ["--from-logits"], description = ["The model outputs logits rather than probabilities."])
    var fromLogits: Boolean = false

    @Option(names = ["--optimizer"], required = true, paramLabel = "sgd|adam", description = ["Keras' optimizer."])
    lateinit var optimizer: String

    @Option(names = ["--learning-rate"], paramLabel = "LR", description = ["Default: Keras' (sgd 0.01, adam 0.001)."])
    var learningRate: Double? = null

    @Option(names = ["--momentum"], paramLabel = "M", description = ["SGD's momentum (default: 0)."])
    var momentum: Double? = null

    @Option(names = ["--nesterov"], description = ["SGD with Nesterov momentum."])
    var nesterov: Boolean = false

    @Option(names = ["--epochs"], paramLabel = "N", description = ["Default: 1."])
    var epochs: Int = 1

    @Option(names = ["--batch-size"], paramLabel = "B", description = ["Default: 32."])
    var batchSize: Int = 32

    @Option(names = ["--no-shuffle"], description = ["Keep the samples' order in every epoch."])
    var noShuffle: Boolean = false

    @Option(names = ["--seed"], paramLabel = "N", description = ["Seeds the shuffling (default: 0)."])
    var seed: Long = 0

    @Option(names = ["--output", "-o"], required = true, paramLabel = "OUT.keras|OUT.h5",
        description = ["Where the trained model goes, written atomically."])
    lateinit var output: Path

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    override fun call(): Int {
        if (!holdsWeights(output)) throw BadInputException("--output $output: a trained model is written as .keras or .h5")
        if (momentum != null && optimizer.lowercase() != "sgd") throw BadInputException("--momentum is SGD's; --optimizer is $optimizer")
        if (epochs <= 0 || batchSize <= 0) throw BadInputException("--epochs $epochs and --batch-size $batchSize must be positive")
        val lossFunction = KerasLoss.of(loss, fromLogits)
        val optimizerFunction = try {
            KerasOptimizer.of(optimizer, learningRate, momentum, nesterov)
        } catch (e: IllegalArgumentException) {
            throw BadInputException("--optimizer $optimizer: ${e.message}")
        }
        ModelFiles.requireRegularFile(file)
        KerasDjl.load(file).use { model ->
            val xFiles = DjlArrays.ordered(x, model.inputNames, "--x", "input")
            val yFiles = DjlArrays.ordered(y, model.outputNames, "--y", "output")
            NDManager.newBaseManager().use { manager ->
                val inputs = DjlArrays.read(xFiles, manager, model)
                val targets = DjlArrays.read(yFiles, manager, model)
                val samples = inputs.head().shape[0]
                (xFiles + yFiles).zip(inputs + targets).firstOrNull { (_, a) -> a.shape.dimension() == 0 || a.shape[0] != samples }
                    ?.let { (f, a) -> throw BadInputException("$f has shape ${a.shape}; every array needs $samples samples") }
                val err = commandSpec.commandLine().err
                val progress = FitProgress.printing(err, System.console() != null)
                val history = model.fit(inputs, targets, lossFunction, optimizerFunction, epochs, batchSize, !noShuffle,
                    seed, progress)
                model.save(output)
                val accuracy = history.accuracy.last().takeUnless { it.isNaN() }?.let { " - accuracy %.4f".format(it) } ?: ""
                commandSpec.commandLine().out.println("kerb fit: $epochs epochs of $samples samples; loss " +
                    "%.4f".format(history.loss.last()) + accuracy + "; wrote $output")
            }
        }
        return Kerb.OK
    }
}
