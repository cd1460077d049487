package dev.kerb.dsl

import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.model.ModelFormat
import dev.kerb.model.assertSameJson
import dev.kerb.model.to
import dev.kerb.model.withoutShapes
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.JsonObject
import kotlin.math.sqrt

/** Models built with the DSL, converted between generations and applied to weights through the model layer. */
class DslModelSpecTest : FunSpec({
    test("a Functional model goes to Keras 2 and back to the same Keras 3 config") {
        val model = DslSamples.towers()
        val back = model.to(ModelFormat.KERAS_2).to(ModelFormat.KERAS_3)
        // Keras 2 keeps tensor shapes on inputs only (Keras 3 recomputes the others when it loads the model) and
        // has no quantization_config (null in Keras 3.15, so dropped); everything else comes back as it was.
        assertSameJson(withoutShapes(model.model), withoutShapes(back.model))
        val cat = back.layer("cat")
        (back.model.getValue("config") as JsonObject)["input_layers"].toString() shouldBe """[["a",0,0],["b",0,0]]"""
        cat.className shouldBe "Concatenate"
    }

    test("a model of Keras classes converts without warnings") {
        DslSamples.mlp().convert(ModelFormat.KERAS_2).warnings.shouldBeEmpty()
        DslSamples.towers().convert(ModelFormat.KERAS_2).warnings.shouldBeEmpty()
    }

    test("constraints apply to named weights, wrappers and attention sublayers included") {
        val model = functional {
            val x = input(5, 3)
            val seq = bidirectional { name = "bi"; lstm(2) { returnSequences = true; kernelConstraint = maxNorm(1.0) } }(x)
            val att = multiHeadAttention(1, 2) { name = "mha"; kernelConstraint = unitNorm() }(seq, seq)
            output(dense(1) { name = "head"; biasConstraint = nonNeg() }(att))
        }
        val kernel = DoubleArray(3 * 8) { (it % 5) - 2.0 }
        val original = kernel.copyOf()
        val weights = mapOf(
            "bi/forward_lstm/lstm_cell/kernel" to Tensor.of(kernel, Shape.of(3, 8)),
            "mha/query/kernel" to Tensor.of(DoubleArray(4 * 2) { 3.0 }, Shape.of(4, 1, 2)),
            "mha/attention_output/kernel" to Tensor.of(DoubleArray(2 * 4) { 2.0 }, Shape.of(1, 2, 4)),
            "head/bias:0" to Tensor.of(doubleArrayOf(-1.0), Shape.of(1)),
            "head/kernel:0" to Tensor.of(doubleArrayOf(-1.0, 5.0, 7.0, 9.0), Shape.of(4, 1)),
        )
        val applied = model.applyConstraints(weights)
        applied.associate { "${it.constraint.layer} ${it.constraint.key}" to it.weights } shouldBe mapOf(
            "bi/forward_lstm kernel_constraint" to listOf("bi/forward_lstm/lstm_cell/kernel"),
            "bi/backward_lstm kernel_constraint" to emptyList(),
            "mha kernel_constraint" to listOf("mha/query/kernel", "mha/attention_output/kernel"),
            "head bias_constraint" to listOf("head/bias:0"),
        )
        for (column in 0 until 8) { // Keras 3 MaxNorm(1.0): w * clip(n, 0, 1) / (1e-7 + n), n the column's norm
            val n = sqrt((0 until 3).sumOf { original[it * 8 + column] * original[it * 8 + column] })
            for (row in 0 until 3) {
                val i = row * 8 + column
                kernel[i] shouldBe (original[i] * minOf(n, 1.0) / (1e-7 + n) plusOrMinus 1e-12)
            }
        }
        weights.getValue("head/bias:0").get(0) shouldBe 0.0
        weights.getValue("head/kernel:0").get(0) shouldBe -1.0 // no kernel constraint on head
    }

    test("a shape the constraint rejects changes no weight at all") {
        val model = sequential { dense(2) { name = "d"; kernelConstraint = maxNorm(1.0, axis = 1); biasConstraint = nonNeg() } }
        val bias = doubleArrayOf(-1.0, -2.0)
        val kernel = doubleArrayOf(3.0, 4.0)
        val e = shouldThrow<IllegalArgumentException> {
            model.applyConstraints(mapOf("d/bias" to Tensor.of(bias, Shape.of(2)), "d/kernel" to Tensor.of(kernel, Shape.of(2))))
        }
        e.message shouldBe "cannot apply kernel_constraint of layer 'd' to weight 'd/kernel': axis 1 is out of range " +
            "for rank 1 (shape [2]); expected an axis in [-1, 1)"
        bias.toList() shouldBe listOf(-1.0, -2.0)
        kernel.toList() shouldBe listOf(3.0, 4.0)
    }
})
