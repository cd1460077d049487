package dev.kerb.model.init

import dev.kerb.core.Tensor
import java.util.random.RandomGenerator

/**
 * Gives a variable its initial values, as a Keras initializer does. The built-in ones and custom ones come from an
 * [InitializerRegistry] by their Keras names.
 *
 * ```
 * InitializerRegistry.defaultRegistry().register("my_pkg>Halves") { config -> Initializer { values, _ ->
 *     for (i in 0 until values.size()) values.set(i, 0.5)
 * } }
 * ```
 */
public fun interface Initializer {
    /**
     * Writes the initial values of one variable into [values], whose shape and dtype are the variable's, drawing
     * randomness from [random] only, so that the same stream gives the same values.
     *
     * @throws IllegalArgumentException if it cannot initialize a variable of this shape (`Identity` of rank 3)
     */
    public fun initialize(values: Tensor, random: RandomGenerator)
}

/**
 * Builds an initializer from its config, as Keras' `from_config` does.
 */
public fun interface InitializerFactory {
    /**
     * Returns the initializer a config describes.
     *
     * @param config the initializer's `config` dict as plain values (numbers, strings, booleans, lists, maps, nulls)
     * @throws IllegalArgumentException if the config is not one this initializer takes
     */
    public fun create(config: Map<String, Any?>): Initializer
}

/**
 * Keras' `compute_fans`: the numbers of input and output units of a variable of [shape]; a kernel of rank 3 or more
 * is a convolution kernel `(..., input_depth, depth)` whose receptive field multiplies both. With [inputAxes] and
 * [outputAxes] the fans are the products of those dimensions.
 */
internal fun fans(shape: IntArray, inputAxes: List<Int>? = null, outputAxes: List<Int>? = null): Pair<Long, Long> {
    fun dim(axis: Int) = shape[if (axis < 0) axis + shape.size else axis].toLong()
    if (inputAxes != null && outputAxes != null) {
        return inputAxes.fold(1L) { n, a -> n * dim(a) } to outputAxes.fold(1L) { n, a -> n * dim(a) }
    }
    return when (shape.size) {
        0 -> 1L to 1L
        1 -> shape[0].toLong() to shape[0].toLong()
        2 -> shape[0].toLong() to shape[1].toLong()
        else -> {
            val field = shape.dropLast(2).fold(1L) { n, d -> n * d }
            shape[shape.size - 2] * field to shape[shape.size - 1] * field
        }
    }
}
