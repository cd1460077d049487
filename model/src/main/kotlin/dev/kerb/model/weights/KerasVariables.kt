package dev.kerb.model.weights

import dev.kerb.core.Shape
import io.jhdf.HdfFile
import io.jhdf.api.Dataset
import io.jhdf.api.Group
import io.jhdf.api.dataset.ContiguousDataset
import io.jhdf.`object`.datatype.FloatingPoint
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.nio.ByteOrder

/**
 * Names the datasets of Keras weights files by Keras variable path. A `.keras` archive's `model.weights.h5` stores
 * `layers/<class in snake_case, numbered>/vars/<index>` in the order of the model's layers, with sublayers under their
 * attribute names (`forward_layer`, `cell`, `query_dense`); a variable's name comes from its layer class's variable
 * order. A legacy `.h5` names every weight in `model_weights/<layer>@weight_names`.
 */
internal object KerasVariables {
    private val MODELS = setOf("Sequential", "Functional", "Model")
    private val RNN_CELLS = mapOf("LSTM" to "lstm_cell", "GRU" to "gru_cell", "SimpleRNN" to "simple_rnn_cell")
    private val MHA_PARTS = linkedMapOf("query_dense" to "query", "key_dense" to "key", "value_dense" to "value",
        "output_dense" to "attention_output")

    /** Returns every weight of a Keras 3 `model.weights.h5` whose bytes start at [base] in the file, in file order. */
    fun keras3(file: HdfFile, model: JsonObject, base: Long): List<StoredWeight> {
        val out = ArrayList<StoredWeight>()
        layer(file, model, prefix = "", top = true, base + file.userBlockSize, out)
        return out
    }

    /** Returns every weight of a legacy `.h5` model, in the order of `layer_names` and each layer's `weight_names`. */
    fun legacy(file: HdfFile): List<StoredWeight> {
        val weights = file.getChild("model_weights") as? Group ?: return emptyList()
        val out = ArrayList<StoredWeight>()
        for (layer in strings(weights.getAttribute("layer_names")?.data)) {
            val group = weights.getChild(layer) as? Group ?: continue
            for (weightName in strings(group.getAttribute("weight_names")?.data)) {
                val dataset = group.getByPath(weightName) as? Dataset ?: continue
                val clean = weightName.removeSuffix(":0")
                // Keras 3 prefixes a Sequential model's weights with the model's name: seq/d1/kernel in layer d1.
                val at = clean.indexOf("$layer/").takeIf { it == 0 || it > 0 && clean[it - 1] == '/' }
                out += stored(if (at != null) clean.substring(at) else "$layer/$clean", dataset, file.userBlockSize)
            }
        }
        return out
    }

    private fun layer(group: Group, layer: JsonObject, prefix: String, top: Boolean, base: Long, out: MutableList<StoredWeight>) {
        val className = (layer["class_name"] as? JsonPrimitive)?.content.orEmpty()
        val config = layer["config"] as? JsonObject ?: JsonObject(emptyMap())
        val path = if (top) "" else prefix + (nameOf(group) ?: string(config["name"]) ?: className)
        val childPrefix = if (top) "" else "$path/"
        variables(group, path, variableNames(className, config), base, out)
        val handled = mutableSetOf("vars")
        if (className in MODELS || config["layers"] is JsonArray) {
            handled += "layers"
            val layers = group.getChild("layers") as? Group
            val used = HashMap<String, Int>()
            for (child in (config["layers"] as? JsonArray).orEmpty()) {
                val childLayer = child as? JsonObject ?: continue
                val childClass = string(childLayer["class_name"]) ?: continue
                if (className == "Sequential" && childClass == "InputLayer") continue
                val key = snakeCase(childClass)
                val n = used.merge(key, 0) { old, _ -> old + 1 }!!
                val childGroup = layers?.getChild(if (n == 0) key else "${key}_$n") as? Group ?: continue
                layer(childGroup, childLayer, childPrefix, top = false, base, out)
            }
        }
        for ((key, configKey) in listOf("forward_layer" to "layer", "backward_layer" to "backward_layer", "layer" to "layer")) {
            val child = group.getChild(key) as? Group ?: continue
            val childLayer = config[configKey] as? JsonObject ?: config["layer"] as? JsonObject ?: continue
            handled += key
            layer(child, childLayer, childPrefix, top = false, base, out)
        }
        RNN_CELLS[className]?.let { cellName ->
            val cell = group.getChild("cell") as? Group ?: return@let
            handled += "cell"
            variables(cell, "$path/${nameOf(cell) ?: cellName}", withBias(config, "kernel", "recurrent_kernel"), base, out)
        }
        if (className == "MultiHeadAttention") {
            for ((key, name) in MHA_PARTS) {
                val part = group.getChild(key) as? Group ?: continue
                handled += key
                variables(part, "$path/${nameOf(part) ?: name}", withBias(config, "kernel"), base, out)
            }
        }
        for ((key, child) in group.children) {
            if (key !in handled && child is Group) unknown(child, "$childPrefix${nameOf(child) ?: key}", base, out)
        }
    }

    /** A group Kerb knows no class for: its variables are named by index, so no constraint matches them. */
    private fun unknown(group: Group, path: String, base: Long, out: MutableList<StoredWeight>) {
        variables(group, path, emptyList(), base, out)
        for ((key, child) in group.children) {
            if (key != "vars" && child is Group) unknown(child, "$path/${nameOf(child) ?: key}", base, out)
        }
    }

    private fun variables(group: Group, path: String, names: List<String>, base: Long, out: MutableList<StoredWeight>) {
        val vars = group.getChild("vars") as? Group ?: return
        val datasets = vars.children.entries.mapNotNull { (key, node) -> key.toIntOrNull()?.let { it to node as? Dataset } }
            .sortedBy { it.first }
        val named = datasets.size == names.size
        for ((index, dataset) in datasets) {
            if (dataset == null) continue
            out += stored("$path/${if (named) names[index] else index.toString()}", dataset, base)
        }
    }

    /** The order in which a layer class creates its variables (Keras 3's `build`), as far as Kerb knows it. */
    private fun variableNames(className: String, config: JsonObject): List<String> = when (className) {
        "Dense", "EinsumDense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
        "DepthwiseConv1D", "DepthwiseConv2D", "QDense", "QConv1D", "QConv2D", "QuantDense", "QuantConv2D" ->
            withBias(config, "kernel")
        "SeparableConv1D", "SeparableConv2D" -> withBias(config, "depthwise_kernel", "pointwise_kernel")
        "Embedding" -> listOf("embeddings")
        "PReLU" -> listOf("alpha")
        "BatchNormalization" -> scaleCenter(config) + listOf("moving_mean", "moving_variance")
        "LayerNormalization", "GroupNormalization" -> scaleCenter(config)
        else -> emptyList()
    }

    private fun withBias(config: JsonObject, vararg names: String): List<String> =
        names.toList() + if ((config["use_bias"] as? JsonPrimitive)?.content == "false") emptyList() else listOf("bias")

    private fun scaleCenter(config: JsonObject): List<String> =
        listOfNotNull("gamma".takeIf { (config["scale"] as? JsonPrimitive)?.content != "false" },
            "beta".takeIf { (config["center"] as? JsonPrimitive)?.content != "false" })

    private fun stored(name: String, dataset: Dataset, base: Long): StoredWeight {
        val type = dataset.dataType
        val dtype = when {
            type is FloatingPoint && type.size == 4 -> "float32"
            type is FloatingPoint && type.size == 8 -> "float64"
            type is FloatingPoint -> "float${type.size * 8}"
            else -> dataset.javaType.simpleName
        }
        val unpatchable = when {
            dataset !is ContiguousDataset -> "it is stored ${dataset.dataLayout.name.lowercase()}, not contiguous"
            dataset.filters.isNotEmpty() -> "it is filtered (${dataset.filters.joinToString { it.name }})"
            type is FloatingPoint && type.byteOrder != ByteOrder.LITTLE_ENDIAN -> "it is big-endian"
            else -> null
        }
        val offset = if (unpatchable == null) base + (dataset as ContiguousDataset).dataAddress else -1L
        return StoredWeight(name, Shape.of(*dataset.dimensions), dtype, dataset.path, offset, unpatchable)
    }

    private fun nameOf(group: Group): String? = (group.getChild("vars") as? Group)?.getAttribute("name")?.data as? String

    private fun string(element: JsonElement?): String? = (element as? JsonPrimitive)?.takeIf { it.isString }?.content

    private fun strings(data: Any?): List<String> = when (data) {
        is Array<*> -> data.filterIsInstance<String>()
        is String -> listOf(data)
        else -> emptyList()
    }

    /** Keras' `to_snake_case`: `PReLU` -> `p_re_lu`, `Conv2D` -> `conv2d`, `MultiHeadAttention` -> `multi_head_attention`. */
    internal fun snakeCase(name: String): String = name.replace(Regex("\\W+"), "")
        .replace(Regex("(.)([A-Z][a-z]+)"), "$1_$2")
        .replace(Regex("([a-z])([A-Z])"), "$1_$2")
        .lowercase()
}
