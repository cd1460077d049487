package dev.kerb.model.convert

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

    fun model(model: JsonObject): JsonObject {
        val className = (model["class_name"] as JsonPrimitive).content
        val config = model["config"] as JsonObject
        val out = linkedMapOf<String, JsonElement>()
        out["name"] = config["name"] ?: JsonPrimitive(className.lowercase())
        out["layers"] = JsonArray((config["layers"] as JsonArray).map { layer(it as JsonObject) })
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

    private fun layer(layer: JsonObject): JsonObject {
        val className = (layer["class_name"] as JsonPrimitive).content
        if (className == "Sequential" || className == "Functional") return nested(layer)
        return placed(layer, JsonPrimitive(legacyName(layer)), layerConfig(className, layer["config"] as JsonObject))
    }

    /** A nested model keeps its place (name, inbound_nodes) with its own config rewritten. */
    private fun nested(layer: JsonObject): JsonObject {
        val converted = model(layer)
        return placed(layer, converted.getValue("class_name"), converted.getValue("config"))
    }

    /** Returns `{"class_name", "config"}` followed by the layer's `name` and `inbound_nodes` in Keras 2 form. */
    private fun placed(layer: JsonObject, className: JsonElement, config: JsonElement): JsonObject {
        val out = linkedMapOf("class_name" to className, "config" to config)
        layer["name"]?.let { out["name"] = it }
        layer["inbound_nodes"]?.let { nodes -> out["inbound_nodes"] = JsonArray((nodes as JsonArray).map(::node)) }
        return JsonObject(out)
    }

    private fun layerConfig(className: String, config: JsonObject): JsonObject {
        val out = linkedMapOf<String, JsonElement>()
        for ((key, value) in config) {
            when {
                key in KERAS3_ONLY && (value is JsonNull || key == "optional") -> {}
                key == "dtype" && value is JsonObject -> out[key] = DtypePolicies.policyName(value)
                key == "batch_shape" && className == "InputLayer" -> out["batch_input_shape"] = value
                key == "layer" || key == "backward_layer" -> out[key] = layer(value as JsonObject)
                else -> out[key] = value(value)
            }
        }
        return JsonObject(out)
    }

    /** Rewrites nested Keras objects (initializers, regularizers, constraints, ...) as two-key dicts. */
    private fun value(value: JsonElement): JsonElement = when {
        value is JsonObject && value["class_name"] is JsonPrimitive && "config" in value -> JsonObject(linkedMapOf(
            "class_name" to JsonPrimitive(legacyName(value)),
            "config" to (value["config"].let { if (it is JsonObject) JsonObject(it.mapValues { (_, v) -> value(v) }) else it!! }),
        ))
        value is JsonObject -> JsonObject(value.mapValues { (_, v) -> value(v) })
        value is JsonArray -> JsonArray(value.map(::value))
        else -> value
    }

    /** tf.keras writes a registered custom class under its `package>Name`, a built-in under its class name. */
    private fun legacyName(obj: JsonObject): String {
        val registered = (obj["registered_name"] as? JsonPrimitive)?.takeIf { it.isString }?.content
        return if (registered != null && '>' in registered) registered else (obj["class_name"] as JsonPrimitive).content
    }

    /** `{"args": [t, ...], "kwargs": {...}}` → `[[layer, node, tensor, kwargs], ...]`. */
    private fun node(node: JsonElement): JsonElement {
        val obj = node as? JsonObject ?: return node
        val kwargs = (obj["kwargs"] as? JsonObject)?.let { JsonObject(it.mapValues { (_, v) -> tensorRefs(v) }) }
            ?: JsonObject(emptyMap())
        val tensors = ArrayList<JsonArray>()
        fun collect(arg: JsonElement) {
            when {
                isKerasTensor(arg) -> tensors += history(arg as JsonObject)
                arg is JsonArray -> arg.forEach(::collect)
            }
        }
        (obj["args"] as? JsonArray)?.forEach(::collect)
        return JsonArray(tensors.map { JsonArray(it + kwargs) })
    }

    private fun tensorRefs(value: JsonElement): JsonElement = when {
        isKerasTensor(value) -> history(value as JsonObject)
        value is JsonArray -> JsonArray(value.map(::tensorRefs))
        else -> value
    }

    private fun isKerasTensor(value: JsonElement): Boolean =
        value is JsonObject && (value["class_name"] as? JsonPrimitive)?.content == "__keras_tensor__"

    private fun history(tensor: JsonObject): JsonArray =
        ((tensor["config"] as JsonObject)["keras_history"]) as JsonArray
}
