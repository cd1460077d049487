package dev.kerb.dsl

import dev.kerb.model.ModelSpec
import dev.kerb.model.weights.WeightsFile
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path

/**
 * Every DSL layer, Normalization, and Sequential, Functional, shared-layer and nested models, written with initial weights as
 * `.keras` and `.h5` into `target/kerb-written`: Kerb reads each back bit for bit here, and `.ci/check-keras` has
 * Keras 3.15.1 load, predict with and train on each (`crosscheck/check_written.py`).
 */
class WrittenModelsTest : FunSpec({
    val out = Files.createDirectories(Path.of(System.getProperty("kerb.written.dir") ?: "target/kerb-written"))

    fun one(name: String, vararg shape: Int, dtype: String = "float32", layer: ModelBuilder.() -> Unit) =
        name to sequential(name) { input(*shape, dtype = dtype); layer() }

    val models = listOf(
        one("dense", 8) { dense(4, activation = "relu") { kernelConstraint = maxNorm(2.0) } },
        one("einsum_dense", 7) { einsumDense("ab,bc->ac", listOf(4)) { biasAxes = "c" } },
        one("embedding", 6, dtype = "int32") { embedding(10, 4) { embeddingsConstraint = unitNorm(axis = 1) } },
        one("conv1d", 10, 3) { conv1d(4, 3) },
        one("conv2d", 8, 8, 3) { conv2d(4, 3) { kernelConstraint = unitNorm(axis = listOf(0, 1, 2)) } },
        one("conv3d", 6, 6, 6, 2) { conv3d(2, 2) },
        one("conv1d_transpose", 10, 3) { conv1dTranspose(4, 3) },
        one("conv2d_transpose", 6, 6, 3) { conv2dTranspose(4, 3) },
        one("conv3d_transpose", 4, 4, 4, 2) { conv3dTranspose(2, 2) },
        one("depthwise_conv1d", 10, 3) { depthwiseConv1d(3) },
        one("depthwise_conv2d", 8, 8, 3) { depthwiseConv2d(3) { depthwiseConstraint = maxNorm(1.0) } },
        one("separable_conv1d", 10, 3) { separableConv1d(4, 3) },
        one("separable_conv2d", 8, 8, 3) { separableConv2d(4, 3) { pointwiseConstraint = maxNorm(2) } },
        one("simple_rnn", 5, 3) { simpleRnn(4) },
        one("lstm", 5, 3) { lstm(4) { returnSequences = true }; lstm(3) },
        one("gru", 5, 3) { gru(4) },
        one("conv_lstm1d", 4, 8, 3) { convLstm1d(2, 3) },
        one("conv_lstm2d", 3, 6, 6, 2) { convLstm2d(2, 3) },
        one("bidirectional", 5, 3) { bidirectional { lstm(3) { kernelConstraint = maxNorm(3) } } },
        one("normalization", 8) { batchNormalization(); layerNormalization(); groupNormalization(2); prelu() },
        one("no_weights", 8, 8, 2) {
            maxPooling2d(); averagePooling2d(2); flatten(); dropout(0.5); activation("relu"); reshape(4, 2)
            globalAveragePooling(1); dense(2)
        },
        "attention" to functional("attention") {
            val x = input(5, 8, name = "x")
            output(multiHeadAttention(2, 4) { kernelConstraint = maxNorm(2) }(x, x))
        },
        "towers" to functional("towers") {
            val a = input(8, name = "a")
            val b = input(4, name = "b")
            val shared = dense(4) { name = "shared"; kernelConstraint = maxNorm(3) }
            val h = shared(a)
            val twice = shared(dense(8) { name = "widen" }(b))
            val cat = concatenate { name = "cat" }(listOf(h, twice, b))
            output(dense(1) { name = "out" }(cat), add { name = "sum" }(listOf(h, twice)))
        },
        // Keras keeps Normalization's count as int32 whatever the layer's dtype.
        "preprocessing" to ModelSpec.parse("""{"class_name": "Sequential", "config": {"name": "preprocessing", "layers": [
            {"class_name": "InputLayer", "config": {"batch_shape": [null, 4]}},
            {"class_name": "Normalization", "config": {"name": "norm", "axis": -1}},
            {"class_name": "Dense", "config": {"name": "d", "units": 2}}]}}"""),
        // Keras' own nested model (weights/keras3.15.1/make_fixtures.py): a Functional model inside one.
        "nested" to ModelSpec.read(Path.of("../model/src/test/resources/weights/keras3.15.1/nested_model.keras")),
    )

    for ((name, spec) in models) {
        for (extension in listOf("keras", "h5")) {
            test("$name.$extension reads back bit for bit") {
                val file = out.resolve("$name.$extension")
                val weights = spec.initialWeights(11)
                spec.write(file, weights)
                WeightsFile.open(file).use { written ->
                    written.weights.map { it.name } shouldBe weights.names
                    for (variable in weights.names) withClue(variable) {
                        if (variable == "norm/count") {
                            written.weight(variable).dtype shouldBe "Integer" // jHDF's type for an int32 scalar
                            return@withClue
                        }
                        val (read, drawn) = written.read(variable) to weights[variable]
                        List(read.size()) { read.get(it) } shouldBe List(drawn.size()) { drawn.get(it) }
                    }
                }
                ModelSpec.read(file).summary().toText().isNotEmpty() shouldBe true
            }
        }
    }
})
