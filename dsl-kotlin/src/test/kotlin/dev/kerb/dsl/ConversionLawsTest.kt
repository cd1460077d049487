package dev.kerb.dsl

import dev.kerb.core.Constraint
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import dev.kerb.model.assertSameJson
import dev.kerb.model.to
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.property.Arb
import io.kotest.property.arbitrary.arbitrary
import io.kotest.property.arbitrary.boolean
import io.kotest.property.arbitrary.element
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.list
import io.kotest.property.arbitrary.numericDouble
import io.kotest.property.arbitrary.orNull
import io.kotest.property.checkAll

/** Keras 2 -> Keras 3 -> Keras 2 is the identity on random models built with the DSL (kotest-property). */
class ConversionLawsTest : FunSpec({
    val constraint: Arb<Constraint?> = Arb.element(
        maxNorm(), maxNorm(1.5, 1), minMaxNorm(0.5, 2.0, 0.7), unitNorm(), unitNorm(listOf(0)), nonNeg(),
    ).orNull(0.4)
    val activation = Arb.element("linear", "relu", "tanh", "softmax")

    /** One dense block: a Dense layer with random constraints, then maybe dropout, normalization or activation. */
    fun ModelBuilder.block(units: Int, kernel: Constraint?, bias: Constraint?, extra: Int, act: String) {
        dense(units, activation = act) { kernelConstraint = kernel; biasConstraint = bias }
        when (extra) {
            1 -> dropout(0.25)
            2 -> batchNormalization { betaConstraint = bias; gammaConstraint = kernel?.let { nonNeg() } }
            3 -> layerNormalization()
            4 -> activation(act)
            else -> {}
        }
    }

    val sequentialModel = arbitrary {
        val layers = Arb.list(Arb.int(1..16), 1..5).bind()
        sequential("random") {
            input(Arb.int(1..32).bind())
            for (units in layers) {
                block(units, constraint.bind(), constraint.bind(), Arb.int(0..4).bind(), activation.bind())
            }
        }
    }

    val functionalModel = arbitrary {
        val merge = Arb.boolean().bind()
        val width = Arb.int(1..8).bind()
        val kernel = constraint.bind()
        val rate = Arb.numericDouble(0.0, 0.9).bind()
        val bias = constraint.bind()
        functional("towers") {
            val a = input(Arb.int(1..8).bind(), name = "a")
            val b = input(Arb.int(1..8).bind(), name = "b")
            val shared = dense(width) { kernelConstraint = kernel }
            val left = shared(dense(width)(a))
            val right = dropout(rate)(shared(dense(width)(b)))
            val merged = if (merge) concatenate()(listOf(left, right)) else add()(listOf(left, right))
            output(dense(1) { biasConstraint = bias }(merged), left)
        }
    }

    for ((kind, models) in listOf("Sequential" to sequentialModel, "Functional" to functionalModel)) {
        test("$kind: Keras 2 -> Keras 3 -> Keras 2 gives back the same Keras 2 config, without warnings") {
            checkAll(60, models) { model: ModelSpec ->
                val (keras2, warnings) = model.convert(ModelFormat.KERAS_2)
                warnings.shouldBeEmpty()
                val back = keras2.to(ModelFormat.KERAS_3).to(ModelFormat.KERAS_2)
                assertSameJson(keras2.model, back.model)
            }
        }
    }
})
