package dev.kerb.model.weights

import dev.kerb.core.DType
import dev.kerb.core.Shape
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import dev.kerb.model.catalog.LayerArgs
import dev.kerb.model.catalog.LayerCatalog
import dev.kerb.model.catalog.LayerWeights
import dev.kerb.model.catalog.VariableSpec
import dev.kerb.model.catalog.text
import dev.kerb.model.summary.GraphLayer
import dev.kerb.model.summary.InferredModel
import dev.kerb.model.summary.LayerNames
import dev.kerb.model.summary.ShapeInference
import dev.kerb.registry.ConfigException
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * One variable of a model, where Keras 3.15.1 saves it and what initializes it.
 *
 * @property path its Keras variable path under the model (`dense/kernel`, `inner/dense/kernel`)
 * @property initializer the config value that initializes it: the layer's `*_initializer`, or its default
 * @property where names the initializer in messages (`layer 'dense' kernel_initializer`)
 * @property group its `.keras` weights group (`layers/dense/vars`); [index] is its dataset's name there
 * @property groupName the `name` attribute Keras gives that group: the (sub)layer's name
 * @property layer the model's layer that holds it, by which a legacy `.h5` groups weights
 * @property legacyName its name in a legacy `.h5` (`weight_names`, and its dataset's path under the layer's group)
 * @property forgetBias whether it is an LSTM bias whose second quarter Keras sets to ones (`unit_forget_bias`)
 * @property integer whether Keras keeps it as int32 (Normalization's `count`): its values are written rounded
 */
internal class LaidOutVariable(
    val path: String,
    val shape: Shape,
    val dtype: DType,
    val trainable: Boolean,
    val initializer: JsonElement,
    val where: String,
    val group: String,
    val index: Int,
    val groupName: String,
    val layer: String,
    val legacyName: String,
    val forgetBias: Boolean,
    val integer: Boolean = false,
)

/** Lays out a model's variables as Keras 3.15.1 saves them, from the config and the layer catalog. */
internal object VariableLayout {
    private val FORGET_BIAS = setOf("LSTM", "LSTMCell", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "ConvLSTMCell")

    /**
     * Returns every variable of [spec], in the order Keras saves them.
     *
     * @throws ConfigException if a layer's variables are not known (a class Kerb does not model, an input shape
     *   that is not given or does not fit) or are not float32 or float64
     */
    fun of(spec: ModelSpec): List<LaidOutVariable> {
        val dict = spec.convert(ModelFormat.KERAS_3).spec.model
        val (inferred, inference) = ShapeInference.infer(dict)
        inference.misfit?.let { throw ConfigException(it.message.orEmpty()) }
        LayerNames.requireUnique(inferred.dict)
        val out = ArrayList<LaidOutVariable>()
        val sequential = inferred.className == "Sequential"
        Walk(out, legacyPrefix = if (sequential) "${inferred.name}/" else "").model(inferred.dict, inferred, "", "", null)
        // Keras saves each of the model's layers' trainable weights first, nested models' across all their layers.
        return out.groupBy { it.layer }.values.flatMap { layer -> layer.sortedBy { !it.trainable } }
    }

    private class Walk(val out: MutableList<LaidOutVariable>, val legacyPrefix: String) {
        fun model(dict: JsonObject, inferred: InferredModel, group: String, prefix: String, top: String?) {
            val className = (dict["class_name"] as? JsonPrimitive)?.content
            val layers = ((dict["config"] as? JsonObject)?.get("layers") as? JsonArray).orEmpty()
            val rows = HashMap<String, GraphLayer>()
            inferred.rows.forEach { rows.putIfAbsent(it.name, it) }
            val used = HashMap<String, Int>()
            for (child in layers) {
                val layer = GraphLayer(child as? JsonObject ?: continue)
                if (className == "Sequential" && layer.className == "InputLayer") continue
                val key = LayerArgs.snakeCase(layer.className)
                val n = used.merge(key, 0) { old, _ -> old + 1 }!!
                val childGroup = "${group}layers/${if (n == 0) key else "${key}_$n"}"
                val row = rows[layer.name] ?: if (layer.className == "InputLayer") continue
                    else throw ConfigException("layer '${layer.name}' (${layer.className}) is not connected to the " +
                        "model's inputs, so Kerb cannot know its variables")
                val owner = top ?: layer.name
                val nested = row.nested
                if (nested != null) model(row.dict, nested, "$childGroup/", "$prefix${layer.name}/", owner)
                else layer(row, childGroup, "$prefix${layer.name}/", owner)
            }
        }

        private fun layer(row: GraphLayer, group: String, prefix: String, owner: String) {
            val variables = row.variables ?: throw ConfigException("layer '${row.name}' (${row.className}): Kerb " +
                "does not know the variables of ${row.className}${if (LayerCatalog.type(row.className) == null) "" else
                    " without its input shapes"}, so it cannot initialize or write them")
            if (variables.isEmpty()) return
            val structure = checkNotNull(LayerCatalog.weights(row.className, row.args.config))
            val dtype = when (val name = row.args.variableDtype) {
                "float32" -> DType.FLOAT32
                "float64" -> DType.FLOAT64
                else -> throw ConfigException("layer '${row.name}' has $name variables; Kerb writes float32 and " +
                    "float64 variables")
            }
            val shapes = variables.iterator()
            // The catalog gives the same variables in the same order with or without input shapes.
            fun place(weights: LayerWeights, group: String, groupName: String, args: LayerArgs) {
                weights.variables.forEachIndexed { i, v ->
                    val (path, spec) = shapes.next()
                    check(path.substringAfterLast('/') == v.name) { "the catalog names ${row.name}'s variables two ways" }
                    out += laidOut(prefix + path, spec, dtype, args, row.name, group, i, groupName, owner)
                }
                for (part in weights.parts) place(part.weights, "$group/${part.attribute}", part.name, part.args ?: args)
            }
            place(structure, group, row.name, row.args)
        }

        private fun laidOut(path: String, v: VariableSpec, dtype: DType, args: LayerArgs, layer: String, group: String,
                            index: Int, groupName: String, owner: String): LaidOutVariable {
            val dims = v.shape.map { it ?: throw ConfigException("variable '$path' has shape ${v.shape.text()}; " +
                "Kerb needs the model's input shapes to initialize it") }
            val key = v.initializerKey
            val given = key?.let { args.config[it] }?.takeUnless { it is JsonNull }
            val initializer = given ?: key?.let { LayerCatalog.INITIALIZER_DEFAULTS[args.className]?.get(it) }
                ?: JsonPrimitive(v.fixedInitializer)
            val forgetBias = v.name == "bias" && args.className in FORGET_BIAS && args.bool("unit_forget_bias", true)
            val trainable = v.trainable && args.bool("trainable", true)
            return LaidOutVariable(path, Shape.of(*dims.toIntArray()), dtype, trainable, initializer,
                "layer '$layer' ${key ?: v.name}", "$group/vars", index, groupName, owner, legacyPrefix + path, forgetBias,
                v.integer)
        }
    }
}
