package dev.kerb.dsl

// Pooling layers, with Keras 3.15's get_config keys in order (keras/src/layers/pooling).

/** Keras `MaxPooling1D/2D/3D` and `AveragePooling1D/2D/3D`; note Keras writes `padding` before `strides`. */
public class PoolingBuilder internal constructor(kind: String, private val rank: Int, poolSize: Int) :
    LayerBuilder("${kind}Pooling${rank}D") {
    /** Keras `pool_size`: the size of the pooling window, one per spatial dimension. */
    public var poolSize: List<Int> by param("pool_size", expand(poolSize, rank))
    /** Keras `padding`: `valid` for no padding, or `same` to pad evenly so that stride 1 keeps the size. */
    public var padding: String by param("padding", "valid")

    /** Keras `strides`; null means the pool size, which is what Keras writes. */
    public var strides: List<Int>? = null

    init {
        computed("strides") { strides ?: this.poolSize }
    }

    /** Keras `data_format`: the ordering of the input dimensions, `channels_last` or `channels_first`. */
    public var dataFormat: String by param("data_format", "channels_last")
}

/** Keras `GlobalAveragePooling1D/2D/3D` and `GlobalMaxPooling1D/2D/3D`. */
public class GlobalPoolingBuilder internal constructor(kind: String, rank: Int) :
    LayerBuilder("Global${kind}Pooling${rank}D") {
    /** Keras `data_format`: the ordering of the input dimensions, `channels_last` or `channels_first`. */
    public var dataFormat: String by param("data_format", "channels_last")
    /** Keras `keepdims`: whether to keep the pooled spatial dimensions, with size 1. */
    public var keepdims: Boolean by param("keepdims", false)
}

/** Adds a `MaxPooling1D` layer. */
public fun ModelBuilder.maxPooling1d(poolSize: Int = 2, block: PoolingBuilder.() -> Unit = {}): Layer =
    add(PoolingBuilder("Max", 1, poolSize), block)

/** Adds a `MaxPooling2D` layer. */
public fun ModelBuilder.maxPooling2d(poolSize: Int = 2, block: PoolingBuilder.() -> Unit = {}): Layer =
    add(PoolingBuilder("Max", 2, poolSize), block)

/** Adds a `MaxPooling3D` layer. */
public fun ModelBuilder.maxPooling3d(poolSize: Int = 2, block: PoolingBuilder.() -> Unit = {}): Layer =
    add(PoolingBuilder("Max", 3, poolSize), block)

/** Adds an `AveragePooling1D` layer; Keras has no default pool size. */
public fun ModelBuilder.averagePooling1d(poolSize: Int, block: PoolingBuilder.() -> Unit = {}): Layer =
    add(PoolingBuilder("Average", 1, poolSize), block)

/** Adds an `AveragePooling2D` layer; Keras has no default pool size. */
public fun ModelBuilder.averagePooling2d(poolSize: Int, block: PoolingBuilder.() -> Unit = {}): Layer =
    add(PoolingBuilder("Average", 2, poolSize), block)

/** Adds an `AveragePooling3D` layer; Keras has no default pool size. */
public fun ModelBuilder.averagePooling3d(poolSize: Int, block: PoolingBuilder.() -> Unit = {}): Layer =
    add(PoolingBuilder("Average", 3, poolSize), block)

/** Adds a `GlobalAveragePooling1D`, `2D` or `3D` layer. @throws IllegalArgumentException if `rank` is not 1-3 */
public fun ModelBuilder.globalAveragePooling(rank: Int, block: GlobalPoolingBuilder.() -> Unit = {}): Layer {
    require(rank in 1..3) { "globalAveragePooling rank must be 1, 2 or 3; got $rank" }
    return add(GlobalPoolingBuilder("Average", rank), block)
}

/** Adds a `GlobalMaxPooling1D`, `2D` or `3D` layer. @throws IllegalArgumentException if `rank` is not 1-3 */
public fun ModelBuilder.globalMaxPooling(rank: Int, block: GlobalPoolingBuilder.() -> Unit = {}): Layer {
    require(rank in 1..3) { "globalMaxPooling rank must be 1, 2 or 3; got $rank" }
    return add(GlobalPoolingBuilder("Max", rank), block)
}
