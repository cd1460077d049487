package dev.kerb.samples

import dev.kerb.core.Axis
import dev.kerb.core.MinMaxNorm
import dev.kerb.core.Shape
import dev.kerb.dsl.unitNorm
import dev.kerb.model.constraintFromJson
import dev.kerb.model.constraintToJson
import dev.kerb.registry.ConstraintRegistry
import kotlin.math.sqrt

/** The README's Kotlin example: load a constraint from Keras JSON, apply it, and write it back. */
public fun main() {
    val registry = ConstraintRegistry.defaultRegistry()

    // A constraint exactly as a Keras 3 model config stores it.
    val json = """{"module": "keras.constraints", "class_name": "UnitNorm",
        "config": {"axis": [0, 1, 2]}, "registered_name": null}"""
    val unitNorm = registry.constraintFromJson(json)!!
    println("Loaded: $unitNorm")

    // A 3x3 Conv2D kernel with 2 input and 4 output channels: one norm per output channel.
    val shape = Shape.of(3, 3, 2, 4)
    val kernel = DoubleArray(shape.size()) { (it % 7) - 3.0 }
    unitNorm.apply(kernel, shape)
    val norms = (0 until 4).map { out -> sqrt((out until kernel.size step 4).sumOf { kernel[it] * kernel[it] }) }
    println("Output-channel norms: " + norms.joinToString { "%.6f".format(it) })

    // Writing keeps Keras' types: ints stay ints, a list axis stays a list.
    val soft = MinMaxNorm(0.5, 1.0, 0.5, Axis.list(0, 1, 2))
    println("As Keras 3 JSON: " + registry.constraintToJson(soft))
}
