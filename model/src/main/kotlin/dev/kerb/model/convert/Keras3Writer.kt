package dev.kerb.model.convert

import dev.kerb.model.io.KerasJson
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.registry.KerasFormat
import dev.kerb.registry.UnresolvedConstraint
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Rewrites a Keras 2 model dict (tf.keras `to_json()`, a `model_config`, a TF.js topology, Keras 2.13+ mixed shapes)
 * in the shape Keras 3.15 `to_json()` writes: four-key `{"module", "class_name", "config", "registered_name"}`
 * objects, `DTypePolicy` dtypes, an `InputLayer` with `batch_shape` in place of `batch_input_shape`, and Functional
 * `inbound_nodes` as `{"args", "kwargs"}` with `__keras_tensor__` references. Objects Keras does not define keep
 * their config, with a null module and their name as `registered_name`, which is how Keras 3 finds a registered
 * class. Keras 2 records tensor shapes on inputs only, so other `__keras_tensor__` references get the empty shape
 * `[]`: Keras 3 needs a shape there to parse the reference, then takes the tensor itself from `keras_history` and
 * never reads that shape. Keys of a built-in class that its Keras 3 constructor refuses (tf.keras' `groups` on
 * `DepthwiseConv2D`, `dtype` on initializers, ...) are dropped and listed in [dropped].
 */
internal class Keras3Writer(private val registry: ConstraintRegistry) {
    /** One line per Keras 2 key of a built-in class that its Keras 3 constructor refuses, dropped, with where. */
    val dropped: List<String> get() = droppedKeys.map { (what, places) ->
        "$what is not a Keras 3 argument (in ${places.joinToString(", ")}); dropped"
    }

    private val droppedKeys = LinkedHashMap<String, LinkedHashSet<String>>()

    /** The layer being written, named in [dropped]. */
    private var current = "model"

    /** Keeps the keys [accepted] names; notes the others in [dropped]. */
    private fun accepted(className: String, config: JsonObject, accepted: Set<String>?): JsonObject {
        if (accepted == null) return config
        val refused = config.keys - accepted
        refused.forEach { droppedKeys.getOrPut("key '$it' of $className") { LinkedHashSet() } += current }
        return if (refused.isEmpty()) config else JsonObject(config - refused)
    }

    fun model(model: JsonObject): JsonObject {
        val className = model.string("class_name")
        val config = model["config"]
        return when {
            className == "Sequential" -> wrapper("keras", "Sequential", sequential(config), JsonNull)
            className in KerasClasses.FUNCTIONAL || (config is JsonObject && "input_layers" in config) ->
                wrapper("keras.src.models.functional", "Functional", functional(config as JsonObject),
                    JsonPrimitive("Functional"))
            else -> layer(model)
        }
    }

    private fun sequential(config: JsonElement?): JsonObject {
        val obj = config as? JsonObject
        val source = (obj?.get("layers") ?: config) as JsonArray
        val layers = ArrayList<JsonElement>()
        source.forEachIndexed { i, element ->
            val layer = element as JsonObject
            val layerConfig = layer["config"] as? JsonObject
            val shape = layerConfig?.get("batch_input_shape")
            if (i == 0 && shape != null && layer.string("class_name") != "InputLayer") {
                // Keras 2 kept the input on the first layer and named the implicit InputLayer after it.
                layers += wrapper("keras.layers", "InputLayer", inputConfig(shape,
                    DtypePolicies.policyName(layerConfig["dtype"]), JsonPrimitive("${layerConfig.string("name")}_input")), JsonNull)
            }
            layers += layer(layer)
        }
        val out = linkedMapOf<String, JsonElement>(
            "name" to (obj?.get("name") ?: JsonPrimitive("sequential")),
            "trainable" to (obj?.get("trainable") ?: JsonPrimitive(true)),
            "dtype" to DtypePolicies.dtypePolicy((obj?.get("dtype"))?.let(DtypePolicies::policyName)?.content ?: "float32"),
            "layers" to JsonArray(layers),
        )
        // Keras 3 records the shape a built Sequential was built with; the InputLayer's batch shape is that shape.
        val input = ((layers.firstOrNull() as? JsonObject)?.get("config") as? JsonObject)?.get("batch_shape")
        (obj?.get("build_input_shape") ?: input)?.let { out["build_input_shape"] = it }
        return JsonObject(out)
    }

    private fun functional(config: JsonObject): JsonObject {
        val source = config["layers"] as JsonArray
        val byName = source.associateBy { (it as JsonObject).string("name") }
        val out = linkedMapOf<String, JsonElement>(
            "name" to (config["name"] ?: JsonPrimitive("functional")),
            "trainable" to (config["trainable"] ?: JsonPrimitive(true)),
            "layers" to JsonArray(source.map { layer(it as JsonObject, byName) }),
        )
        for (key in listOf("input_layers", "output_layers")) {
            val endpoints = config[key] as? JsonArray ?: continue
            // Keras 3 writes a single endpoint as a bare [name, node, tensor] triple.
            out[key] = if (endpoints.size == 1 && endpoints[0] is JsonArray) endpoints[0] else endpoints
        }
        return JsonObject(out)
    }

    private fun layer(layer: JsonObject, graph: Map<String?, JsonElement> = emptyMap()): JsonObject {
        val className = layer.string("class_name")!!
        val config = layer["config"]
        val outer = current
        current = (config as? JsonObject)?.string("name") ?: layer.string("name") ?: current
        val converted = when {
            className == "Sequential" || className in KerasClasses.FUNCTIONAL -> model(layer)
            "module" in layer -> layer.string("module").let { module -> // Keras 2.13+: already four keys
                wrapper(module, className, layerConfig(className, config, module == "keras.layers"),
                    layer["registered_name"] ?: JsonNull)
            }
            className in KerasClasses.LAYERS ->
                wrapper("keras.layers", className, layerConfig(className, config, builtIn = true), JsonNull)
            else -> custom(className, layerConfig(className, config, builtIn = false))
        }
        val out = LinkedHashMap(converted)
        layer["name"]?.let { out["name"] = it }
        layer["inbound_nodes"]?.let { out["inbound_nodes"] = nodes(it, graph) }
        current = outer
        return JsonObject(out)
    }

    private fun layerConfig(className: String, config: JsonElement?, builtIn: Boolean): JsonElement {
        if (config !is JsonObject) return config ?: JsonObject(emptyMap())
        val out = linkedMapOf<String, JsonElement>()
        val input = className == "InputLayer"
        for ((key, value) in config) {
            when {
                key == "batch_input_shape" -> if (input) out["batch_shape"] = value
                key == "dtype" -> out[key] = if (input) DtypePolicies.policyName(value) else
                    DtypePolicies.dtypePolicy(DtypePolicies.policyName(value).takeIf { it.isString }?.content ?: "float32")
                key in LAYER_KEYS && value is JsonObject -> out[key] = layer(value)
                key == "cells" && value is JsonArray -> out[key] = JsonArray(value.map { layer(it as JsonObject) })
                // tf.keras 2 stored BatchNormalization's axis as a one-element list; Keras 3 takes an int.
                builtIn && key == "axis" && className == "BatchNormalization" && value is JsonArray && value.size == 1 ->
                    out[key] = value[0]
                key.endsWith("_constraint") && value is JsonObject -> out[key] = constraint(value)
                else -> out[key] = value(value)
            }
        }
        if (input && "optional" !in out) out["optional"] = JsonPrimitive(false)
        return accepted(className, JsonObject(out), if (builtIn) KerasClasses.LAYERS[className] else null)
    }

    private fun inputConfig(shape: JsonElement, dtype: JsonElement, name: JsonElement): JsonObject = JsonObject(
        linkedMapOf("batch_shape" to shape, "dtype" to dtype, "sparse" to JsonPrimitive(false),
            "ragged" to JsonPrimitive(false), "name" to name, "optional" to JsonPrimitive(false)))

    /** A constraint the registry knows is written as the registry writes Keras 3; others keep their config. */
    private fun constraint(value: JsonObject): JsonElement {
        if ("module" in value) return value
        val constraint = registry.get(KerasJson.toPlain(value))
        return if (constraint is UnresolvedConstraint) value(value)
        else KerasJson.toElement(registry.serialize(constraint, KerasFormat.KERAS_3))
    }

    /** Rewrites nested two-key Keras objects (initializers, regularizers, anything else) as four-key dicts. */
    private fun value(value: JsonElement): JsonElement = when {
        value is JsonObject && value["class_name"] is JsonPrimitive && "config" in value && "module" !in value -> {
            val className = value.string("class_name")!!
            val config = value.getValue("config").let { if (it is JsonObject) value(it) else it }
            val module = KerasClasses.objectModule(className)
            val converted = when {
                className == "Policy" || className == "DTypePolicy" -> DtypePolicies.dtypePolicy(DtypePolicies.policyName(value).content)
                // e.g. tf.keras 2.1-2.2 initializers kept a dtype, which Keras 3 initializers do not take.
                module != null && config is JsonObject -> wrapper(module, className,
                    accepted(className, distribution(className, config), KerasClasses.objectArguments(className)), JsonNull)
                module != null -> wrapper(module, className, config, JsonNull)
                else -> custom(className, config)
            }
            // tf.keras' __passive_serialization__ marker has no Keras 3 meaning; any other key is carried along.
            JsonObject(converted + value.filterKeys { it !in KERAS2_MARKERS && it !in converted })
        }
        value is JsonObject -> JsonObject(value.mapValues { (_, v) -> value(v) })
        value is JsonArray -> JsonArray(value.map(::value))
        else -> value
    }

    /** Keras 2 and TF.js took VarianceScaling's `"normal"` to mean truncated normal; Keras 3 takes only the new name. */
    private fun distribution(className: String, config: JsonObject): JsonObject =
        if (className == "VarianceScaling" && config["distribution"] == JsonPrimitive("normal")) {
            JsonObject(config + ("distribution" to JsonPrimitive("truncated_normal")))
        } else config

    /** A class Keras does not define: Keras 2 wrote a registered one as `package>Name`. */
    private fun custom(className: String, config: JsonElement): JsonObject {
        val short = className.substringAfter('>')
        return wrapper(null, short, config, JsonPrimitive(className))
    }

    /** `[[[layer, node, tensor, kwargs], ...], ...]` → `[{"args": [...], "kwargs": {...}}, ...]`. */
    private fun nodes(nodes: JsonElement, graph: Map<String?, JsonElement>): JsonElement {
        if (nodes !is JsonArray) return nodes
        return JsonArray(nodes.map { node ->
            val refs = (node as? JsonArray)?.takeIf { n -> n.all { it is JsonArray && it.size >= 3 } }
                ?: return@map node
            val tensors = refs.map { tensor(it as JsonArray, graph) }
            val kwargs = (refs.firstOrNull() as JsonArray?)?.getOrNull(3) as? JsonObject ?: JsonObject(emptyMap())
            JsonObject(linkedMapOf(
                "args" to JsonArray(if (tensors.size == 1) tensors else listOf(JsonArray(tensors))),
                "kwargs" to kwargs,
            ))
        })
    }

    private fun tensor(ref: JsonArray, graph: Map<String?, JsonElement>): JsonObject {
        val source = (graph[(ref[0] as JsonPrimitive).content] as? JsonObject)?.get("config") as? JsonObject
        val shape = source?.get("batch_input_shape") ?: source?.get("batch_shape") ?: JsonArray(emptyList())
        val dtype = source?.get("dtype")?.let(DtypePolicies::policyName)?.takeIf { it.isString } ?: JsonPrimitive("float32")
        return JsonObject(linkedMapOf(
            "class_name" to JsonPrimitive("__keras_tensor__"),
            "config" to JsonObject(linkedMapOf("shape" to shape, "dtype" to dtype,
                "keras_history" to JsonArray(ref.take(3)))),
        ))
    }

    private companion object {
        val KERAS2_MARKERS = setOf("class_name", "config", "__passive_serialization__")

        /** Config keys that hold a whole layer (wrappers, RNN cells). */
        val LAYER_KEYS = setOf("layer", "backward_layer", "cell")

        fun wrapper(module: String?, className: String, config: JsonElement, registered: JsonElement): JsonObject =
            JsonObject(linkedMapOf("module" to JsonPrimitive(module), "class_name" to JsonPrimitive(className),
                "config" to config, "registered_name" to registered))

        fun JsonObject.string(key: String): String? = (this[key] as? JsonPrimitive)?.takeIf { it.isString }?.content
    }
}
