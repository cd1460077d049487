package dev.kerb.model

import dev.kerb.core.Axis
import dev.kerb.core.MaxNorm
import dev.kerb.testdata.KerasCorpus
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** Keras 1 and TF.js models convert to today's Keras 2 and Keras 3 shapes. */
class LegacyConversionTest : FunSpec({

    test("Keras 1 becomes the Keras 2 file Keras 2 itself wrote for the same model") {
        val conversion = ModelSpec.read(KerasCorpus.file("dl4j-keras1-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json"))
            .convert(ModelFormat.KERAS_2)
        conversion.warnings.shouldBeEmpty() // every Keras 1 key in this file has a Keras 2 name
        val real = ModelSpec.read(KerasCorpus.file("dl4j-keras2-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json"))
        val layers = conversion.spec.layers()
        layers.map { it.className } shouldBe real.layers().map { it.className }
        for ((ours, theirs) in layers.zip(real.layers())) {
            for (key in listOf("units", "rate", "activation", "use_bias", "kernel_constraint", "bias_constraint",
                    "batch_input_shape", "trainable")) {
                theirs.config[key]?.let { assertSameJson(it, ours.config.getValue(key), "${ours.path}.$key", keyOrder = false) }
            }
        }
    }


    test("Keras 1 keys Keras 2 has no name for are kept, with one warning line each") {
        val keras1 = """{"class_name": "Sequential", "keras_version": "1.2.2", "config": [
            {"class_name": "Convolution2D", "config": {"name": "c", "nb_filter": 8, "nb_row": 3, "nb_col": 5,
              "dim_ordering": "th", "border_mode": "same", "W_constraint": {"name": "MaxNorm", "m": 2, "axis": [0, 1, 2]},
              "W_learning_rate_multiplier": 0.5}},
            {"class_name": "BatchNormalization", "config": {"name": "bn", "mode": 0, "W_learning_rate_multiplier": 1}}]}"""
        val unmapped = listOf(
            "Keras 1 key 'W_learning_rate_multiplier' has no Keras 2 equivalent (layer c, bn); kept as it is",
            "Keras 1 key 'mode' has no Keras 2 equivalent (layer bn); kept as it is",
        )
        val keras2 = ModelSpec.parse(keras1).convert(ModelFormat.KERAS_2)
        keras2.warnings shouldBe unmapped
        keras2.spec.layer("c").config["W_learning_rate_multiplier"] shouldBe JsonPrimitive(0.5)
        // Keras 3's Conv2D and BatchNormalization would refuse them, so a Keras 3 file goes without.
        val conversion = ModelSpec.parse(keras1).convert(ModelFormat.KERAS_3)
        conversion.warnings shouldBe unmapped + listOf(
            "key 'W_learning_rate_multiplier' of Conv2D is not a Keras 3 argument (in c); dropped",
            "key 'mode' of BatchNormalization is not a Keras 3 argument (in bn); dropped",
            "key 'W_learning_rate_multiplier' of BatchNormalization is not a Keras 3 argument (in bn); dropped",
        )
        val conv = conversion.spec.layer("c")
        conv.className shouldBe "Conv2D"
        conv.config["filters"] shouldBe JsonPrimitive(8)
        conv.config["kernel_size"].toString() shouldBe "[3,5]"
        conv.config["data_format"] shouldBe JsonPrimitive("channels_first")
        conv.config["W_learning_rate_multiplier"] shouldBe null
        conv.config["kernel_constraint"].toString() shouldBe """{"module":"keras.constraints","class_name":"MaxNorm",""" +
            """"config":{"max_value":2,"axis":[0,1,2]},"registered_name":null}"""
        conversion.spec.constraints().single().constraint shouldBe MaxNorm(2, Axis.list(0, 1, 2))
    }


    test("a TF.js model.json converts to Keras 3 and Keras 2 with its constraints") {
        val tfjs = ModelSpec.parse("""{"format": "layers-model", "generatedBy": "TensorFlow.js tfjs-layers v4.22.0",
            "modelTopology": {"keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js",
              "model_config": {"class_name": "Sequential", "config": {"name": "s", "layers": [
                {"class_name": "Dense", "config": {"units": 3, "activation": "linear", "use_bias": true,
                  "kernel_initializer": {"class_name": "VarianceScaling",
                    "config": {"scale": 1, "mode": "fan_avg", "distribution": "normal", "seed": null}},
                  "kernel_constraint": {"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}},
                  "bias_constraint": {"class_name": "NonNeg", "config": {}},
                  "name": "d", "trainable": true, "batch_input_shape": [null, 4], "dtype": "float32"}}]}}},
            "weightsManifest": []}""")
        tfjs.format shouldBe ModelFormat.TFJS
        val keras3 = tfjs.to(ModelFormat.KERAS_3)
        keras3.layers().map { it.className } shouldBe listOf("InputLayer", "Dense")
        keras3.layer("d_input").config["batch_shape"].toString() shouldBe "[null,4]"
        // Keras 3's VarianceScaling knows "normal" only by its Keras 2 meaning, "truncated_normal".
        ((keras3.layer("d").config.getValue("kernel_initializer") as JsonObject)["config"] as JsonObject)["distribution"] shouldBe
            JsonPrimitive("truncated_normal")
        val keras2 = tfjs.to(ModelFormat.KERAS_2)
        keras2.model["keras_version"] shouldBe JsonPrimitive("tfjs-layers 4.22.0")
        for (spec in listOf(keras3, keras2)) {
            spec.constraints().map { it.key to it.constraint.toString() } shouldBe
                listOf("kernel_constraint" to "MaxNorm(max_value=2, axis=0)", "bias_constraint" to "NonNeg()")
        }
    }

})
