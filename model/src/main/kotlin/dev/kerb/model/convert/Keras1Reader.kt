package dev.kerb.model.convert

import dev.kerb.model.io.KerasJson
import dev.kerb.model.io.MalformedModelException
import dev.kerb.model.io.asArray
import dev.kerb.model.io.childPath
import dev.kerb.model.io.objects
import dev.kerb.model.io.string
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.registry.ConstraintFormat
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Rewrites a Keras 1 model dict as Keras 2 writes it: the layer classes and config keys Keras 2 renamed (the
 * renames of Keras 2.0's `keras/legacy/interfaces.py`), flat constraints and regularizers as `{"class_name",
 * "config"}` dicts, and inbound node references with their kwargs. A key Keras 2 did not rename and does not know is
 * kept as it is, and [unmapped] gets a line for it.
 */
internal class Keras1Reader(private val registry: ConstraintRegistry) {
    /** One line per Keras 1 key kept without a Keras 2 equivalent, with the layers that had it. */
    val unmapped: List<String> get() = unmappedKeys.map { (key, layers) ->
        "Keras 1 key '$key' has no Keras 2 equivalent (layer ${layers.joinToString(", ")}); kept as it is"
    }

    private val unmappedKeys = LinkedHashMap<String, MutableList<String>>()

    /**
     * Rewrites a model dict found at [path].
     *
     * @throws MalformedModelException if a layer list or layer is not the kind of value Keras 1 writes there
     */
    fun model(model: JsonObject, path: String = ""): JsonObject {
        val config = model["config"]
        val layersPath = childPath(path, if (config is JsonObject) "config.layers" else "config")
        val layers = ((config as? JsonObject)?.get("layers") ?: config).asArray(layersPath)
        val out = linkedMapOf<String, JsonElement>(
            "name" to ((config as? JsonObject)?.get("name") ?: JsonPrimitive("sequential")),
            "layers" to JsonArray(layers.objects(layersPath).map { (layer, at) -> layer(layer, at) }),
        )
        (config as? JsonObject)?.let { c -> c.filterKeys { it != "name" && it != "layers" }.forEach { (k, v) -> out[k] = v } }
        return JsonObject(linkedMapOf(
            "class_name" to model.getValue("class_name"),
            "config" to JsonObject(out),
            "keras_version" to JsonPrimitive(Keras2Writer.KERAS_VERSION),
            "backend" to (model["backend"] ?: JsonPrimitive("tensorflow")),
        ))
    }

    private fun layer(layer: JsonObject, path: String): JsonObject {
        val className = layer.string("class_name", path)
        if (className == "Sequential" || className == "Model") {
            val nested = model(layer, path)
            return JsonObject(layer + mapOf("config" to nested.getValue("config")))
        }
        val renamed = CLASS_RENAMES[className] ?: className
        val name = ((layer["config"] as? JsonObject)?.get("name") as? JsonPrimitive)?.content ?: renamed
        val out = LinkedHashMap(layer)
        out["class_name"] = JsonPrimitive(renamed)
        out["config"] = config(renamed, layer["config"] as? JsonObject ?: JsonObject(emptyMap()), name)
        layer["inbound_nodes"]?.let { out["inbound_nodes"] = nodes(it) }
        return JsonObject(out)
    }

    private fun config(className: String, config: JsonObject, layerName: String): JsonObject {
        val out = linkedMapOf<String, JsonElement>()
        val embedding = className == "Embedding"
        for ((key, value) in config) {
            val target = when {
                embedding && key in EMBEDDING_RENAMES -> EMBEDDING_RENAMES.getValue(key)
                embedding && key == "output_dim" -> key
                else -> RENAMES[key]
            }
            when {
                key == "nb_row" || key == "nb_col" ->
                    out["kernel_size"] = JsonArray(listOf(config["nb_row"] ?: JsonNull, config["nb_col"] ?: JsonNull))
                key == "dim_ordering" -> out["data_format"] = dataFormat(value)
                key == "forget_bias_init" -> out["unit_forget_bias"] = JsonPrimitive((value as? JsonPrimitive)?.content == "one")
                key == "consume_less" -> out["implementation"] =
                    JsonPrimitive(mapOf("cpu" to 0, "mem" to 1, "gpu" to 2)[(value as? JsonPrimitive)?.content] ?: 1)
                target != null -> out[target] = converted(target, value, layerName)
                key in SAME -> out[key] = converted(key, value, layerName)
                else -> {
                    unmappedKeys.getOrPut(key) { ArrayList() } += layerName
                    out[key] = value
                }
            }
        }
        return JsonObject(out)
    }

    private fun converted(key: String, value: JsonElement, layerName: String): JsonElement = when {
        value !is JsonObject || "name" !in value -> value
        key.endsWith("_constraint") -> KerasJson.toElement(registry.serialize(
            registry.get(KerasJson.toPlain(value), "layer '$layerName' $key"), ConstraintFormat.KERAS_2))
        key.endsWith("_regularizer") -> regularizer(value)
        else -> value
    }

    /**
     * Keras 1 regularizers (`L1L2Regularizer`, `ActivityRegularizer`, `WeightRegularizer`) all held `l1` and `l2`:
     * `{"name": ..., "l1": a, "l2": b}` → `{"class_name": "L1L2", "config": {"l1": a, "l2": b}}`.
     */
    private fun regularizer(value: JsonObject): JsonElement {
        if ((value["name"] as? JsonPrimitive)?.content?.endsWith("Regularizer") != true) return value
        return JsonObject(linkedMapOf(
            "class_name" to JsonPrimitive("L1L2"),
            "config" to JsonObject(value.filterKeys { it != "name" }),
        ))
    }

    private fun dataFormat(value: JsonElement): JsonElement = when ((value as? JsonPrimitive)?.content) {
        "tf" -> JsonPrimitive("channels_last")
        "th" -> JsonPrimitive("channels_first")
        else -> JsonNull // "default": Keras 2's default, the keras.json setting
    }

    /** Keras 1 references are `[layer, node, tensor]`; Keras 2 adds the call's kwargs. */
    private fun nodes(nodes: JsonElement): JsonElement = if (nodes !is JsonArray) nodes else JsonArray(nodes.map { node ->
        if (node !is JsonArray) node else JsonArray(node.map { ref ->
            if (ref is JsonArray && ref.size == 3) JsonArray(ref + JsonObject(emptyMap())) else ref
        })
    })

    private companion object {
        val CLASS_RENAMES = mapOf(
            "Convolution1D" to "Conv1D", "Convolution2D" to "Conv2D", "Convolution3D" to "Conv3D",
            "AtrousConvolution1D" to "Conv1D", "AtrousConvolution2D" to "Conv2D",
            "Deconvolution2D" to "Conv2DTranspose", "SeparableConvolution2D" to "SeparableConv2D",
        )

        val RENAMES = mapOf(
            "output_dim" to "units", "init" to "kernel_initializer", "bias" to "use_bias",
            "W_constraint" to "kernel_constraint", "b_constraint" to "bias_constraint",
            "W_regularizer" to "kernel_regularizer", "b_regularizer" to "bias_regularizer",
            "input_dtype" to "dtype", "nb_filter" to "filters", "filter_length" to "kernel_size",
            "subsample" to "strides", "subsample_length" to "strides", "border_mode" to "padding",
            "atrous_rate" to "dilation_rate", "pool_length" to "pool_size", "stride" to "strides", "p" to "rate",
            "inner_init" to "recurrent_initializer", "inner_activation" to "recurrent_activation",
            "U_regularizer" to "recurrent_regularizer", "U_constraint" to "recurrent_constraint",
            "dropout_W" to "dropout", "dropout_U" to "recurrent_dropout", "beta_init" to "beta_initializer",
            "gamma_init" to "gamma_initializer", "sigma" to "stddev",
        )

        val EMBEDDING_RENAMES = mapOf("init" to "embeddings_initializer",
            "W_regularizer" to "embeddings_regularizer", "W_constraint" to "embeddings_constraint")

        /** Keys Keras 1 and Keras 2 share. */
        val SAME = setOf(
            "name", "trainable", "activation", "batch_input_shape", "input_dim", "input_length", "input_shape",
            "batch_size", "dtype", "sparse", "ragged", "activity_regularizer", "units", "rate", "noise_shape",
            "seed", "return_sequences", "go_backwards", "stateful", "unroll", "mask_zero", "mask_value", "axis",
            "epsilon", "momentum", "center", "scale", "pool_size", "strides", "padding", "target_shape", "dims",
            "n", "cropping", "size", "data_format", "dilation_rate", "depth_multiplier", "depthwise_initializer",
            "pointwise_initializer", "depthwise_regularizer", "pointwise_regularizer", "depthwise_constraint",
            "pointwise_constraint", "gamma_regularizer", "beta_regularizer", "layer", "merge_mode", "function",
            "output_shape", "arguments", "alpha", "theta", "l1", "l2", "kernel_size", "filters", "use_bias",
        )
    }
}
