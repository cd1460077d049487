package dev.kerb.model.convert

import dev.kerb.model.io.MalformedModelException
import dev.kerb.model.io.asArray
import dev.kerb.model.io.asObject
import dev.kerb.model.io.childPath
import dev.kerb.model.io.objects
import dev.kerb.model.io.string
import dev.kerb.model.io.stringOrNull
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Rewrites a Keras 3 model dict in the shape tf.keras 2.x (up to 2.12) `model.to_json()` writes, which Keras 2 and
 * TensorFlow.js' `tf.models.modelFromJSON` load: two-key `{"class_name", "config"}` objects, dtype strings,
 * `batch_input_shape`, and `inbound_nodes` as `[[layer, node, tensor, kwargs], ...]`.
 */
internal object Keras2Writer {
    /** The version written: the last tf.keras whose nested objects are all two-key dicts. */
    const val KERAS_VERSION = "2.12.0"

    /** Keras 3 config keys that Keras 2 layers do not accept, dropped when they hold their Keras 3 default. */
    private val KERAS3_ONLY = setOf("quantization_config", "lora_rank", "lora_alpha", "optional")

    /**
     * Rewrites a model dict found at [path].
     *
     * @throws MalformedModelException if a value is not the kind Keras 3 writes there
     */
    fun model(model: JsonObject, path: String = ""): JsonObject {
        val className = model.string("class_name", path)
        val config = model["config"].asObject(childPath(path, "config"))
        val out = linkedMapOf<String, JsonElement>()
        out["name"] = config["name"] ?: JsonPrimitive(className.lowercase())
        val layersPath = childPath(path, "config.layers")
        out["layers"] = JsonArray(config["layers"].asArray(layersPath).objects(layersPath).map { (l, at) -> layer(l, at) })
        for (key in listOf("input_layers", "output_layers")) {
            val endpoints = config[key] ?: continue
            // Keras 3 writes one endpoint as a bare triple; Keras 2 always writes a list of triples.
            out[key] = if (endpoints is JsonArray && endpoints.firstOrNull() is JsonPrimitive) JsonArray(listOf(endpoints))
            else endpoints
        }
        return JsonObject(linkedMapOf(
            "class_name" to JsonPrimitive(className),
            "config" to JsonObject(out),
            "keras_version" to JsonPrimitive(KERAS_VERSION),
            "backend" to JsonPrimitive("tensorflow"),
        ))
    }

    private fun layer(layer: JsonObject, path: String): JsonObject {
        val className = layer.string("class_name", path)
        if (className == "Sequential" || className == "Functional") return nested(layer, path)
        val configPath = childPath(path, "config")
        return placed(layer, path, JsonPrimitive(legacyName(layer, path)),
            layerConfig(className, layer["config"].asObject(configPath), configPath))
    }

    /** A nested model keeps its place (name, inbound_nodes) with its own config rewritten. */
    private fun nested(layer: JsonObject, path: String): JsonObject {
        val converted = model(layer, path)
        return placed(layer, path, converted.getValue("class_name"), converted.getValue("config"))
    }

    /** Returns `{"class_name", "config"}` followed by the layer's `name` and `inbound_nodes` in Keras 2 form. */
    private fun placed(layer: JsonObject, path: String, className: JsonElement, config: JsonElement): JsonObject {
        val out = linkedMapOf("class_name" to className, "config" to config)
        layer["name"]?.let { out["name"] = it }
        val keywords = KerasClasses.tensorKeywords((className as? JsonPrimitive)?.content.orEmpty())
        layer["inbound_nodes"]?.let { nodes ->
            out["inbound_nodes"] = JsonArray(nodes.asArray(childPath(path, "inbound_nodes")).map { node(it, keywords) })
        }
        return JsonObject(out)
    }

    private fun layerConfig(className: String, config: JsonObject, path: String): JsonObject {
        val out = linkedMapOf<String, JsonElement>()
        for ((key, value) in config) {
            when {
                key in KERAS3_ONLY && (value is JsonNull || key == "optional") -> {}
                key == "dtype" && value is JsonObject -> out[key] = DtypePolicies.policyName(value)
                key == "batch_shape" && className == "InputLayer" -> out["batch_input_shape"] = value
                key == "layer" || key == "backward_layer" ->
                    out[key] = childPath(path, key).let { at -> layer(value.asObject(at), at) }
                else -> out[key] = value(value)
            }
        }
        return JsonObject(out)
    }

    /** Rewrites nested Keras objects (initializers, regularizers, constraints, ...) as two-key dicts. */
    private fun value(value: JsonElement): JsonElement = when {
        value is JsonObject && value.stringOrNull("class_name") != null && "config" in value -> JsonObject(linkedMapOf(
            "class_name" to JsonPrimitive(legacyName(value, "")),
            "config" to value.getValue("config").let { if (it is JsonObject) JsonObject(it.mapValues { (_, v) -> value(v) }) else it },
        ))
        value is JsonObject -> JsonObject(value.mapValues { (_, v) -> value(v) })
        value is JsonArray -> JsonArray(value.map(::value))
        else -> value
    }

    /** tf.keras writes a registered custom class under its `package>Name`, a built-in under its class name. */
    private fun legacyName(obj: JsonObject, path: String): String {
        val registered = obj.stringOrNull("registered_name")
        return if (registered != null && '>' in registered) registered else obj.string("class_name", path)
    }

    /**
     * `{"args": [t, ...], "kwargs": {...}}` → `[[layer, node, tensor, kwargs], ...]`. A layer whose call takes tensors
     * after its first argument by name ([keywords], e.g. attention's `value`, `key`) gets them as kwargs, as tf.keras 2
     * writes them: `[["x", 0, 0, {"value": ["x", 0, 0]}]]`.
     */
    private fun node(node: JsonElement, keywords: List<String>): JsonElement {
        val obj = node as? JsonObject ?: return node
        val args = (obj["args"] as? JsonArray).orEmpty()
        val named = args.drop(1).take(keywords.size).takeIf { keywords.isNotEmpty() && args.size > 1 }.orEmpty()
        val kwargs = JsonObject((obj["kwargs"] as? JsonObject).orEmpty().mapValues { (_, v) -> tensorRefs(v) } +
            named.mapIndexed { i, arg -> keywords[i] to tensorRefs(arg) })
        val tensors = ArrayList<JsonArray>()
        fun collect(arg: JsonElement) {
            val tensor = kerasTensor(arg)
            when {
                tensor != null -> tensors += history(tensor)
                arg is JsonArray -> arg.forEach(::collect)
            }
        }
        (if (named.isEmpty()) args else args.take(1)).forEach(::collect)
        return JsonArray(tensors.map { JsonArray(it + kwargs) })
    }

    private fun tensorRefs(value: JsonElement): JsonElement {
        val tensor = kerasTensor(value)
        return when {
            tensor != null -> history(tensor)
            value is JsonArray -> JsonArray(value.map(::tensorRefs))
            else -> value
        }
    }

    private fun kerasTensor(value: JsonElement): JsonObject? =
        (value as? JsonObject)?.takeIf { it.stringOrNull("class_name") == "__keras_tensor__" }

    /** A `__keras_tensor__`'s `[layer, node, tensor]`; its place in the node is not tracked, so the path is generic. */
    private fun history(tensor: JsonObject): JsonArray =
        (tensor["config"] as? JsonObject)?.get("keras_history").asArray("__keras_tensor__ config.keras_history")
}
