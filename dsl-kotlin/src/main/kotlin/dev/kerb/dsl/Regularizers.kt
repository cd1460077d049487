package dev.kerb.dsl

// Keras 3.15 regularizers (keras/src/regularizers/regularizers.py). L1 and OrthogonalRegularizer store their factor
// as a float32 tensor, so Keras writes it float32-rounded (0.01 as 0.009999999776482582); these do the same.

private fun float32(value: Number): Double = value.toFloat().toDouble()

/** Returns `L1(l1)`; Keras writes the factor rounded to float32. */
public fun l1(l1: Number = 0.01): Regularizer = Regularizer("L1", linkedMapOf("l1" to float32(l1)))

/** Returns `L2(l2)`. */
public fun l2(l2: Number = 0.01): Regularizer = Regularizer("L2", linkedMapOf("l2" to l2.toDouble()))

/** Returns `L1L2(l1, l2)`; Keras' constructor defaults are 0.0 and 0.0. */
public fun l1l2(l1: Number = 0.0, l2: Number = 0.0): Regularizer =
    Regularizer("L1L2", linkedMapOf("l1" to l1.toDouble(), "l2" to l2.toDouble()))

/**
 * Returns `OrthogonalRegularizer(factor, mode)`, mode `"rows"` or `"columns"`.
 *
 * @throws IllegalArgumentException for another mode
 */
public fun orthogonalRegularizer(factor: Number = 0.01, mode: String = "rows"): Regularizer {
    require(mode == "rows" || mode == "columns") { "orthogonalRegularizer mode must be \"rows\" or \"columns\"; got \"$mode\"" }
    return Regularizer("OrthogonalRegularizer", linkedMapOf("factor" to float32(factor), "mode" to mode))
}

/** Returns any regularizer by class name and config, as Keras would write it (e.g. a registered custom one). */
public fun regularizer(className: String, config: Map<String, Any?> = emptyMap(), module: String? = "keras.regularizers",
                       registeredName: String? = null): Regularizer = Regularizer(className, config, module, registeredName)
