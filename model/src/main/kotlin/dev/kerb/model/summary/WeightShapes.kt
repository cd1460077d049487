package dev.kerb.model.summary

import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import dev.kerb.model.catalog.Dims
import dev.kerb.model.catalog.text
import dev.kerb.registry.ConfigException

/** The shape the layer catalog gives every variable of a model, by Keras variable path (`dense/kernel`). */
internal object WeightShapes {
    fun of(spec: ModelSpec): Map<String, Dims> {
        val (model, _) = ShapeInference.infer(spec.convert(ModelFormat.KERAS_3).spec.model)
        val out = LinkedHashMap<String, Dims>()
        fun walk(rows: List<GraphLayer>, prefix: String) {
            for (layer in rows) {
                layer.variables?.forEach { (path, v) -> out["$prefix${layer.name}/$path"] = v.shape }
                layer.nested?.let { walk(it.rows, "$prefix${layer.name}/") }
            }
        }
        walk(model.rows, "")
        return out
    }

    /**
     * Returns one line for the first stored weight whose shape differs from the catalog's, or null when all that the
     * catalog knows fit, or the config cannot be converted to Keras 3. [stored] maps weight names (an optional `:0` is ignored) to their shapes.
     */
    fun firstMisfit(spec: ModelSpec, stored: Map<String, IntArray>): String? {
        // A config Kerb cannot convert has no inferred shapes; the constraints are still checked without them.
        val expected = try {
            of(spec)
        } catch (e: ConfigException) {
            return null
        }
        for ((name, dims) in stored) {
            val shape = expected[name.removeSuffix(":0")] ?: continue
            if (null !in shape && shape != dims.toList()) {
                return "weight '$name' has shape ${dims.toList().text()}, but the model config gives it ${shape.text()}"
            }
        }
        return null
    }
}
