package dev.kerb.djl

import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import dev.kerb.model.ModelSpec
import dev.kerb.model.Weights
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.doubles.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * The other names Keras gives a layer class (`Convolution2D` for `Conv2D`) build the same layer: a layer fixture whose
 * config is renamed predicts Keras' outputs for the original. Keras 2's ThresholdedReLU(theta) is checked the same way
 * against Keras 3.15.1's ReLU(threshold), which computes the same `x * (x > theta)`.
 */
class KerasAliasTest : FunSpec({
    val renamed = listOf(
        Renamed("conv1d_valid", "Conv1D", "Convolution1D"),
        Renamed("conv2d_valid_stride1", "Conv2D", "Convolution2D"),
        Renamed("conv3d_same", "Conv3D", "Convolution3D"),
        Renamed("conv1d_transpose_same_stride2", "Conv1DTranspose", "Convolution1DTranspose"),
        Renamed("conv2d_transpose_same_stride2", "Conv2DTranspose", "Convolution2DTranspose"),
        Renamed("conv3d_transpose_same_stride2", "Conv3DTranspose", "Convolution3DTranspose"),
        Renamed("separable_conv1d", "SeparableConv1D", "SeparableConvolution1D"),
        Renamed("separable_conv2d", "SeparableConv2D", "SeparableConvolution2D"),
        Renamed("global_average_pooling1d", "GlobalAveragePooling1D", "GlobalAvgPool1D"),
        Renamed("global_average_pooling2d", "GlobalAveragePooling2D", "GlobalAvgPool2D"),
        Renamed("global_average_pooling3d", "GlobalAveragePooling3D", "GlobalAvgPool3D"),
        Renamed("global_max_pooling1d", "GlobalMaxPooling1D", "GlobalMaxPool1D"),
        Renamed("global_max_pooling2d", "GlobalMaxPooling2D", "GlobalMaxPool2D"),
        Renamed("global_max_pooling3d", "GlobalMaxPooling3D", "GlobalMaxPool3D"),
        Renamed("relu_threshold", "ReLU", "ThresholdedReLU") { config ->
            JsonObject(mapOf("name" to config.getValue("name"), "theta" to config.getValue("threshold")))
        },
    )

    for (r in renamed) {
        test("${r.to} (${r.case}) predicts as Keras' original does") {
            KerasDjl.layerClasses shouldContain r.to
            val file = KerasFixtures.ROOT.resolve("layers").resolve("${r.case}.keras")
            val spec = ModelSpec.read(file)
            var count = 0
            fun rename(element: JsonElement): JsonElement = when {
                element is JsonObject && element["class_name"] == JsonPrimitive(r.from) -> {
                    count++
                    JsonObject(element + mapOf("class_name" to JsonPrimitive(r.to),
                        "config" to r.config(element.getValue("config") as JsonObject)))
                }
                element is JsonObject -> JsonObject(element.mapValues { (_, v) -> rename(v) })
                element is JsonArray -> JsonArray(element.map(::rename))
                else -> element
            }
            val edited = ModelSpec.fromJsonElement(rename(spec.toJsonElement()), registry = spec.registry)
            count shouldBe 1
            val json = KerasFixtures.json("layers", r.case)
            val expected = KerasFixtures.arrays(json, "outputs").single()
            NDManager.newBaseManager().use { manager ->
                KerasDjl.model(edited, Weights.read(file)).use { model ->
                    val inputs = KerasFixtures.ndList(manager, KerasFixtures.arrays(json, "inputs"))
                    val output = model.predict(inputs).single()
                    withClue(r.case) {
                        output.shape.shape.toList() shouldBe expected.shape
                        val actual = output.toType(DataType.FLOAT64, false).toDoubleArray()
                        KerasFixtures.relativeError(actual, expected.data) shouldBeLessThanOrEqual 1e-5
                    }
                }
            }
        }
    }
})

/** A fixture case and how its layer's class name and config change. */
private class Renamed(val case: String, val from: String, val to: String, val config: (JsonObject) -> JsonObject = { it })
