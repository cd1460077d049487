package dev.kerb.model.convert

import dev.kerb.model.io.KerasJson
import dev.kerb.model.io.MalformedModelException
import dev.kerb.model.io.asArray
import dev.kerb.model.io.asObject
import dev.kerb.model.io.asString
import dev.kerb.model.io.childPath
import dev.kerb.model.io.objects
import dev.kerb.model.io.string
import dev.kerb.model.io.stringOrNull
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.registry.ConstraintFormat
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

    /**
     * Rewrites a model dict found at [path].
     *
     * @throws MalformedModelException if a value is not the kind Keras 2 writes there
     */
    fun model(model: JsonObject, path: String = ""): JsonObject {
        val className = model.string("class_name", path)
        val config = model["config"]
        val configPath = childPath(path, "config")
        return when {
            className == "Sequential" -> wrapper("keras", "Sequential", sequential(config, configPath), JsonNull)
            className in KerasClasses.FUNCTIONAL || (config is JsonObject && "input_layers" in config) ->
                wrapper("keras.src.models.functional", "Functional", functional(config.asObject(configPath), configPath),
                    JsonPrimitive("Functional"))
            else -> layer(model, path)
        }
    }

    private fun sequential(config: JsonElement?, path: String): JsonObject {
        val obj = config as? JsonObject
        val layersPath = if (obj != null) childPath(path, "layers") else path
        val source = (obj?.get("layers") ?: config).asArray(layersPath)
        val layers = ArrayList<JsonElement>()
        source.objects(layersPath).forEachIndexed { i, (layer, at) ->
            val layerConfig = layer["config"] as? JsonObject
            val shape = layerConfig?.get("batch_input_shape")
            if (i == 0 && shape != null && layer.stringOrNull("class_name") != "InputLayer") {
                // Keras 2 kept the input on the first layer and named the implicit InputLayer after it.
                layers += wrapper("keras.layers", "InputLayer", inputConfig(shape,
                    DtypePolicies.policyName(layerConfig["dtype"]), JsonPrimitive("${layerConfig.stringOrNull("name")}_input")), JsonNull)
            }
            layers += layer(layer, at)
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

    private fun functional(config: JsonObject, path: String): JsonObject {
        val layersPath = childPath(path, "layers")
        val source = config["layers"].asArray(layersPath).objects(layersPath)
        val byName = source.associate { (layer, _) -> layer.stringOrNull("name") to layer }
        val out = linkedMapOf<String, JsonElement>(
            "name" to (config["name"] ?: JsonPrimitive("functional")),
            "trainable" to (config["trainable"] ?: JsonPrimitive(true)),
            "layers" to JsonArray(source.map { (layer, at) -> layer(layer, at, byName) }),
        )
        for (key in listOf("input_layers", "output_layers")) {
            val endpoints = config[key] as? JsonArray ?: continue
            // Keras 3 writes a single endpoint as a bare [name, node, tensor] triple.
            out[key] = if (endpoints.size == 1 && endpoints[0] is JsonArray) endpoints[0] else endpoints
        }
        return JsonObject(out)
    }

    private fun layer(layer: JsonObject, path: String, graph: Map<String?, JsonElement> = emptyMap()): JsonObject {
        val className = layer.string("class_name", path)
        val config = layer["config"]
        val configPath = childPath(path, "config")
        val outer = current
        current = (config as? JsonObject)?.stringOrNull("name") ?: layer.stringOrNull("name") ?: current
        val converted = when {
            className == "Sequential" || className in KerasClasses.FUNCTIONAL -> model(layer, path)
            "module" in layer -> layer.stringOrNull("module").let { module -> // Keras 2.13+: already four keys
                wrapper(module, className, layerConfig(className, config, configPath, module == "keras.layers"),
                    layer["registered_name"] ?: JsonNull)
            }
            className in KerasClasses.LAYERS ->
                wrapper("keras.layers", className, layerConfig(className, config, configPath, builtIn = true), JsonNull)
            else -> custom(className, layerConfig(className, config, configPath, builtIn = false))
        }
        val out = LinkedHashMap(converted)
        layer["name"]?.let { out["name"] = it }
        layer["inbound_nodes"]?.let { out["inbound_nodes"] = nodes(it, childPath(path, "inbound_nodes"), graph) }
        current = outer
        return JsonObject(out)
    }

    private fun layerConfig(className: String, config: JsonElement?, path: String, builtIn: Boolean): JsonElement {
        if (config !is JsonObject) return config ?: JsonObject(emptyMap())
        val out = linkedMapOf<String, JsonElement>()
        val input = className == "InputLayer"
        for ((key, value) in config) {
            when {
                key == "batch_input_shape" -> if (input) out["batch_shape"] = value
                key == "dtype" -> out[key] = if (input) DtypePolicies.policyName(value) else
                    DtypePolicies.dtypePolicy(DtypePolicies.policyName(value).takeIf { it.isString }?.content ?: "float32")
                key in LAYER_KEYS && value is JsonObject -> out[key] = layer(value, childPath(path, key))
                key == "cells" && value is JsonArray ->
                    out[key] = JsonArray(value.objects(childPath(path, key)).map { (cell, at) -> layer(cell, at) })
                // tf.keras 2 stored BatchNormalization's axis as a one-element list; Keras 3 takes an int.
                builtIn && key == "axis" && className == "BatchNormalization" && value is JsonArray && value.size == 1 ->
                    out[key] = value[0]
                key.endsWith("_constraint") && value is JsonObject -> out[key] = constraint(value, childPath(path, key))
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
    private fun constraint(value: JsonObject, where: String): JsonElement {
        if ("module" in value) return value
        val constraint = registry.get(KerasJson.toPlain(value), where)
        return if (constraint is UnresolvedConstraint) value(value)
        else KerasJson.toElement(registry.serialize(constraint, ConstraintFormat.KERAS_3))
    }

    /** Rewrites nested two-key Keras objects (initializers, regularizers, anything else) as four-key dicts. */
    private fun value(value: JsonElement): JsonElement = when {
        value is JsonObject && value.stringOrNull("class_name") != null && "config" in value && "module" !in value -> {
            val className = value.getValue("class_name").asString("class_name")
            val config = value.getValue("config").let { if (it is JsonObject) value(it) else it }
            val module = KerasClasses.objectModule(className)
            val converted = when {
                className == "Policy" || className == "DTypePolicy" -> DtypePolicies.dtypePolicy(DtypePolicies.policyName(value).content)
                // e.g. tf.keras 2.1-2.2 initializers kept a dtype, which Keras 3 initializers do not take.
                module != null && config is JsonObject -> wrapper(module, className,
                    accepted(className, distribution(className, config), KerasClasses.objectArguments(className)), JsonNull)
                module != null -> wrapper(module, className, config, JsonNull)
                else -> custom(value.stringOrNull("registered_name") ?: className, config)
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
    private fun nodes(nodes: JsonElement, path: String, graph: Map<String?, JsonElement>): JsonElement {
        if (nodes !is JsonArray) return nodes
        return JsonArray(nodes.mapIndexed { i, node ->
            val refs = (node as? JsonArray)?.map { it as? JsonArray }?.takeIf { n -> n.all { it != null && it.size >= 3 } }
                ?.filterNotNull() ?: return@mapIndexed node
            val tensors = refs.mapIndexed { j, ref -> tensor(ref, "$path[$i][$j]", graph) }
            val kwargs = (refs.firstOrNull()?.getOrNull(3) as? JsonObject).orEmpty().mapValues { (key, value) ->
                tensorKwarg(value, "$path[$i][0][3].$key", graph)
            }
            JsonObject(linkedMapOf(
                "args" to JsonArray(if (tensors.size == 1) tensors else listOf(JsonArray(tensors))),
                "kwargs" to JsonObject(kwargs),
            ))
        })
    }

    /**
     * A call kwarg in Keras 3 form: tf.keras 2 writes a tensor there as its `[layer, node, tensor]` reference
     * (attention's `value`), which becomes a `__keras_tensor__`; anything else is kept.
     */
    private fun tensorKwarg(value: JsonElement, path: String, graph: Map<String?, JsonElement>): JsonElement = when {
        value is JsonArray && value.size == 3 && (value[0] as? JsonPrimitive)?.isString == true &&
            (value[0] as JsonPrimitive).content in graph && value.drop(1).all { (it as? JsonPrimitive)?.isString == false } ->
            tensor(value, path, graph)
        else -> value
    }

    private fun tensor(ref: JsonArray, path: String, graph: Map<String?, JsonElement>): JsonObject {
        val source = (graph[ref[0].asString("$path[0]")] as? JsonObject)?.get("config") as? JsonObject
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
    }
}
