package dev.kerb.cli

import dev.kerb.dsl.constraint
import dev.kerb.dsl.layer
import dev.kerb.model.io.KerasJson
import dev.kerb.testdata.KerasCorpus
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/**
 * Every file in `testdata/keras-corpus` loads, and `kerb describe --json` finds exactly the constraints its
 * `SOURCES.md` lists: layer, layer class, key, constraint class and config (ints and floats as written).
 */
class KerasCorpusTest : FunSpec({
    // One row per constraint: "layer|layer class|key|constraint class|config JSON", in file order. Transcribed from
    // testdata/keras-corpus/SOURCES.md (numbers in brackets are its row numbers).
    val maxNorm2f = "MaxNorm|{\"max_value\": 2.0, \"axis\": 0}"
    val clipInt = "Clip|{\"min_value\": -1, \"max_value\": 1}"
    val eegnet = listOf("depthwise_conv2d|DepthwiseConv2D|depthwise_constraint|MaxNorm|{\"max_value\": 1.0, \"axis\": 0}",
        "dense|Dense|kernel_constraint|MaxNorm|{\"max_value\": 0.25, \"axis\": 0}")
    fun kernelAndBias(layer: String, cls: String, c: String) =
        listOf("$layer|$cls|kernel_constraint|$c", "$layer|$cls|bias_constraint|$c")
    fun zsw(layer: String, rows: Int, cols: Int) = "$layer|Dense|kernel_constraint|ZeroSomeWeights|${rows}x$cols"
    val qdense4 = listOf("fc1", "fc2", "fc3", "output").flatMap { kernelAndBias(it, "QDense", clipInt) }
    val expected: Map<String, List<String>> = mapOf(
        // [1] Keras 1.2.2: flat dicts with m/low/high under W_constraint/b_constraint.
        "dl4j-keras1-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json" to listOf(
            "dense_1|Dense|W_constraint|$maxNorm2f", "dense_2|Dense|b_constraint|NonNeg|{}",
            "dense_3|Dense|W_constraint|UnitNorm|{\"axis\": 0}",
            "dense_4|Dense|b_constraint|MinMaxNorm|{\"min_value\": 0.0, \"max_value\": 1.0, \"rate\": 1.0, \"axis\": 0}"),
        // [2] the same model saved by Keras 2.0.6.
        "dl4j-keras2-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json" to listOf(
            "dense_1|Dense|kernel_constraint|$maxNorm2f", "dense_2|Dense|bias_constraint|NonNeg|{}",
            "dense_3|Dense|kernel_constraint|UnitNorm|{\"axis\": 0}",
            "dense_4|Dense|bias_constraint|MinMaxNorm|{\"min_value\": 0.0, \"max_value\": 1.0, \"rate\": 1.0, \"axis\": 0}"),
        // [3]-[6] INNDiE, tf.keras 2.2.4: the .h5 files and their model_config attributes.
        "inndie-tfkeras2.2.4-dense-sequential-maxnorm" to listOf("dense_6|Dense|kernel_constraint|$maxNorm2f"),
        "inndie-tfkeras2.2.4-dense-sequential-minmaxnorm" to listOf("dense_7|Dense|kernel_constraint|MinMaxNorm|" +
            "{\"min_value\": 1.0, \"max_value\": 2.0, \"rate\": 3.0, \"axis\": 0}"),
        "inndie-tfkeras2.2.4-dense-sequential-nonneg" to listOf("dense_8|Dense|kernel_constraint|NonNeg|{}"),
        "inndie-tfkeras2.2.4-dense-sequential-unitnorm" to listOf("dense_9|Dense|kernel_constraint|UnitNorm|{\"axis\": 0}"),
        // [7] KotlinDL LeNet.
        "kotlindl-tfkeras2.2.4-lenet-sequential-maxnorm-kernel-bias.json" to kernelAndBias("dense_20", "Dense", maxNorm2f),
        // [8] Fabrik, integer max_value.
        "fabrik-keras2.0.8-separableconv2d-sequential-depthwise-pointwise-bias-maxnorm.json" to
            listOf("depthwise_constraint", "bias_constraint", "pointwise_constraint").map {
                "separable_conv2d_1|SeparableConv2D|$it|MaxNorm|{\"max_value\": 2, \"axis\": 0}"
            },
        // [9], [10] EEGNet as "Model" and as "Functional".
        "arl-eegmodels-eegnet-tfkeras2.1.6-functional-depthwise-maxnorm" to eegnet,
        "artigence-eegnet-tfkeras2.5-functional-depthwise-maxnorm" to eegnet,
        // [11]-[13] hls4ml BNN examples: custom Clip with int and float bounds.
        "hls4ml-keras2.0.5-binarydense-sequential-custom-clip.json" to
            listOf("fc1", "fc2", "fc3", "output").map { "$it|BinaryDense|kernel_constraint|$clipInt" },
        "hls4ml-keras2.0.5-ternarydense-sequential-custom-clip.json" to
            listOf("fc1", "fc2", "fc3", "output").map { "$it|TernaryDense|kernel_constraint|$clipInt" },
        "hls4ml-keras2.2.4-bnn-sequential-custom-clip-float.json" to listOf(2, 4, 6, 8).map {
            "binary_dense_$it|BinaryDense|kernel_constraint|Clip|{\"min_value\": -1.0, \"max_value\": 1.0}"
        },
        // [14]-[16], [19] QKeras under Keras 2.
        "hls4ml-qkeras-keras2.4-qdense-sequential-custom-clip-kernel-bias.json" to qdense4,
        "hls4ml-qkeras-keras2.4-qconv2d-cnn-sequential-custom-clip.json" to kernelAndBias("q_conv2d", "QConv2D", clipInt) +
            kernelAndBias("q_conv2d_1", "QConv2D", clipInt) + kernelAndBias("q_dense", "QDense", clipInt),
        "hls4ml-qkeras-keras2.4-qdense-functional-custom-clip.json" to
            kernelAndBias("q_dense_2", "QDense", clipInt) + kernelAndBias("q_dense_3", "QDense", clipInt),
        "hls4ml-qkeras-keras2.9-fashionmnist-sequential-custom-clip.json" to
            kernelAndBias("q_conv2d_batchnorm", "QConv2DBatchnorm", clipInt),
        // [17], [18] QKeras under Keras 3.14: registered qkeras>Clip with shared_object_id.
        "hls4ml-qkeras-keras3.14-qdense-sequential-registered-clip" to qdense4,
        // [20] hls4ml pruned model: ZeroSomeWeights masks as large as the kernels.
        "hls4ml-keras2.0.0-functional-dense-pruned-custom-zerosomeweights.json" to listOf(
            zsw("fc1_relu", 16, 64), zsw("fc2_relu", 64, 32), zsw("fc3_relu", 32, 32), zsw("output_softmax", 32, 5)),
        // [21] larq under Keras 2.15: snake_case class_name.
        "larq-pr863-keras2.15-quantdense-sequential-registered-weight_clip.model_config.json" to
            listOf("quant_dense", "quant_dense_1").map { "$it|QuantDense|kernel_constraint|weight_clip|{\"clip_value\": 1}" },
    )

    fun expectationFor(file: String): List<String> =
        expected.entries.singleOrNull { file == it.key || file.startsWith(it.key + ".") }?.value
            ?: error("no expectation for corpus file $file; add it from SOURCES.md")

    /** Renders a describe --json entry in the row notation above. */
    fun row(entry: Map<*, *>): String {
        val constraint = entry["constraint"] as Map<*, *>
        val config = constraint["config"] as Map<*, *>
        val mask = config["binary_tensor"] as? List<*>
        val shown = if (mask != null) "${mask.size}x${(mask[0] as List<*>).size}" else
            config.entries.joinToString(", ", "{", "}") { (k, v) -> "\"$k\": ${KerasJson.write(v)}" }
        return "${entry["layer"]}|${entry["layer_class"]}|${entry["key"]}|${constraint["class_name"]}|$shown"
    }

    val files = KerasCorpus.modelFiles()

    test("the corpus is there, with every file SOURCES.md describes") {
        files.size shouldBe 27
        expected.keys.forEach { key -> files.count { it == key || it.startsWith("$key.") } shouldBe
            if (key.endsWith(".json")) 1 else 2 }
    }

    for (file in files) {
        test("describe finds the constraints SOURCES.md lists in $file") {
            val (status, out, err) = kerb("describe", "--json", KerasCorpus.file(file).toString())
            err shouldBe ""
            status shouldBe 0
            val found = (KerasJson.parse(out) as List<*>).map { row(it as Map<*, *>) }
            found shouldBe expectationFor(file)
        }
    }
})
