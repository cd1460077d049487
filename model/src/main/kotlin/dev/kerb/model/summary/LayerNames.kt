package dev.kerb.model.summary

import dev.kerb.model.catalog.LayerArgs
import dev.kerb.registry.ConfigException
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Keras' names for layers saved without one: the class in snake case, numbered in the order Keras 3.15.1 creates the
 * layers as it loads the model (`dense`, `dense_1`, `dense_2`; `auto_name` in `keras/src/utils/naming.py`), so that
 * every layer of a config written by hand has variables of its own.
 */
internal object LayerNames {
    /** Returns [model] with a name in the config of every layer and nested model that has none. */
    fun assign(model: JsonObject): JsonObject {
        val uses = HashMap<String, Int>()
        fun autoName(className: String): String {
            val prefix = LayerArgs.snakeCase(className)
            val earlier = uses.merge(prefix, 1, Int::plus)!! - 1
            return if (earlier == 0) prefix else "${prefix}_$earlier"
        }

        fun named(layer: JsonObject): JsonObject {
            val className = (layer["class_name"] as? JsonPrimitive)?.content.orEmpty()
            val config = layer["config"] as? JsonObject ?: return layer
            val unnamed = sequenceOf(layer["name"], config["name"]).none { it is JsonPrimitive && it.isString }
            // Keras creates a Sequential model before its layers and a Functional one after them.
            val functional = ShapeInference.isFunctional(className, config)
            val early = if (unnamed && !functional) autoName(className) else null
            val original = config["layers"] as? JsonArray
            val named = original?.map { if (it is JsonObject) named(it) else it }
            // A model whose layers all have names is returned as it is, not copied.
            val layers = named?.takeIf { it.indices.any { i -> it[i] !== original[i] } }
            val name = early ?: if (unnamed) autoName(className) else null
            if (name == null && layers == null) return layer
            val changes = listOfNotNull<Pair<String, JsonElement>>(name?.let { "name" to JsonPrimitive(it) },
                layers?.let { "layers" to JsonArray(it) })
            return JsonObject(layer + ("config" to JsonObject(config + changes)))
        }
        return named(model)
    }

    /**
     * Fails unless the layers of [model] (named by [assign]) and of each nested model have names of their own, which
     * Keras requires and Kerb's variable paths rely on.
     *
     * @throws ConfigException naming the model and the repeated name
     */
    fun requireUnique(model: JsonObject) {
        val config = model["config"] as? JsonObject ?: return
        val layers = (config["layers"] as? JsonArray)?.filterIsInstance<JsonObject>() ?: return
        val names = layers.map { GraphLayer(it).name }
        names.groupingBy { it }.eachCount().entries.firstOrNull { it.value > 1 }?.let { (name, count) ->
            throw ConfigException("model '${GraphLayer(model).name}' has $count layers named '$name'; Keras requires " +
                "each layer of a model to have a name of its own")
        }
        layers.forEach(::requireUnique)
    }
}
