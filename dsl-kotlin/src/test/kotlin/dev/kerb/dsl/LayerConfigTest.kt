package dev.kerb.dsl

import dev.kerb.model.assertSameJson
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject

/**
 * Each builder's config against what Keras 3.15.1 itself writes for the same layer: same keys in the same order,
 * same values and number kinds. The expected dicts are `src/test/resources/keras3/layer-configs.json`, written by
 * `make_layer_configs.py` with Keras 3.15.1 (unbuilt layers, `serialize_keras_object`).
 */
class LayerConfigTest : FunSpec({
    val golden = Json.parseToJsonElement(
        LayerConfigTest::class.java.getResource("/keras3/layer-configs.json")!!.readText()).jsonObject
    val expectedLayers = golden.getValue("layers").jsonObject
    val expectedObjects = golden.getValue("objects").jsonObject

    val model = sequential("all_layers") {
        dense(64, activation = "relu") { name = "dense"; kernelConstraint = maxNorm(2.0); biasConstraint = nonNeg() }
        dense(4) { name = "dense_defaults" }
        dense(4) {
            name = "dense_activity"; activityRegularizer = l2(0.01)
            kernelRegularizer = l1(0.01); biasRegularizer = l1l2(0.1, 0.2)
        }
        einsumDense("ab,bc->ac", listOf(4)) { name = "einsum"; biasAxes = "c"; kernelConstraint = unitNorm() }
        embedding(100, 16) { name = "embedding"; embeddingsConstraint = unitNorm(axis = 1) }
        conv1d(8, 3) { name = "conv1d"; padding = "causal" }
        conv2d(32, 3) { name = "conv2d"; kernelConstraint = unitNorm(axis = listOf(0, 1, 2)) }
        conv2d(8, 3) { name = "conv2d_activity"; activityRegularizer = l2(0.01) }
        conv3d(4, 2) { name = "conv3d"; biasConstraint = maxNorm(1) }
        conv1dTranspose(8, 3) { name = "conv1d_transpose" }
        conv2dTranspose(8, 3) { name = "conv2d_transpose"; kernelConstraint = maxNorm(2) }
        conv3dTranspose(8, 3) { name = "conv3d_transpose" }
        depthwiseConv1d(3) { name = "depthwise_conv1d" }
        depthwiseConv2d(3) { name = "depthwise_conv2d"; depthwiseConstraint = maxNorm(1.0) }
        separableConv1d(8, 3) { name = "separable_conv1d" }
        separableConv2d(8, 3) {
            name = "separable_conv2d"
            depthwiseConstraint = maxNorm(2); pointwiseConstraint = maxNorm(2); biasConstraint = maxNorm(2)
        }
        simpleRnn(4) { name = "simple_rnn"; recurrentConstraint = unitNorm() }
        lstm(8) {
            name = "lstm"; returnSequences = true
            kernelConstraint = maxNorm(3); recurrentConstraint = unitNorm(); biasConstraint = nonNeg()
        }
        gru(8) { name = "gru"; kernelConstraint = minMaxNorm(0.5, 1.5, rate = 0.5) }
        convLstm1d(4, 3) { name = "conv_lstm1d" }
        convLstm2d(4, 3) { name = "conv_lstm2d"; kernelConstraint = maxNorm(2) }
        bidirectional { name = "bidirectional"; lstm(4) { name = "lstm"; kernelConstraint = maxNorm(3) } }
        batchNormalization { name = "batch_normalization"; gammaConstraint = nonNeg(); betaConstraint = maxNorm(1) }
        layerNormalization { name = "layer_normalization"; gammaConstraint = nonNeg() }
        groupNormalization(4) { name = "group_normalization" }
        prelu { name = "prelu"; alphaConstraint = nonNeg() }
        multiHeadAttention(2, 4) { name = "multi_head_attention"; kernelConstraint = maxNorm(2) }
        flatten { name = "flatten" }
        reshape(4, 2) { name = "reshape" }
        dropout(0.5) { name = "dropout" }
        activation("relu") { name = "activation" }
        maxPooling1d { name = "max_pooling1d" }
        maxPooling2d { name = "max_pooling2d" }
        maxPooling3d { name = "max_pooling3d" }
        averagePooling1d(2) { name = "average_pooling1d" }
        averagePooling2d(2) { name = "average_pooling2d" }
        averagePooling3d(2) { name = "average_pooling3d" }
        for (rank in 1..3) globalAveragePooling(rank) { name = "global_average_pooling${rank}d" }
        for (rank in 1..3) globalMaxPooling(rank) { name = "global_max_pooling${rank}d" }
        concatenate { name = "concatenate" }
        add { name = "add" }
    }
    val built = (model.model.getValue("config").jsonObject.getValue("layers") as JsonArray)
        .associateBy { it.jsonObject.getValue("config").jsonObject.getValue("name").toString().trim('"') }

    test("every layer class the DSL builds is covered here") {
        (built.keys + "input_layer") shouldBe expectedLayers.keys
    }

    for ((name, expected) in expectedLayers) {
        if (name == "input_layer") continue
        test("$name matches Keras 3.15.1") {
            assertSameJson(expected, built.getValue(name))
        }
    }

    test("input() writes Keras' InputLayer") {
        val inputModel = sequential { input(8) }
        val layer = (inputModel.model.getValue("config").jsonObject.getValue("layers") as JsonArray)[0]
        assertSameJson(expectedLayers.getValue("input_layer"), layer)
    }

    test("initializer and regularizer factories match Keras 3.15.1") {
        val ours: Map<String, JsonElement> = mapOf(
            "glorot_uniform" to glorotUniform(), "glorot_normal" to glorotNormal(), "he_uniform" to heUniform(),
            "he_normal" to heNormal(seed = 7), "lecun_uniform" to lecunUniform(), "lecun_normal" to lecunNormal(),
            "variance_scaling" to varianceScaling(), "random_uniform" to randomUniform(),
            "random_normal" to randomNormal(), "truncated_normal" to truncatedNormal(), "orthogonal" to orthogonal(),
            "zeros" to zeros(), "ones" to ones(), "constant" to constant(), "l1" to l1(), "l2" to l2(),
            "l1l2" to l1l2(), "orthogonal_regularizer" to orthogonalRegularizer(),
        ).mapValues { (_, v) -> v.toJson() }
        ours.keys shouldBe expectedObjects.keys
        for ((name, expected) in expectedObjects) assertSameJson(expected, ours.getValue(name), "$name")
    }
})

private fun JsonObject.getValue(key: String): JsonElement = get(key) ?: throw AssertionError("no key $key in $this")
