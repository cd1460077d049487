package dev.kerb.dsl

import dev.kerb.core.Axis
import dev.kerb.core.MaxNorm
import dev.kerb.core.MinMaxNorm
import dev.kerb.model.ModelSpec
import dev.kerb.registry.ConfigException
import dev.kerb.registry.ConstraintRegistry
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.optional.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import kotlinx.serialization.json.JsonPrimitive

/** What writing real scripts against the API asked for: common parameters, properties, scoped custom names. */
class ErgonomicsTest : FunSpec({
    test("every layer with an activation takes it as a parameter, as dense does") {
        val model = sequential {
            input(28, 28, 1)
            conv2d(32, kernelSize = 3, activation = "relu")
            separableConv2d(8, kernelSize = 3, activation = "elu")
            depthwiseConv2d(3, activation = "gelu")
            conv2dTranspose(4, kernelSize = 2, activation = "selu")
        }
        model.layers().drop(1).map { it.config.getValue("activation") } shouldBe
            listOf("relu", "elu", "gelu", "selu").map(::JsonPrimitive)
        sequential { input(5, 3); lstm(4, activation = "relu") }.layer("lstm").config.getValue("activation") shouldBe
            JsonPrimitive("relu")
        sequential { input(5, 3); conv1d(2, kernelSize = 1) }.layer("conv1d").config.getValue("activation") shouldBe
            JsonPrimitive("linear") // Keras' default, activation=None, written as "linear"
    }

    test("constraint parameters read as properties, and an axis carries over to a new constraint") {
        val old = MaxNorm(2.0, Axis.list(0, 1, 2))
        old.maxValue shouldBe 2.0
        maxNorm(1.5, axis = old.axis) shouldBe MaxNorm(1.5, Axis.list(0, 1, 2))
        val soft = MinMaxNorm(0.5, 1.0, 0.5, Axis.of(1))
        minMaxNorm(soft.minValue, soft.maxValue, 1.0, soft.axis) shouldBe MinMaxNorm(0.5, 1.0, 1.0, Axis.of(1))
        unitNorm(axis = soft.axis).axis shouldBe Axis.of(1)
    }

    test("a custom constraint resolves by name in the model's registry only") {
        val centerAround = constraintType("CenterAround") { CenterAround(number("ref_value", 0.0).toDouble()) }
        val scoped = ConstraintRegistry.defaultRegistry().with(centerAround)
        val model = sequential("centered", scoped) {
            input(4)
            dense(2) { kernelConstraint = constraint("Custom>CenterAround", "ref_value" to 0.5) }
        }
        model.constraints().single().constraint shouldBe CenterAround(0.5)
        ModelSpec.parse(model.toJson(), scoped) shouldBe model
        ConstraintRegistry.defaultRegistry().lookup("Custom>CenterAround").shouldBeEmpty()
        shouldThrow<ConfigException> {
            sequential { input(4); dense(2) { kernelConstraint = constraint("Custom>CenterAround") } }
        }.message shouldStartWith "Could not interpret constraint class_name 'Custom>CenterAround'"
    }
})
