package dev.kerb.model.weights

import dev.kerb.core.Shape
import dev.kerb.model.catalog.LayerArgs
import dev.kerb.model.catalog.LayerCatalog
import dev.kerb.model.catalog.LayerWeights
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
 * attribute names (`forward_layer`, `cell`, `query_dense`); variable names and sublayers come from the layer catalog.
 * A legacy `.h5` names every weight in `model_weights/<layer>@weight_names`.
 */
internal object KerasVariables {
    private val MODELS = setOf("Sequential", "Functional", "Model")

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
                // Keras 3 prefixes a Sequential model's weights with the model's name: seq/d1/kernel in layer d1,
                // dense/dense/kernel in layer dense of a model named dense; the layer's name is the last match.
                val at = generateSequence(clean.lastIndexOf("$layer/")) { clean.lastIndexOf("$layer/", it - 1) }
                    .takeWhile { it >= 0 }.firstOrNull { it == 0 || clean[it - 1] == '/' }
                out += stored(if (at != null) clean.substring(at) else "$layer/$clean", dataset, file.userBlockSize)
            }
        }
        return out
    }

    private fun layer(group: Group, layer: JsonObject, prefix: String, top: Boolean, base: Long, out: MutableList<StoredWeight>) {
        val className = (layer["class_name"] as? JsonPrimitive)?.content.orEmpty()
        val config = layer["config"] as? JsonObject ?: JsonObject(emptyMap())
        val path = if (top) "" else prefix + (nameOf(group) ?: string(config["name"]) ?: className)
        val weights = LayerCatalog.weights(className, config)
        if (weights != null) return known(group, weights, path, base, out)
        variables(group, path, emptyList(), base, out)
        val handled = mutableSetOf("vars")
        if (className in MODELS || config["layers"] is JsonArray) {
            handled += "layers"
            val layers = group.getChild("layers") as? Group
            val used = HashMap<String, Int>()
            for (child in (config["layers"] as? JsonArray).orEmpty()) {
                val childLayer = child as? JsonObject ?: continue
                val childClass = string(childLayer["class_name"]) ?: continue
                if (className == "Sequential" && childClass == "InputLayer") continue
                val key = LayerArgs.snakeCase(childClass)
                val n = used.merge(key, 0) { old, _ -> old + 1 }!!
                val childGroup = layers?.getChild(if (n == 0) key else "${key}_$n") as? Group ?: continue
                layer(childGroup, childLayer, if (top) "" else "$path/", top = false, base, out)
            }
        }
        unknownChildren(group, if (top) "" else "$path/", handled, base, out)
    }

    /**
     * A layer the catalog models: its own variables under their Keras names, then each sublayer's group (an RNN's
     * `cell`, a wrapper's `forward_layer`, attention's `query_dense`) as the catalog lays them out.
     */
    private fun known(group: Group, weights: LayerWeights, path: String, base: Long, out: MutableList<StoredWeight>) {
        variables(group, path, weights.variables.map { it.name }, base, out)
        val handled = mutableSetOf("vars")
        for (part in weights.parts) {
            val child = part.attribute.split('/').fold(group as Group?) { g, key -> g?.getChild(key) as? Group } ?: continue
            handled += part.attribute.substringBefore('/')
            known(child, part.weights, "$path/${nameOf(child) ?: part.name}", base, out)
        }
        unknownChildren(group, "$path/", handled, base, out)
    }

    private fun unknownChildren(group: Group, prefix: String, handled: Set<String>, base: Long, out: MutableList<StoredWeight>) {
        for ((key, child) in group.children) {
            if (key !in handled && child is Group) unknown(child, "$prefix${nameOf(child) ?: key}", base, out)
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
}
