package dev.kerb.model.catalog

import dev.kerb.model.ModelSpec
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject

/**
 * EinsumDense's variables when its input shapes are not known, as Weights.read and the variable layout ask for them:
 * a bias over an axis the input shares with the output (`abc,cd->abd` with `bias_axes="bd"`, Keras 3.15.1 gives
 * kernel (5, 4) and bias (3, 4) on inputs (None, 3, 5)) is listed with the kernel, not dropped.
 */
class EinsumDenseWeightsTest : FunSpec({
    val config = Json.parseToJsonElement("""{"name": "einsum_dense", "equation": "abc,cd->abd",
        "output_shape": [3, 4], "bias_axes": "bd"}""").jsonObject

    test("without input shapes, the catalog lists the kernel and the bias over the shared axis") {
        val variables = LayerCatalog.variables("EinsumDense", config)!!.map { (path, v) -> path to v.shape }
        variables shouldContainExactly listOf("kernel" to listOf(null, 4), "bias" to listOf(3, 4))
    }

    test("a model of such an EinsumDense lays out and initializes both of its variables") {
        val spec = ModelSpec.parse("""{"class_name": "Sequential", "config": {"name": "s", "layers": [
            {"class_name": "InputLayer", "config": {"batch_shape": [null, 3, 5]}},
            {"class_name": "EinsumDense", "config": $config}]}}""")
        val weights = spec.initialWeights(0)
        weights.names shouldContainExactly listOf("einsum_dense/kernel", "einsum_dense/bias")
        weights["einsum_dense/kernel"].shape().dims().toList() shouldBe listOf(5, 4)
        weights["einsum_dense/bias"].shape().dims().toList() shouldBe listOf(3, 4)
    }

    test("a known input dimension that differs from the output's is still Keras' error") {
        val misfit = shouldThrow<ShapeMisfit> { analyzeEinsum("abc,cd->abd", "bd", listOf(null, 2, 5), listOf(3, 4)) }
        misfit.message shouldBe "Input shape and output shape do not match at shared dimension 'b'. " +
            "Input shape is 2, and output shape is 3."
    }
})
