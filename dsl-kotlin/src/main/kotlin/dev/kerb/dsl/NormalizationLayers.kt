package dev.kerb.dsl

import dev.kerb.core.Constraint

// Normalization, attention and activation layers with weights, with Keras 3.15's get_config keys in order
// (keras/src/layers/normalization, layers/attention).

/** Keras `BatchNormalization()`: gamma and beta shaped `(channels,)`. */
public class BatchNormalizationBuilder internal constructor() : LayerBuilder("BatchNormalization") {
    /** Keras `axis`: the axis to normalize, typically the features (channels) axis. */
    public var axis: Int by param("axis", -1)
    /** Keras `momentum`: the momentum of the moving mean and moving variance. */
    public var momentum: Double by param("momentum", 0.99)
    /** Keras `epsilon`: a small float added to the variance to avoid dividing by zero. */
    public var epsilon: Double by param("epsilon", 0.001)
    /** Keras `center`: whether to add the learned offset `beta` to the normalized tensor. */
    public var center: Boolean by param("center", true)
    /** Keras `scale`: whether to multiply the normalized tensor by the learned scale `gamma`. */
    public var scale: Boolean by param("scale", true)
    /** Keras `beta_initializer`: how the beta weight is initialized. */
    public var betaInitializer: Initializer by param("beta_initializer", zeros())
    /** Keras `gamma_initializer`: how the gamma weight is initialized. */
    public var gammaInitializer: Initializer by param("gamma_initializer", ones())
    /** Keras `moving_mean_initializer`: how the moving mean is initialized. */
    public var movingMeanInitializer: Initializer by param("moving_mean_initializer", zeros())
    /** Keras `moving_variance_initializer`: how the moving variance is initialized. */
    public var movingVarianceInitializer: Initializer by param("moving_variance_initializer", ones())
    /** Keras `beta_regularizer`: the regularizer applied to beta; null for none. */
    public var betaRegularizer: Regularizer? by param("beta_regularizer", null)
    /** Keras `gamma_regularizer`: the regularizer applied to gamma; null for none. */
    public var gammaRegularizer: Regularizer? by param("gamma_regularizer", null)
    /** Keras `beta_constraint`: the constraint applied to beta; null for none. */
    public var betaConstraint: Constraint? by param("beta_constraint", null)
    /** Keras `gamma_constraint`: the constraint applied to gamma; null for none. */
    public var gammaConstraint: Constraint? by param("gamma_constraint", null)
    /** Keras `synchronized`: whether to synchronize the batch statistics across devices in distributed training. */
    public var synchronized: Boolean by param("synchronized", false)
    /** Keras `renorm`: whether to use Batch Renormalization, which corrects the batch statistics during training. */
    public var renorm: Boolean by param("renorm", false)
    /** Keras `renorm_clipping`: the `rmax`, `rmin` and `dmax` clipping of the renorm corrections; null for none. */
    public var renormClipping: Map<String, Double>? by param("renorm_clipping", null)
    /** Keras `renorm_momentum`: the momentum of the moving mean and standard deviation used by renormalization. */
    public var renormMomentum: Double by param("renorm_momentum", 0.99)

    override fun check(layerName: String) = requireScaleAndCenter(layerName, scale, gammaConstraint, center, betaConstraint)
}

/** Keras `LayerNormalization()`. */
public class LayerNormalizationBuilder internal constructor() : LayerBuilder("LayerNormalization") {
    /** Keras `axis`: an Int or a List<Int>. */
    public var axis: Any by param("axis", -1)
    /** Keras `epsilon`: a small float added to the variance to avoid dividing by zero. */
    public var epsilon: Double by param("epsilon", 0.001)
    /** Keras `center`: whether to add the learned offset `beta` to the normalized tensor. */
    public var center: Boolean by param("center", true)
    /** Keras `scale`: whether to multiply the normalized tensor by the learned scale `gamma`. */
    public var scale: Boolean by param("scale", true)
    /** Keras `rms_scaling`: whether to scale by `gamma` and the inputs' inverse RMS, ignoring `center`/`scale`. */
    public var rmsScaling: Boolean by param("rms_scaling", false)
    /** Keras `beta_initializer`: how the beta weight is initialized. */
    public var betaInitializer: Initializer by param("beta_initializer", zeros())
    /** Keras `gamma_initializer`: how the gamma weight is initialized. */
    public var gammaInitializer: Initializer by param("gamma_initializer", ones())
    /** Keras `beta_regularizer`: the regularizer applied to beta; null for none. */
    public var betaRegularizer: Regularizer? by param("beta_regularizer", null)
    /** Keras `gamma_regularizer`: the regularizer applied to gamma; null for none. */
    public var gammaRegularizer: Regularizer? by param("gamma_regularizer", null)
    /** Keras `beta_constraint`: the constraint applied to beta; null for none. */
    public var betaConstraint: Constraint? by param("beta_constraint", null)
    /** Keras `gamma_constraint`: the constraint applied to gamma; null for none. */
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
    /** Keras `groups`: the number of groups the channels are split into; -1 for one group per channel. */
    public var groups: Int by param("groups", groups)
    /** Keras `axis`: the channels axis, whose channels are split into groups. */
    public var axis: Int by param("axis", -1)
    /** Keras `epsilon`: a small float added to the variance to avoid dividing by zero. */
    public var epsilon: Double by param("epsilon", 0.001)
    /** Keras `center`: whether to add the learned offset `beta` to the normalized tensor. */
    public var center: Boolean by param("center", true)
    /** Keras `scale`: whether to multiply the normalized tensor by the learned scale `gamma`. */
    public var scale: Boolean by param("scale", true)
    /** Keras `beta_initializer`: how the beta weight is initialized. */
    public var betaInitializer: Initializer by param("beta_initializer", zeros())
    /** Keras `gamma_initializer`: how the gamma weight is initialized. */
    public var gammaInitializer: Initializer by param("gamma_initializer", ones())
    /** Keras `beta_regularizer`: the regularizer applied to beta; null for none. */
    public var betaRegularizer: Regularizer? by param("beta_regularizer", null)
    /** Keras `gamma_regularizer`: the regularizer applied to gamma; null for none. */
    public var gammaRegularizer: Regularizer? by param("gamma_regularizer", null)
    /** Keras `beta_constraint`: the constraint applied to beta; null for none. */
    public var betaConstraint: Constraint? by param("beta_constraint", null)
    /** Keras `gamma_constraint`: the constraint applied to gamma; null for none. */
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
    /** Keras `num_heads`: the number of attention heads. */
    public var numHeads: Int by param("num_heads", numHeads)
    /** Keras `key_dim`: the size of each attention head for query and key. */
    public var keyDim: Int by param("key_dim", keyDim)

    /** Keras `value_dim`; null means `key_dim`, which is what Keras writes. */
    public var valueDim: Int? = null

    init {
        computed("value_dim") { valueDim ?: this.keyDim }
    }

    /** Keras `dropout`: the dropout probability applied to the attention weights. */
    public var dropout: Double by param("dropout", 0.0)
    /** Keras `use_bias`: whether the query, key, value and output projections use biases. */
    public var useBias: Boolean by param("use_bias", true)
    /** Keras `use_gate`: whether to gate the attention output with a learned sigmoid gate. */
    public var useGate: Boolean by param("use_gate", false)
    /** Keras `output_shape`: the output's feature dimensions; null projects back to the query's last dimension. */
    public var outputShape: List<Int>? by param("output_shape", null)
    /** Keras `attention_axes`: the axes attention is applied over; null for all but batch, heads and features. */
    public var attentionAxes: List<Int>? by param("attention_axes", null)
    /** Keras `sliding_window`: if set, each query attends only to keys within `sliding_window - 1` positions of it. */
    public var slidingWindow: Int? by param("sliding_window", null)
    /** Keras `kernel_initializer`: how the kernels of all projections are initialized. */
    public var kernelInitializer: Initializer by param("kernel_initializer", glorotUniform())
    /** Keras `bias_initializer`: how the biases of all projections are initialized. */
    public var biasInitializer: Initializer by param("bias_initializer", zeros())
    /** Keras `kernel_regularizer`: the regularizer applied to the kernels of all projections; null for none. */
    public var kernelRegularizer: Regularizer? by param("kernel_regularizer", null)
    /** Keras `bias_regularizer`: the regularizer applied to the biases of all projections; null for none. */
    public var biasRegularizer: Regularizer? by param("bias_regularizer", null)

    init {
        computed("activity_regularizer") { activityRegularizer }
    }

    /** Keras `kernel_constraint`: the constraint applied to the kernels of all projections; null for none. */
    public var kernelConstraint: Constraint? by param("kernel_constraint", null)
    /** Keras `bias_constraint`: the constraint applied to the biases of all projections; null for none. */
    public var biasConstraint: Constraint? by param("bias_constraint", null)
    /** Keras `seed`: the random seed of the attention dropout; null for none. */
    public var seed: Int? by param("seed", null)

    // MultiHeadAttention keeps its activity regularizer in its own slot, never after dtype.
    override val baseWritesActivityRegularizer: Boolean get() = false

    override fun check(layerName: String) {
        requirePositive(layerName, "num_heads", numHeads)
        requirePositive(layerName, "key_dim", keyDim)
        requireBias(layerName, useBias, biasConstraint)
    }
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
