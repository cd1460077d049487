package dev.kerb.cli

import ai.djl.ndarray.NDArrays
import ai.djl.ndarray.NDList
import ai.djl.ndarray.NDManager
import dev.kerb.djl.KerasDjl
import dev.kerb.model.io.ModelFiles
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import picocli.CommandLine.Parameters
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.Callable

/** `kerb predict`: a Keras model's outputs for `.npy` inputs, computed in DJL. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = ["Compute a Keras model's outputs (a .keras archive or legacy .h5 with weights) for inputs in " +
        ".npy files, in Keras' layouts, with Deep Java Library's PyTorch engine: the same arrays Keras' predict gives."],
)
internal class PredictCommand : Callable<Int> {
    @Parameters(index = "0", paramLabel = "FILE", description = ["The model, with its weights."])
    lateinit var file: Path

    @Option(names = ["--input", "-i"], required = true, paramLabel = "[NAME=]X.npy",
        description = ["An input array, first axis the sample; NAME= picks the model's input by name, else inputs " +
            "are taken in the model's order. Repeatable."])
    var inputs: List<String> = emptyList()

    @Option(names = ["--output", "-o"], required = true, paramLabel = "Y.npy|DIR",
        description = ["Where the outputs go: a .npy file for a model of one output, else a folder that gets " +
            "OUTPUT_NAME.npy for each output. Written atomically."])
    lateinit var output: Path

    @Option(names = ["--batch-size"], paramLabel = "B", description = ["Samples computed at once (default: 32)."])
    var batchSize: Int = 32

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    override fun call(): Int {
        if (batchSize <= 0) throw BadInputException("--batch-size $batchSize is not positive")
        ModelFiles.requireRegularFile(file)
        KerasDjl.load(file).use { model ->
            val single = output.fileName.toString().endsWith(".npy")
            if (single && model.outputCount != 1) {
                throw BadInputException("$file has ${model.outputCount} outputs (${model.outputNames.joinToString()}); " +
                    "give --output a folder")
            }
            val files = DjlArrays.ordered(inputs, model.inputNames, "--input", "input")
            NDManager.newBaseManager().use { manager ->
                val arrays = DjlArrays.read(files, manager, model)
                val samples = arrays.head().shape[0]
                for ((i, array) in arrays.withIndex()) {
                    if (array.shape.dimension() == 0 || array.shape[0] != samples) {
                        throw BadInputException("input '${model.inputNames[i]}' (${files[i]}) has shape ${array.shape}; " +
                            "every input needs $samples samples on its first axis")
                    }
                }
                val chunks = (0 until samples step batchSize.toLong()).map { from ->
                    val to = minOf(samples, from + batchSize)
                    model.predict(NDList(arrays.map { DjlArrays.rows(it, from, to) }))
                }
                val outputs = (0 until model.outputCount).map { o -> NDArrays.concat(NDList(chunks.map { it[o] }), 0) }
                if (single) {
                    Npy.write(DjlArrays.npy(outputs.single()), output)
                } else {
                    Files.createDirectories(output)
                    outputs.forEachIndexed { o, array -> Npy.write(DjlArrays.npy(array), output.resolve("${model.outputNames[o]}.npy")) }
                }
                commandSpec.commandLine().out.println("kerb predict: $samples samples; wrote " +
                    if (single) "$output" else model.outputNames.joinToString { output.resolve("$it.npy").toString() })
            }
        }
        return Kerb.OK
    }
}
