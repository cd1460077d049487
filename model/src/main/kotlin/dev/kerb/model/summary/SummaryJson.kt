package dev.kerb.model.summary

import dev.kerb.model.LayerSummary
import dev.kerb.model.ModelSummary
import dev.kerb.model.io.KerasJson
import dev.kerb.registry.ConstraintRegistry
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** Writes a [ModelSummary] as the JSON `kerb summary --json` prints. */
internal object SummaryJson {
    fun text(summary: ModelSummary, prettyPrint: Boolean): String = KerasJson.text(element(summary), prettyPrint)

    fun element(summary: ModelSummary): JsonObject = JsonObject(linkedMapOf(
        "name" to JsonPrimitive(summary.name),
        "class_name" to JsonPrimitive(summary.className),
        "layers" to JsonArray(summary.layers.map { layer(it, summary.registry) }),
        "total_params" to JsonPrimitive(summary.totalParams),
        "trainable_params" to JsonPrimitive(summary.trainableParams),
        "non_trainable_params" to JsonPrimitive(summary.nonTrainableParams),
        "trainable_bytes" to JsonPrimitive(summary.trainableBytes),
        "non_trainable_bytes" to JsonPrimitive(summary.nonTrainableBytes),
        "notes" to JsonArray(summary.notes.map(::JsonPrimitive)),
        "misfit" to JsonPrimitive(summary.misfit?.message),
    ))

    private fun layer(layer: LayerSummary, registry: ConstraintRegistry): JsonObject = JsonObject(linkedMapOf<String, JsonElement>(
        "name" to JsonPrimitive(layer.name),
        "class_name" to JsonPrimitive(layer.className),
        "output_shape" to shapes(layer.outputShapes),
        "params" to JsonPrimitive(layer.params),
        "trainable_params" to JsonPrimitive(layer.trainableParams),
        "non_trainable_params" to JsonPrimitive(layer.nonTrainableParams),
        "inbound" to JsonArray(layer.inbound.map(::JsonPrimitive)),
        "constraints" to JsonArray(layer.constraints.map { c ->
            JsonObject(linkedMapOf("layer" to JsonPrimitive(c.layer), "key" to JsonPrimitive(c.key),
                "constraint" to KerasJson.toElement(registry.serialize(c.constraint))))
        }),
    ).apply { if (layer.layers.isNotEmpty()) put("layers", JsonArray(layer.layers.map { layer(it, registry) })) })

    private fun shapes(shapes: List<List<Int?>>?): JsonElement = when {
        shapes == null -> JsonNull
        shapes.size == 1 -> shape(shapes[0])
        else -> JsonArray(shapes.map(::shape))
    }

    private fun shape(shape: List<Int?>): JsonArray = JsonArray(shape.map { JsonPrimitive(it) })
}
