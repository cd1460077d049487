package dev.kerb.dsl

// Keras 3.15 initializers (keras/src/initializers), with their config keys in Keras' order. The variance-scaling
// family writes input_axes/output_axes as Keras 3.15 does.

private fun scaled(className: String, seed: Int?) =
    Initializer(className, linkedMapOf("seed" to seed, "input_axes" to null, "output_axes" to null))

/** Returns `GlorotUniform(seed)`, the default kernel initializer. */
public fun glorotUniform(seed: Int? = null): Initializer = scaled("GlorotUniform", seed)

/** Returns `GlorotNormal(seed)`. */
public fun glorotNormal(seed: Int? = null): Initializer = scaled("GlorotNormal", seed)

/** Returns `HeUniform(seed)`. */
public fun heUniform(seed: Int? = null): Initializer = scaled("HeUniform", seed)

/** Returns `HeNormal(seed)`. */
public fun heNormal(seed: Int? = null): Initializer = scaled("HeNormal", seed)

/** Returns `LecunUniform(seed)`. */
public fun lecunUniform(seed: Int? = null): Initializer = scaled("LecunUniform", seed)

/** Returns `LecunNormal(seed)`. */
public fun lecunNormal(seed: Int? = null): Initializer = scaled("LecunNormal", seed)

/** Returns `VarianceScaling(scale, mode, distribution, seed)`. */
public fun varianceScaling(
    scale: Number = 1.0,
    mode: String = "fan_in",
    distribution: String = "truncated_normal",
    seed: Int? = null,
): Initializer = Initializer("VarianceScaling", linkedMapOf("seed" to seed, "scale" to scale, "mode" to mode,
    "distribution" to distribution, "input_axes" to null, "output_axes" to null))

/** Returns `RandomUniform(minval, maxval, seed)`, Embedding's default (`"uniform"`). */
public fun randomUniform(minval: Number = -0.05, maxval: Number = 0.05, seed: Int? = null): Initializer =
    Initializer("RandomUniform", linkedMapOf("seed" to seed, "minval" to minval, "maxval" to maxval))

/** Returns `RandomNormal(mean, stddev, seed)`. */
public fun randomNormal(mean: Number = 0.0, stddev: Number = 0.05, seed: Int? = null): Initializer =
    Initializer("RandomNormal", linkedMapOf("seed" to seed, "mean" to mean, "stddev" to stddev))

/** Returns `TruncatedNormal(mean, stddev, seed)`. */
public fun truncatedNormal(mean: Number = 0.0, stddev: Number = 0.05, seed: Int? = null): Initializer =
    Initializer("TruncatedNormal", linkedMapOf("seed" to seed, "mean" to mean, "stddev" to stddev))

/** Returns `Orthogonal(gain, seed)`. */
public fun orthogonal(gain: Number = 1.0, seed: Int? = null): Initializer =
    Initializer("Orthogonal", linkedMapOf("seed" to seed, "gain" to gain))

/** Returns `Zeros()`, the default bias initializer. */
public fun zeros(): Initializer = Initializer("Zeros", emptyMap())

/** Returns `Ones()`. */
public fun ones(): Initializer = Initializer("Ones", emptyMap())

/** Returns `Constant(value)`. */
public fun constant(value: Number = 0.0): Initializer = Initializer("Constant", linkedMapOf("value" to value))

/** Returns any initializer by class name and config, as Keras would write it (e.g. a registered custom one). */
public fun initializer(className: String, config: Map<String, Any?> = emptyMap(), module: String? = "keras.initializers",
                       registeredName: String? = null): Initializer = Initializer(className, config, module, registeredName)
