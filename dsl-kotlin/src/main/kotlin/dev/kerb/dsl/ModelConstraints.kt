package dev.kerb.dsl

import dev.kerb.core.Constraint
import dev.kerb.registry.ConstraintRegistry

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

/** Finds the constraints of every layer in a Keras model config, including layers inside wrappers and nested models. */
public object ModelConstraints {
    /**
     * Lists every non-null `*_constraint` value of every layer, in file order.
     *
     * Layers are dicts with `class_name` and `config`; nested layers are found under any config value that holds
     * such dicts (`layers` of Sequential, Functional and nested models, `layer` and `backward_layer` of wrappers,
     * `cell`/`cells` of RNNs). The top-level model's own name is not part of the paths.
     *
     * @param model the model dict, as [ModelFiles.readModelConfig] returns it
     * @param registry resolves the constraints
     * @throws dev.kerb.registry.ConfigException if a registered constraint's config is bad; the message names the
     *   layer and the key
     */
    @JvmStatic
    @JvmOverloads
    public fun find(
        model: Map<String, Any?>,
        registry: ConstraintRegistry = ConstraintRegistry.defaultRegistry(),
    ): List<ModelConstraint> {
        val found = ArrayList<ModelConstraint>()
        visit(model, prefix = "", top = true, registry, found)
        return found
    }

    private fun visit(
        layer: Map<*, *>,
        prefix: String,
        top: Boolean,
        registry: ConstraintRegistry,
        found: MutableList<ModelConstraint>,
    ) {
        val className = layer["class_name"] as String
        val config = layer["config"]
        val name = (config as? Map<*, *>)?.get("name") as? String ?: layer["name"] as? String ?: className
        val path = prefix + name
        val children = ArrayList<Map<*, *>>()
        when (config) {
            is Map<*, *> -> for ((key, value) in config) {
                if (key is String && key.endsWith("_constraint")) {
                    if (value != null) {
                        val constraint = registry.get(value, "layer '$path' $key")
                        found += ModelConstraint(path, className, key, constraint)
                    }
                } else {
                    collectLayers(value, children)
                }
            }
            is List<*> -> collectLayers(config, children) // Keras <= 2.2.2 Sequential: config is the layer list
        }
        val childPrefix = if (top) "" else "$path/"
        for (child in children) visit(child, childPrefix, top = false, registry, found)
    }

    private fun collectLayers(value: Any?, into: MutableList<Map<*, *>>) {
        when {
            value is Map<*, *> && value["class_name"] is String -> into += value
            value is List<*> -> value.forEach { if (it is Map<*, *> && it["class_name"] is String) into += it }
        }
    }
}
