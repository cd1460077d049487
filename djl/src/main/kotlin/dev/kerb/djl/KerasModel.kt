package dev.kerb.djl

import ai.djl.Model
import ai.djl.ndarray.NDList
import ai.djl.ndarray.NDScope
import ai.djl.nn.Block
import ai.djl.training.ParameterStore
import dev.kerb.core.Tensor
import dev.kerb.djl.graph.KerasBlock
import dev.kerb.model.ModelSpec
import dev.kerb.model.Weights
import dev.kerb.model.summary.CallGraph
import dev.kerb.registry.ConfigException
import java.nio.file.Path

/**
 * A Keras model as a DJL model: [block] computes what Keras computes on arrays in Keras' layouts, and its parameters
 * are the Keras variables by path (`dense/kernel`), in Keras' layout except Dense and recurrent kernels, kept in DJL's
 * layout ([KerasLayout]) for PyTorch's kernels; [weights] gives all of them in Keras' layout. [constraints] holds every
 * constraint of the config, applied after each optimizer update of a [fit] or of a trainer whose optimizer
 * [constraints] wraps. Close it to free the parameters' native memory.
 *
 * @property spec the model's config, as Keras 3
 * @property model the DJL model, for DJL's own trainers and translators
 * @property constraints the config's constraints, each on its parameter
 */
public class KerasModel internal constructor(
    public val spec: ModelSpec,
    private val initial: Weights,
    private val graph: CallGraph,
    public val model: Model,
    private val kerasBlock: KerasBlock,
    public val constraints: DjlConstraints,
) : AutoCloseable {
    /** The DJL block: one parameter per Keras variable. */
    public val block: Block get() = kerasBlock

    /** The names of the model's inputs, in Keras' order: the names `kerb predict --input NAME=X.npy` takes. */
    public val inputNames: List<String> get() = graph.inputs.map { it.name }

    /** The inputs' shapes as Keras declares them, batch axis first; null where any size goes. */
    public val inputShapes: List<List<Int?>> get() = graph.inputs.map { it.shape }

    /** The number of outputs. */
    public val outputCount: Int get() = graph.outputs.size

    /**
     * The names of the model's outputs, in Keras' order: the layer that makes each, with `_N` after it for output N
     * of a layer of several outputs (an LSTM's states).
     */
    public val outputNames: List<String> get() = graph.outputs.map { id ->
        if (graph.outputs.count { it.layer == id.layer } == 1) id.layer else "${id.layer}_${id.tensor}"
    }

    /**
     * Returns the model's outputs for [inputs], one array per input in Keras' layout and order; nothing is trained.
     *
     * @throws ConfigException if the number of inputs or an input's shape does not fit the model, naming the input
     */
    public fun predict(inputs: NDList): NDList = NDScope().use {
        // Intermediates made from parameters would otherwise live as long as the model; only the outputs survive.
        kerasBlock.forward(ParameterStore(model.ndManager, false), inputs, false).also(NDScope::unregister)
    }

    /**
     * Returns the model's outputs for [inputs] as Kerb tensors; see [predict].
     *
     * @throws ConfigException as [predict]
     */
    public fun predict(inputs: List<Tensor>): List<Tensor> = model.ndManager.newSubManager().use { manager ->
        val arrays = NDList(inputs.map { KerasDjl.toNDArray(manager, it).toType(model.dataType, false) })
        predict(arrays).map(KerasDjl::toTensor)
    }

    /**
     * Returns the current values of every variable, to write with [ModelSpec.write] or [save].
     *
     * @throws IllegalStateException if the model was closed
     */
    public fun weights(): Weights = kerasBlock.byPath.entries.fold(initial) { weights, (path, parameter) ->
        check(parameter.isInitialized) { "parameter '$path' holds no values; the model was closed" }
        val layout = kerasBlock.layout(path)
        weights.with(path, if (layout == null) KerasDjl.toTensor(parameter.array)
            else layout.toKeras(parameter.array).use(KerasDjl::toTensor))
    }

    /**
     * Writes the model with its current weights as a `.keras` archive or legacy `.h5` model, atomically, which Keras
     * 3.15.1 loads and predicts with.
     *
     * @throws ConfigException if the path's kind is not `.keras` or `.h5`
     * @throws java.io.IOException if it cannot be written
     */
    public fun save(path: Path) {
        val name = path.fileName?.toString().orEmpty()
        if (!name.endsWith(".keras") && !name.endsWith(".h5")) {
            throw ConfigException("$path: a trained model is written as .keras or .h5, with its weights")
        }
        spec.write(path, weights())
    }

    /**
     * Trains the model on [x] and [y], Keras-layout arrays whose first axis is the sample, as Keras' `fit` does: the
     * samples shuffled each epoch (unless [shuffle] is false), one [optimizer] step per batch of [batchSize], and the
     * config's constraints projected after each parameter's update. Reports each batch to [progress].
     *
     * @throws ConfigException if the inputs or targets do not fit the model, or a constraint of the config is not
     *   registered (see [DjlConstraints.unmatched])
     * @throws IllegalArgumentException if the arrays differ in sample count, or epochs or batch size are not positive
     */
    @JvmOverloads
    public fun fit(x: NDList, y: NDList, loss: KerasLoss, optimizer: KerasOptimizer, epochs: Int = 1,
                   batchSize: Int = 32, shuffle: Boolean = true, seed: Long = 0,
                   progress: FitProgress = FitProgress.NONE): FitHistory =
        Fitting(this).fit(x, y, loss, optimizer, FitSettings(epochs, batchSize, shuffle, seed), progress)

    override fun close() {
        model.close()
    }

    override fun toString(): String = "KerasModel(${graph.name}, ${kerasBlock.byPath.size} variables, " +
        "${constraints.attachments.size} constraints)"
}
