package dev.kerb.dsl

import dev.kerb.core.Constraint

// Normalization, attention and activation layers with weights, with Keras 3.15's get_config keys in order
// (keras/src/layers/normalization, layers/attention).

/** Keras `BatchNormalization()`: gamma and beta shaped `(channels,)`. */
public class BatchNormalizationBuilder internal constructor() : LayerBuilder("BatchNormalization") {
    public var axis: Int by param("axis", -1)
    public var momentum: Double by param("momentum", 0.99)
    public var epsilon: Double by param("epsilon", 0.001)
    public var center: Boolean by param("center", true)
    public var scale: Boolean by param("scale", true)
    public var betaInitializer: Initializer by param("beta_initializer", zeros())
    public var gammaInitializer: Initializer by param("gamma_initializer", ones())
    public var movingMeanInitializer: Initializer by param("moving_mean_initializer", zeros())
    public var movingVarianceInitializer: Initializer by param("moving_variance_initializer", ones())
    public var betaRegularizer: Regularizer? by param("beta_regularizer", null)
    public var gammaRegularizer: Regularizer? by param("gamma_regularizer", null)
    public var betaConstraint: Constraint? by param("beta_constraint", null)
    public var gammaConstraint: Constraint? by param("gamma_constraint", null)
    public var synchronized: Boolean by param("synchronized", false)
    public var renorm: Boolean by param("renorm", false)
    public var renormClipping: Map<String, Double>? by param("renorm_clipping", null)
    public var renormMomentum: Double by param("renorm_momentum", 0.99)

    override fun check(layerName: String) = requireScaleAndCenter(layerName, scale, gammaConstraint, center, betaConstraint)
}

/** Keras `LayerNormalization()`. */
public class LayerNormalizationBuilder internal constructor() : LayerBuilder("LayerNormalization") {
    /** Keras `axis`: an Int or a List<Int>. */
    public var axis: Any by param("axis", -1)
    public var epsilon: Double by param("epsilon", 0.001)
    public var center: Boolean by param("center", true)
    public var scale: Boolean by param("scale", true)
    public var rmsScaling: Boolean by param("rms_scaling", false)
    public var betaInitializer: Initializer by param("beta_initializer", zeros())
    public var gammaInitializer: Initializer by param("gamma_initializer", ones())
    public var betaRegularizer: Regularizer? by param("beta_regularizer", null)
    public var gammaRegularizer: Regularizer? by param("gamma_regularizer", null)
    public var betaConstraint: Constraint? by param("beta_constraint", null)
    public var gammaConstraint: Constraint? by param("gamma_constraint", null)

    override fun check(layerName: String) {
        require(axis is Int || (axis is List<*> && (axis as List<*>).all { it is Int })) {
            "layer '$layerName' axis must be an Int or a List<Int>; got $axis"
        }
        requireScaleAndCenter(layerName, scale || rmsScaling, gammaConstraint, center && !rmsScaling, betaConstraint)
    }
}

/** Keras `GroupNormalization(groups)`. */
public class GroupNormalizationBuilder internal constructor(groups: Int) : LayerBuilder("GroupNormalization") {
    public var groups: Int by param("groups", groups)
    public var axis: Int by param("axis", -1)
    public var epsilon: Double by param("epsilon", 0.001)
    public var center: Boolean by param("center", true)
    public var scale: Boolean by param("scale", true)
    public var betaInitializer: Initializer by param("beta_initializer", zeros())
    public var gammaInitializer: Initializer by param("gamma_initializer", ones())
    public var betaRegularizer: Regularizer? by param("beta_regularizer", null)
    public var gammaRegularizer: Regularizer? by param("gamma_regularizer", null)
    public var betaConstraint: Constraint? by param("beta_constraint", null)
    public var gammaConstraint: Constraint? by param("gamma_constraint", null)

    override fun check(layerName: String) {
        require(groups > 0 || groups == -1) { "layer '$layerName' groups must be positive or -1; got $groups" }
        requireScaleAndCenter(layerName, scale, gammaConstraint, center, betaConstraint)
    }
}

/**
 * Keras `MultiHeadAttention(num_heads, key_dim)`: its `kernel_constraint` and `bias_constraint` apply to every
 * internal projection (`query`, `key`, `value`, `attention_output`). Call it as `mha(query, value)`.
 */
public class MultiHeadAttentionBuilder internal constructor(numHeads: Int, keyDim: Int) :
    LayerBuilder("MultiHeadAttention") {
    public var numHeads: Int by param("num_heads", numHeads)
    public var keyDim: Int by param("key_dim", keyDim)

    /** Keras `value_dim`; null means `key_dim`, which is what Keras writes. */
    public var valueDim: Int? = null

    init {
        computed("value_dim") { valueDim ?: this.keyDim }
    }

    public var dropout: Double by param("dropout", 0.0)
    public var useBias: Boolean by param("use_bias", true)
    public var useGate: Boolean by param("use_gate", false)
    public var outputShape: List<Int>? by param("output_shape", null)
    public var attentionAxes: List<Int>? by param("attention_axes", null)
    public var slidingWindow: Int? by param("sliding_window", null)
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        computed("activity_regularizer") { activityRegularizer }
    }

    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    public var biasConstraint: Constraint? by param("bias_constraint", null)
    public var seed: Int? by param("seed", null)

    // MultiHeadAttention keeps its activity regularizer in its own slot, never after dtype.
    override val baseWritesActivityRegularizer: Boolean get() = false

    override fun check(layerName: String) {
        requirePositive(layerName, "num_heads", numHeads)
        requirePositive(layerName, "key_dim", keyDim)
        requireBias(layerName, useBias, biasConstraint)
    }

    override fun outputShape(inputs: List<List<Int?>>): List<Int?> =
        outputShape?.let { inputs[0].dropLast(1) + it } ?: inputs[0]
}

internal fun requireScaleAndCenter(layer: String, hasGamma: Boolean, gamma: Constraint?, hasBeta: Boolean, beta: Constraint?) {
    require(hasGamma || gamma == null) {
        "layer '$layer' has no gamma (scale is false), so gamma_constraint has no weight to constrain"
    }
    require(hasBeta || beta == null) {
        "layer '$layer' has no beta (center is false), so beta_constraint has no weight to constrain"
    }
}

/** Adds a `BatchNormalization` layer. */
public fun ModelBuilder.batchNormalization(block: BatchNormalizationBuilder.() -> Unit = {}): Layer =
    add(BatchNormalizationBuilder(), block)

/** Adds a `LayerNormalization` layer. */
public fun ModelBuilder.layerNormalization(block: LayerNormalizationBuilder.() -> Unit = {}): Layer =
    add(LayerNormalizationBuilder(), block)

/** Adds a `GroupNormalization` layer; Keras' default is 32 groups. */
public fun ModelBuilder.groupNormalization(groups: Int = 32, block: GroupNormalizationBuilder.() -> Unit = {}): Layer =
    add(GroupNormalizationBuilder(groups), block)

/** Adds a `MultiHeadAttention` layer. */
public fun ModelBuilder.multiHeadAttention(numHeads: Int, keyDim: Int,
                                           block: MultiHeadAttentionBuilder.() -> Unit = {}): Layer =
    add(MultiHeadAttentionBuilder(numHeads, keyDim), block)
