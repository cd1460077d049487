package dev.kerb.dsl

import dev.kerb.core.ApplyOptions
import dev.kerb.core.Constraint
import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.model.io.KerasJson
import dev.kerb.registry.ConfigException
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.registry.ConstraintFormat
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/** The Keras docs' `CenterAround`: `w - mean(w) + ref_value` (keras.io, "Creating custom weight constraints"). */
data class CenterAround(val refValue: Double) : Constraint {
    override fun apply(weights: Tensor, options: ApplyOptions) {
        val shift = refValue - (0 until weights.size()).sumOf { weights.get(it) } / weights.size()
        for (i in 0 until weights.size()) weights.set(i, weights.get(i) + shift)
    }

    override fun getConfig(): Map<String, Any> = mapOf("ref_value" to refValue)
}

class RegistrationTest : FunSpec({
    test("a Kotlin constraint registers under Custom>Name and round-trips through every format") {
        val registry = ConstraintRegistry.create()
        val type = registry.registerConstraint("CenterAround") { CenterAround(number("ref_value", 0.0).toDouble()) }
        type.registeredName() shouldBe "Custom>CenterAround"
        val json = """{"module": null, "class_name": "CenterAround", "config": {"ref_value": 0.5},
            "registered_name": "Custom>CenterAround"}"""
        val constraint = registry.get(KerasJson.parse(json))
        constraint shouldBe CenterAround(0.5)
        for (format in listOf(ConstraintFormat.KERAS_3, ConstraintFormat.KERAS_2, ConstraintFormat.TFJS_CAMEL_CASE)) {
            registry.deserialize(registry.serialize(constraint, format)) shouldBe constraint
        }
        val w = doubleArrayOf(1.0, 2.0, 6.0)
        constraint.apply(w, Shape.of(3))
        w.toList() shouldBe listOf(-1.5, -0.5, 3.5) // mean 3, ref_value 0.5
    }

    test("its factory is strict like the built-ins") {
        val registry = ConstraintRegistry.create()
        registry.registerConstraint("CenterAround", packageName = "my_lab") {
            CenterAround(number("ref_value", 0.0).toDouble())
        }
        shouldThrow<ConfigException> {
            registry.get(mapOf("class_name" to "my_lab>CenterAround", "config" to mapOf("ref" to 1)))
        }.message shouldBe "CenterAround config has unknown key 'ref' (value 1); expected only ref_value"
        shouldThrow<IllegalArgumentException> {
            registry.registerConstraint("CenterAround", packageName = "my_lab") { CenterAround(0.0) }
        }.message shouldContain "already registered"
    }
})
