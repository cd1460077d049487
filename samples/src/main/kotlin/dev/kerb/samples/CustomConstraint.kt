package dev.kerb.samples

import dev.kerb.core.ApplyOptions
import dev.kerb.core.Constraint
import dev.kerb.core.Tensor
import dev.kerb.dsl.dense
import dev.kerb.dsl.constraintType
import dev.kerb.dsl.sequential
import dev.kerb.model.ModelSpec
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.registry.ConstraintType

/**
 * The Keras docs' custom constraint ("Creating custom weight constraints"): centers the weights around
 * `ref_value`, `w - mean(w) + ref_value`.
 */
public data class CenterAround(val refValue: Double) : Constraint {
    override fun apply(weights: Tensor, options: ApplyOptions) {
        val shift = refValue - (0 until weights.size()).sumOf { weights.get(it) } / weights.size()
        for (i in 0 until weights.size()) weights.set(i, weights.get(i) + shift)
    }

    override fun getConfig(): Map<String, Any> = mapOf("ref_value" to refValue)
}

/**
 * Sample 3: declare `CenterAround` under its Keras name from Kotlin, resolve it for one model only (Keras'
 * `custom_object_scope`), and round-trip a model that uses it.
 */
public object CustomConstraint {
    /** The registry entry for `Custom>CenterAround`. */
    public val TYPE: ConstraintType<CenterAround> =
        constraintType("CenterAround") { CenterAround(number("ref_value", 0.0).toDouble()) }

    /**
     * Builds, writes and reads back a model using the custom constraint, resolving its name in [base] plus [TYPE];
     * returns the model read back.
     */
    public fun run(base: ConstraintRegistry = ConstraintRegistry.defaultRegistry()): ModelSpec {
        val registry = base.with(TYPE)
        val model = sequential("centered", registry) {
            input(16)
            dense(8) { kernelConstraint = constraint("Custom>CenterAround", "ref_value" to 0.5) }
        }
        val json = model.toJson()
        val back = ModelSpec.parse(json, registry)
        val found = back.constraints().single()
        println("3. Resolved Custom>CenterAround for this model only; its kernel_constraint is written as")
        println("     " + back.layer("dense").config.getValue("kernel_constraint"))
        println("   and read back as ${found.constraint} (round trip equal: ${back == model})")
        return back
    }
}
