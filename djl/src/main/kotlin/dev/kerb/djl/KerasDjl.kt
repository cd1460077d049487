package dev.kerb.djl

import ai.djl.Device
import ai.djl.Model
import ai.djl.engine.Engine
import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import dev.kerb.core.DType
import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.djl.graph.KerasBlock
import dev.kerb.djl.graph.LayerOps
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import dev.kerb.model.Weights
import dev.kerb.model.catalog.KerasLayers
import dev.kerb.model.summary.CallGraph
import dev.kerb.registry.ConfigException
import dev.kerb.registry.UnresolvedConstraint
import java.nio.file.Path

/**
 * Builds a DJL network from any Keras model Kerb reads: one block that computes what Keras computes for the same
 * config and weights, on arrays in Keras' layouts, with every constraint of the config attached to its parameter.
 *
 * ```kotlin
 * KerasDjl.load(Path.of("model.keras")).use { model ->
 *     model.fit(x, y, loss = KerasLoss.of("sparse_categorical_crossentropy"), optimizer = KerasOptimizer.adam(1e-3))
 *     model.save(Path.of("trained.keras"))
 * }
 * ```
 */
public object KerasDjl {
    /**
     * Returns a DJL model of [spec] with [weights] (by default those of the file the spec was read from, else its
     * initial weights drawn with seed 0), its parameters on [device].
     *
     * @throws ConfigException if a layer's class or setting is not one Kerb builds (naming the layer and its class),
     *   the weights do not fit the model, or its input shapes are not known
     */
    @JvmStatic
    @JvmOverloads
    public fun model(spec: ModelSpec, weights: Weights = Weights.of(spec), device: Device = Engine.getInstance().defaultDevice()): KerasModel {
        val graph = CallGraph.of(spec)
        checkBuildable(graph)
        weights.requireFits(spec)
        val keras3 = spec.convert(ModelFormat.KERAS_3).spec
        val block = KerasBlock(graph, weights.names.map { it to weights.trainable(it) })
        val dtypes = weights.names.map { weights.dtype(it) }.toSet()
        val dataType = if (dtypes == setOf(DType.FLOAT64)) DataType.FLOAT64 else DataType.FLOAT32
        val model = Model.newInstance(graph.name, device)
        try {
            model.dataType = dataType
            model.block = block
            for ((path, parameter) in block.byPath) {
                val keras = toNDArray(model.ndManager, weights[path])
                val layout = block.layout(path)
                parameter.setArray(if (layout == null) keras else keras.use { layout.fromKeras(model.ndManager, it) })
            }
            val constraints = DjlConstraints.builder(block).also { builder ->
                for (c in spec.constraints()) attachKeras(builder, block, c.layer, c.layerClass, c.key, c.constraint)
            }.build()
            return KerasModel(keras3, weights, graph, model, block, constraints)
        } catch (e: Exception) {
            model.close()
            throw e
        }
    }

    /**
     * Returns a DJL model of the `.keras` archive or legacy `.h5` model at [path], with its weights.
     *
     * @throws ConfigException as [model], or if the file is not a Keras model with weights
     * @throws java.io.IOException if the file cannot be read
     */
    @JvmStatic
    @JvmOverloads
    public fun load(path: Path, device: Device = Engine.getInstance().defaultDevice()): KerasModel {
        val spec = ModelSpec.read(path)
        return model(spec, Weights.read(path), device)
    }

    /** The Keras layer classes Kerb builds in DJL, sorted. */
    @JvmStatic
    public val layerClasses: List<String> get() = LayerOps.classes

    /** Fails before anything runs if a layer of [graph] is a class Kerb does not build, naming every such layer. */
    private fun checkBuildable(graph: CallGraph) {
        val missing = graph.layers().filter { it.nested == null && it.className !in LayerOps.classes }
        if (missing.isNotEmpty()) {
            throw ConfigException("Kerb cannot build ${missing.joinToString { "layer '${it.name}' (${it.className})" }} " +
                "in DJL; it builds ${LayerOps.classes.joinToString()}")
        }
    }

    /** Attaches one constraint of the config to every parameter of the variable its key governs. */
    private fun attachKeras(builder: DjlConstraints.Builder, block: KerasBlock, layer: String, layerClass: String,
                            key: String, constraint: dev.kerb.core.Constraint) {
        val governed = KerasLayers.governedVariables(layerClass, key)
        val paths = block.byPath.keys.filter { path ->
            path.startsWith("$layer/") && path.substringAfterLast('/') in governed
        }
        if (paths.isEmpty()) {
            throw ConfigException("layer '$layer' $key: the model has no variable ${governed.joinToString(" or ")} " +
                "under '$layer/' for it")
        }
        if (constraint is UnresolvedConstraint) {
            // Predicting needs no constraint; training refuses to start while one cannot run (KerasModel.fit).
            builder.unmatched(UnmatchedConstraint(layer, key, constraint, "$constraint is not registered, so it " +
                "cannot run; register it with ConstraintRegistry before training"))
            return
        }
        for (path in paths) {
            builder.attachKerasVariable(path, constraint, block.layout(path), "Keras layer '$layer' $key")
        }
    }

    /** Returns a new array of [manager] with a Kerb tensor's values, shape and dtype. */
    @JvmStatic
    public fun toNDArray(manager: NDManager, tensor: Tensor): NDArray {
        val shape = ai.djl.ndarray.types.Shape(*tensor.shape().dims().map { it.toLong() }.toLongArray())
        return if (tensor.dtype() == DType.FLOAT64) manager.create(DoubleArray(tensor.size()) { tensor.get(it) }, shape)
        else manager.create(FloatArray(tensor.size()) { tensor.get(it).toFloat() }, shape)
    }

    /** Returns a new Kerb tensor with an array's values: float64 stays float64, every other type becomes float32. */
    @JvmStatic
    public fun toTensor(array: NDArray): Tensor {
        val shape = Shape.of(*array.shape.shape.map { Math.toIntExact(it) }.toIntArray())
        return when (array.dataType) {
            DataType.FLOAT64 -> Tensor.of(array.toDoubleArray(), shape)
            DataType.FLOAT32 -> Tensor.of(array.toFloatArray(), shape)
            else -> array.toType(DataType.FLOAT32, false).use { Tensor.of(it.toFloatArray(), shape) }
        }
    }
}
