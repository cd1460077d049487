package dev.kerb.model

import dev.kerb.core.Constraint

/**
 * One non-null constraint found in a model config.
 *
 * @property layer the layer's name, prefixed by the names of the wrappers and nested models around it (`outer/inner`)
 * @property layerClass the layer's `class_name`
 * @property key the config key, e.g. `kernel_constraint` or Keras 1's `W_constraint`
 * @property constraint the constraint, or an [dev.kerb.registry.UnresolvedConstraint] when its name is not registered
 */
public data class ModelConstraint(
    val layer: String,
    val layerClass: String,
    val key: String,
    val constraint: Constraint,
)
