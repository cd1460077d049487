package dev.kerb.dsl

import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSummary
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.arbitrary.arbitrary
import io.kotest.property.arbitrary.boolean
import io.kotest.property.arbitrary.element
import io.kotest.property.arbitrary.int
import io.kotest.property.checkAll

/**
 * Laws of the inferred shapes on random DSL models (kotest-property): the parameter counts are those of Keras'
 * formulas (Dense `in * units + units`, Conv2D `k * k * in * filters + filters`, BatchNormalization four per
 * channel of which two train, LayerNormalization two), the total is the sum of the rows, and converting the model
 * to Keras 2 and back keeps every row's shape and count.
 */
class ShapeLawsTest : FunSpec({
    /** A random model with the counts Keras' formulas give it. */
    class Expected(val trainable: Long, val nonTrainable: Long, val output: List<Int?>)

    val models = arbitrary {
        var trainable = 0L
        var nonTrainable = 0L
        val height = Arb.int(6..12).bind()
        var shape = listOf<Int?>(null, height, height, Arb.int(1..4).bind())
        val convs = Arb.int(0..2).bind()
        val denses = Arb.int(1..3).bind()
        val spec = sequential("random") {
            input(*shape.drop(1).map { it!! }.toIntArray())
            repeat(convs) {
                val filters = Arb.int(1..6).bind()
                val size = Arb.int(1..3).bind()
                val stride = Arb.int(1..2).bind()
                // A valid window wider than the map is a misfit (ShapeMisfitTest); here it falls back to same padding.
                val same = Arb.boolean().bind() || shape[1]!! < size
                conv2d(filters, size) { padding = if (same) "same" else "valid"; strides = listOf(stride, stride) }
                trainable += (size * size * shape[3]!! * filters + filters).toLong()
                val side = if (same) (shape[1]!! + stride - 1) / stride else (shape[1]!! - size) / stride + 1
                shape = listOf(null, side, side, filters)
            }
            flatten()
            shape = listOf(null, shape.drop(1).fold(1) { a, b -> a * b!! })
            repeat(denses) {
                val units = Arb.int(1..16).bind()
                val bias = Arb.boolean().bind()
                dense(units) { useBias = bias }
                trainable += (shape[1]!! * units + if (bias) units else 0).toLong()
                shape = listOf(null, units)
                when (Arb.element("batch", "layer", "dropout", "none").bind()) {
                    "batch" -> batchNormalization().also { trainable += 2L * units; nonTrainable += 2L * units }
                    "layer" -> layerNormalization().also { trainable += 2L * units }
                    "dropout" -> dropout(0.5)
                    else -> {}
                }
            }
        }
        spec to Expected(trainable, nonTrainable, shape)
    }

    fun rows(summary: ModelSummary) = summary.layers.map { Triple(it.name, it.outputShapes, it.params) }

    test("parameter counts follow Keras' formulas and the total is the sum of the rows") {
        checkAll(80, models) { (spec, expected) ->
            val summary = spec.summary()
            withClue(summary.toText()) {
                summary.trainableParams shouldBe expected.trainable
                summary.nonTrainableParams shouldBe expected.nonTrainable
                summary.totalParams shouldBe summary.layers.sumOf { it.params!! }
                summary.layers.last().outputShapes shouldBe listOf(expected.output)
                summary.misfit shouldBe null
            }
        }
    }

    test("converting to Keras 2 and back keeps every shape and count") {
        checkAll(40, models) { (spec, _) ->
            val keras2 = spec.convert(ModelFormat.KERAS_2).spec
            rows(keras2.summary()) shouldBe rows(spec.summary())
            rows(keras2.convert(ModelFormat.KERAS_3).spec.summary()) shouldBe rows(spec.summary())
        }
    }
})
