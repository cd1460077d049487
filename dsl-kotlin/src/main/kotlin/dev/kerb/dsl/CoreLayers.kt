package dev.kerb.dsl

import dev.kerb.core.Constraint
import dev.kerb.model.io.KerasJson
import dev.kerb.registry.ConstraintRegistry
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonPrimitive

// Core layers, with Keras 3.15's get_config keys in order (keras/src/layers/core, layers/reshaping, layers/merging,
// layers/regularization, layers/activations).

/** Keras `InputLayer`: written by `input(...)`; its config has no trainable key and a plain dtype string. */
public class InputLayerBuilder internal constructor(batchShape: List<Int?>) : LayerBuilder("InputLayer") {
    /** Keras `batch_shape`: the input shape with the batch dimension (null) first. */
    public var batchShape: List<Int?> = batchShape

    /** Keras `sparse`. */
    public var sparse: Boolean = false

    /** Keras `ragged`. */
    public var ragged: Boolean = false

    /** Keras `optional` (Keras 3.14+). */
    public var optional: Boolean = false

    override fun config(layerName: String, registry: ConstraintRegistry): LinkedHashMap<String, JsonElement> =
        linkedMapOf("batch_shape" to KerasJson.toElement(batchShape), "dtype" to JsonPrimitive(dtype),
            "sparse" to JsonPrimitive(sparse), "ragged" to JsonPrimitive(ragged), "name" to JsonPrimitive(layerName),
            "optional" to JsonPrimitive(optional))
}

/** Keras `Dense(units)`: kernel `(input_dim, units)` and bias `(units,)`. */
public class DenseBuilder internal constructor(units: Int, activation: String) : LayerBuilder("Dense") {
    /** Keras `units`: the dimensionality of the output space. */
    public var units: Int by param("units", units)
    /** Keras `activation`: the activation function applied to the output; `linear` applies none. */
    public var activation: String by param("activation", activation)
    /** Keras `use_bias`: whether the layer uses a bias vector. */
    public var useBias: Boolean by param("use_bias", true)
    /** Keras `kernel_initializer`: how the kernel is initialized. */
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    /** Keras `bias_initializer`: how the bias vector is initialized. */
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    /** Keras `kernel_regularizer`: the regularizer applied to the kernel; null for none. */
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    /** Keras `bias_regularizer`: the regularizer applied to the bias vector; null for none. */
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)
    /** Keras `kernel_constraint`: the constraint applied to the kernel; null for none. */
    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    /** Keras `bias_constraint`: the constraint applied to the bias vector; null for none. */
    public var biasConstraint: Constraint? by param("bias_constraint", null)

    init {
        computed("quantization_config") { null }
    }

    override fun check(layerName: String) {
        requirePositive(layerName, "units", units)
        requireBias(layerName, useBias, biasConstraint)
    }
}

/** Keras `EinsumDense(equation, output_shape)`. */
public class EinsumDenseBuilder internal constructor(equation: String, outputShape: List<Int?>) :
    LayerBuilder("EinsumDense") {
    /** Keras `output_shape`: the output shape without the batch dimension; null entries are inferred from the input. */
    public var outputShape: List<Int?> by param("output_shape", outputShape)
    /** Keras `equation`: the einsum equation the layer computes, such as `ab,bc->ac`. */
    public var equation: String by param("equation", equation)
    /** Keras `activation`: the activation function applied to the output; `linear` applies none. */
    public var activation: String by param("activation", "linear")
    /** Keras `bias_axes`: the output dimensions (letters of the equation's output) to add a bias to; null for none. */
    public var biasAxes: String? by param("bias_axes", null)
    /** Keras `kernel_initializer`: how the kernel is initialized. */
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    /** Keras `bias_initializer`: how the bias vector is initialized. */
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    /** Keras `kernel_regularizer`: the regularizer applied to the kernel; null for none. */
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    /** Keras `bias_regularizer`: the regularizer applied to the bias vector; null for none. */
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        activityRegularizerSlot()
    }

    /** Keras `kernel_constraint`: the constraint applied to the kernel; null for none. */
    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    /** Keras `bias_constraint`: the constraint applied to the bias vector; null for none. */
    public var biasConstraint: Constraint? by param("bias_constraint", null)

    init {
        computed("quantization_config") { null }
    }

    override fun check(layerName: String) {
        require("->" in equation) { "layer '$layerName' equation \"$equation\" has no '->'" }
        requireBias(layerName, biasAxes != null, biasConstraint, "bias_axes is null")
    }
}

/** Keras `Embedding(input_dim, output_dim)`: embeddings `(input_dim, output_dim)`. */
public class EmbeddingBuilder internal constructor(inputDim: Int, outputDim: Int) : LayerBuilder("Embedding") {
    /** Keras `input_dim`: the vocabulary size, i.e. the maximum integer index + 1. */
    public var inputDim: Int by param("input_dim", inputDim)
    /** Keras `output_dim`: the dimension of the dense embedding. */
    public var outputDim: Int by param("output_dim", outputDim)
    /** Keras `embeddings_initializer`: how the embeddings matrix is initialized. */
    public var embeddingsInitializer: Initializer by param("embeddings_initializer", randomUniform())
    /** Keras `embeddings_regularizer`: the regularizer applied to the embeddings matrix; null for none. */
    public var embeddingsRegularizer: Regularizer? by param("embeddings_regularizer", null)

    init {
        activityRegularizerSlot()
    }

    /** Keras `embeddings_constraint`: the constraint applied to the embeddings matrix; null for none. */
    public var embeddingsConstraint: Constraint? by param("embeddings_constraint", null)
    /** Keras `mask_zero`: whether input value 0 is a padding value to mask out, so that index 0 cannot be used. */
    public var maskZero: Boolean by param("mask_zero", false)

    init {
        computed("quantization_config") { null }
    }

    override fun check(layerName: String) {
        requirePositive(layerName, "input_dim", inputDim)
        requirePositive(layerName, "output_dim", outputDim)
    }
}

/** Keras `Dropout(rate)`. */
public class DropoutBuilder internal constructor(rate: Double) : LayerBuilder("Dropout") {
    /** Keras `rate`: the fraction of the input units to drop, between 0 and 1. */
    public var rate: Double by param("rate", rate)
    /** Keras `seed`: the random seed of the dropout; null for none. */
    public var seed: Int? by param("seed", null)
    /** Keras `noise_shape`: the shape of the binary dropout mask, to share it along some axes; null for the input's. */
    public var noiseShape: List<Int?>? by param("noise_shape", null)

    override fun check(layerName: String) {
        require(rate in 0.0..1.0) { "layer '$layerName' rate must be in [0, 1]; got $rate" }
    }
}

/** Keras `Activation(activation)`. */
public class ActivationBuilder internal constructor(activation: String) : LayerBuilder("Activation") {
    /** Keras `activation`: the activation function to apply, such as `relu`. */
    public var activation: String by param("activation", activation)
}

/** Keras `Flatten()`. */
public class FlattenBuilder internal constructor() : LayerBuilder("Flatten") {
    /** Keras `data_format`: the ordering of the input dimensions, to keep weight ordering across formats. */
    public var dataFormat: String by param("data_format", "channels_last")
}

/** Keras `Reshape(target_shape)`. */
public class ReshapeBuilder internal constructor(targetShape: List<Int>) : LayerBuilder("Reshape") {
    /** Keras `target_shape`: the output shape without the batch dimension; one entry may be -1 to infer it. */
    public var targetShape: List<Int> by param("target_shape", targetShape)
}

/** Keras `Concatenate(axis)`. */
public class ConcatenateBuilder internal constructor(axis: Int) : LayerBuilder("Concatenate") {
    /** Keras `axis`: the axis along which the inputs are concatenated. */
    public var axis: Int by param("axis", axis)
}

/** Keras `Add()`. */
public class AddBuilder internal constructor() : LayerBuilder("Add")

/** Keras `PReLU()`: alpha shaped like the input without its batch dimension. */
public class PReLUBuilder internal constructor() : LayerBuilder("PReLU") {
    /** Keras `alpha_initializer`: how the learned negative-slope weights (alpha) are initialized. */
    public var alphaInitializer: Initializer by param("alpha_initializer", zeros())
    /** Keras `alpha_regularizer`: the regularizer applied to alpha; null for none. */
    public var alphaRegularizer: Regularizer? by param("alpha_regularizer", null)
    /** Keras `alpha_constraint`: the constraint applied to alpha; null for none. */
    public var alphaConstraint: Constraint? by param("alpha_constraint", null)
    /** Keras `shared_axes`: the axes along which alpha is shared, e.g. `[1, 2]` for one per channel; null for none. */
    public var sharedAxes: List<Int>? by param("shared_axes", null)
}

/** Fails when a bias constraint is set on a layer that has no bias. */
internal fun requireBias(layer: String, hasBias: Boolean, biasConstraint: Constraint?, why: String = "use_bias is false") {
    require(hasBias || biasConstraint == null) {
        "layer '$layer' has no bias ($why), so bias_constraint has no weight to constrain"
    }
}

/** Adds a `Dense` layer. @throws IllegalArgumentException if `units` is not positive */
public fun ModelBuilder.dense(units: Int, activation: String = "linear", block: DenseBuilder.() -> Unit = {}): Layer =
    add(DenseBuilder(units, activation), block)

/** Adds an `EinsumDense` layer; `outputShape` excludes the batch dimension. */
public fun ModelBuilder.einsumDense(
    equation: String, outputShape: List<Int?>, activation: String = "linear", block: EinsumDenseBuilder.() -> Unit = {},
): Layer = add(EinsumDenseBuilder(equation, outputShape).also { it.activation = activation }, block)

/** Adds an `Embedding` layer. */
public fun ModelBuilder.embedding(inputDim: Int, outputDim: Int, block: EmbeddingBuilder.() -> Unit = {}): Layer =
    add(EmbeddingBuilder(inputDim, outputDim), block)

/** Adds a `Dropout` layer. */
public fun ModelBuilder.dropout(rate: Double, block: DropoutBuilder.() -> Unit = {}): Layer =
    add(DropoutBuilder(rate), block)

/** Adds an `Activation` layer. */
public fun ModelBuilder.activation(activation: String, block: ActivationBuilder.() -> Unit = {}): Layer =
    add(ActivationBuilder(activation), block)

/** Adds a `Flatten` layer. */
public fun ModelBuilder.flatten(block: FlattenBuilder.() -> Unit = {}): Layer =
    add(FlattenBuilder(), block)

/** Adds a `Reshape` layer; `targetShape` excludes the batch dimension. */
public fun ModelBuilder.reshape(vararg targetShape: Int, block: ReshapeBuilder.() -> Unit = {}): Layer =
    add(ReshapeBuilder(targetShape.toList()), block)

/** Adds a `Concatenate` layer; call it on a list of tensors. */
public fun ModelBuilder.concatenate(axis: Int = -1, block: ConcatenateBuilder.() -> Unit = {}): Layer =
    add(ConcatenateBuilder(axis), block)

/** Adds an `Add` layer; call it on a list of tensors. */
public fun ModelBuilder.add(block: AddBuilder.() -> Unit = {}): Layer =
    add(AddBuilder(), block)

/** Adds a `PReLU` layer. */
public fun ModelBuilder.prelu(block: PReLUBuilder.() -> Unit = {}): Layer =
    add(PReLUBuilder(), block)

/**
 * Any other layer, carried as a raw config: `layer("QDense", "units" to 64, "kernel_constraint" to clip(-1, 1))`.
 * Values may be plain values, [KerasObject]s and constraints; `name`, `trainable` and `dtype` come first as in every
 * Keras layer.
 */
public class RawLayerBuilder internal constructor(className: String, config: Map<String, Any?>,
                                                  override val module: String) : LayerBuilder(className) {
    /** The layer's own config entries, in order. */
    public val configEntries: MutableMap<String, Any?> = LinkedHashMap(config)

    /** The output shape for the input shape, when the layer is called in a functional model; identity if unset. */
    public var shapeFunction: ((List<Int?>) -> List<Int?>)? = null

    override fun config(layerName: String, registry: ConstraintRegistry): LinkedHashMap<String, JsonElement> =
        super.config(layerName, registry).apply {
            for ((key, value) in configEntries) put(key, KerasValues.toJson(value, registry))
        }

    override fun outputShape(layerName: String, inputs: List<List<Int?>>): List<Int?> =
        shapeFunction?.invoke(inputs[0]) ?: super.outputShape(layerName, inputs)
}

/** Adds a layer Kerb has no builder for, with its Keras `class_name` and config entries. */
public fun ModelBuilder.layer(
    className: String, vararg config: Pair<String, Any?>, module: String = "keras.layers", block: RawLayerBuilder.() -> Unit = {},
): Layer = add(RawLayerBuilder(className, mapOf(*config), module), block)
