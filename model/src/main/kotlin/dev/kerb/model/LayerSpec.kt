package dev.kerb.model

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * One layer of a model config, wherever it is nested, as it stands in the file.
 *
 * @property path the layer's name, prefixed by the names of the wrappers and nested models around it (`outer/inner`)
 * @property className the layer's `class_name`
 * @property config the layer's `config` dict, exactly as read
 */
public class LayerSpec internal constructor(
    public val path: String,
    public val className: String,
    public val config: JsonObject,
    internal val location: List<Any>,
) {
    /** Returns the names of the `*_constraint` keys this layer's config holds, null or not, in file order. */
    public val constraintKeys: List<String> get() = config.keys.filter { it.endsWith("_constraint") }

    override fun toString(): String = "$className '$path'"
}

/** Walks the layers of a model dict: `layers` of models, `layer`/`backward_layer` of wrappers, `cell(s)` of RNNs. */
internal object LayerTree {
    /** The config keys under which Keras nests whole layers (other nested dicts are initializers, dtypes, ...). */
    private val LAYER_KEYS = setOf("layers", "layer", "backward_layer", "forward_layer", "cell", "cells")

    /**
     * Returns every layer under [model] in file order, the model itself first (with its own name as path); the top
     * model's name is not part of the other paths.
     */
    fun walk(model: JsonObject, location: List<Any>): List<LayerSpec> {
        val out = ArrayList<LayerSpec>()
        visit(model, location, prefix = "", top = true, out)
        return out
    }

    private fun visit(layer: JsonObject, location: List<Any>, prefix: String, top: Boolean, out: MutableList<LayerSpec>) {
        val className = (layer["class_name"] as JsonPrimitive).content
        val config = layer["config"]
        val name = ((config as? JsonObject)?.get("name") as? JsonPrimitive)?.takeIf { it.isString }?.content
            ?: (layer["name"] as? JsonPrimitive)?.takeIf { it.isString }?.content ?: className
        val path = prefix + name
        out += LayerSpec(path, className, config as? JsonObject ?: JsonObject(emptyMap()), location)
        val childPrefix = if (top) "" else "$path/"
        when (config) {
            is JsonObject -> for ((key, value) in config) {
                if (key in LAYER_KEYS) {
                    children(value, location + "config" + key) { child, at -> visit(child, at, childPrefix, false, out) }
                }
            }
            is JsonArray -> children(config, location + "config") { child, at -> visit(child, at, childPrefix, false, out) }
            else -> {}
        }
    }

    private inline fun children(value: JsonElement, location: List<Any>, each: (JsonObject, List<Any>) -> Unit) {
        when {
            isLayer(value) -> each(value as JsonObject, location)
            value is JsonArray -> value.forEachIndexed { i, item -> if (isLayer(item)) each(item as JsonObject, location + i) }
        }
    }

    private fun isLayer(value: JsonElement): Boolean =
        value is JsonObject && (value["class_name"] as? JsonPrimitive)?.isString == true

    /** Returns [root] with the element at [location] replaced by [change] applied to it. */
    fun replace(root: JsonElement, location: List<Any>, change: (JsonElement) -> JsonElement): JsonElement {
        if (location.isEmpty()) return change(root)
        return when (val step = location[0]) {
            is String -> {
                val obj = root as JsonObject
                JsonObject(LinkedHashMap(obj).apply { put(step, replace(obj.getValue(step), location.drop(1), change)) })
            }
            is Int -> {
                val array = root as JsonArray
                JsonArray(array.toMutableList().apply { set(step, replace(array[step], location.drop(1), change)) })
            }
            else -> error("bad location step $step")
        }
    }
}
