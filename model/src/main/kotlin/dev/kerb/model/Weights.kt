@file:JvmName("ModelWeights")

package dev.kerb.model

import dev.kerb.core.ApplyOptions
import dev.kerb.core.Tensor

/**
 * The outcome of applying one model constraint to named weights.
 *
 * @property constraint where the constraint was found and what it is
 * @property weights the names of the weights it was applied to; empty when no weight matched
 */
public data class AppliedConstraint(val constraint: ModelConstraint, val weights: List<String>)

/**
 * Keras weight names for constraint keys where they differ from the key without `_constraint`, in the order tried:
 * Keras 3 names DepthwiseConv's kernel `kernel` where Keras 2 named it `depthwise_kernel`.
 */
private val WEIGHT_NAMES = mapOf(
    "recurrent_constraint" to listOf("recurrent_kernel"),
    "depthwise_constraint" to listOf("depthwise_kernel", "kernel"),
    "pointwise_constraint" to listOf("pointwise_kernel"),
)

/** Returns the weight names a constraint key may act on: `kernel`, `bias`, `recurrent_kernel`, Keras 1's `W`, ... */
public fun weightNamesOf(constraintKey: String): List<String> =
    WEIGHT_NAMES[constraintKey] ?: listOf(constraintKey.removeSuffix("_constraint"))

/** Applies [spec]'s constraints to named weights; see [ModelSpec.applyConstraints]. */
internal fun applyConstraintsTo(spec: ModelSpec, weights: Map<String, Tensor>, options: ApplyOptions):
    List<AppliedConstraint> {
    val plan = constraintPlan(spec, weights.keys)
    for (entry in plan) {
        for (name in entry.weights) {
            try {
                entry.constraint.constraint.check(weights.getValue(name).shape())
            } catch (e: IllegalArgumentException) {
                throw IllegalArgumentException("cannot apply ${entry.constraint.key} of layer " +
                    "'${entry.constraint.layer}' to weight '$name': ${e.message}", e)
            }
        }
    }
    for (entry in plan) {
        for (name in entry.weights) entry.constraint.constraint.apply(weights.getValue(name), options)
    }
    return plan
}

/**
 * Matches each of [spec]'s constraints to the weights it governs among [names]: those under its layer whose name ends
 * in a weight name its key acts on, tried in [weightNamesOf]'s order.
 */
internal fun constraintPlan(spec: ModelSpec, names: Collection<String>): List<AppliedConstraint> =
    spec.constraints().map { found ->
        val matched = weightNamesOf(found.key).asSequence().map { weight ->
            names.filter { name -> name.startsWith("${found.layer}/") && name.removeSuffix(":0").endsWith("/$weight") }
        }.firstOrNull { it.isNotEmpty() }.orEmpty()
        AppliedConstraint(found, matched)
    }
