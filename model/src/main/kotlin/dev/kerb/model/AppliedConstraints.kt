@file:JvmName("ModelWeights")

package dev.kerb.model

import dev.kerb.core.ApplyOptions
import dev.kerb.core.Tensor
import dev.kerb.model.catalog.LayerCatalog

/**
 * The outcome of applying one model constraint to named weights.
 *
 * @property constraint where the constraint was found and what it is
 * @property weights the names of the weights it was applied to; empty when no weight matched
 */
public data class AppliedConstraint(val constraint: ModelConstraint, val weights: List<String>)

/**
 * Returns the weight names a constraint key may act on, most likely first: `kernel`, `bias`, `recurrent_kernel`,
 * Keras 1's `W`, Keras 2's `depthwise_kernel` where Keras 3 says `kernel`.
 */
public fun weightNamesOf(constraintKey: String): List<String> = LayerCatalog.governed("", constraintKey)

/** Returns the weight names a constraint key may act on in a layer of class [layerClass], from the layer catalog. */
public fun weightNamesOf(layerClass: String, constraintKey: String): List<String> =
    LayerCatalog.governed(layerClass, constraintKey)

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
 * in a weight name its key acts on in the layer's class, tried in [weightNamesOf]'s order.
 */
internal fun constraintPlan(spec: ModelSpec, names: Collection<String>): List<AppliedConstraint> =
    spec.constraints().map { found ->
        val matched = weightNamesOf(found.layerClass, found.key).asSequence().map { weight ->
            names.filter { name -> name.startsWith("${found.layer}/") && name.removeSuffix(":0").endsWith("/$weight") }
        }.firstOrNull { it.isNotEmpty() }.orEmpty()
        AppliedConstraint(found, matched)
    }
