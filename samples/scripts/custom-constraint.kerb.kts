// The Keras docs' custom constraint ("Creating custom weight constraints"): centers the weights around ref_value.
// It is declared under its Keras name, resolved for this model only (Keras' custom_object_scope), and a model
// using it goes to JSON and back.
println("3. A custom constraint for one model (custom-constraint.kerb.kts)")
data class CenterAround(val refValue: Double) : Constraint {
    override fun apply(weights: Tensor, options: ApplyOptions) {
        val shift = refValue - (0 until weights.size()).sumOf { weights.get(it) } / weights.size()
        for (i in 0 until weights.size()) weights.set(i, weights.get(i) + shift)
    }

    override fun getConfig(): Map<String, Any> = mapOf("ref_value" to refValue)
}

val centerAround = constraintType("CenterAround") { CenterAround(number("ref_value", 0.0).toDouble()) }
val registry = ConstraintRegistry.defaultRegistry().with(centerAround)
val model = sequential("centered", registry) {
    input(16)
    dense(8) { kernelConstraint = constraint("Custom>CenterAround", "ref_value" to 0.5) }
}
val back = ModelSpec.parse(model.toJson(), registry)
println("kernel_constraint as Keras 3 writes it: " + back.layer("dense").config.getValue("kernel_constraint"))
println("read back as ${back.constraints().single().constraint} (round trip equal: ${back == model})")
back
