package dev.kerb.dsl

import dev.kerb.core.Constraint
import dev.kerb.registry.ConfigReader
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.registry.ConstraintType

/**
 * Registers a custom constraint under Keras' registered name `packageName>name`, as
 * `@keras.saving.register_keras_serializable(package="Custom")` does in Python.
 *
 * ```
 * class CenterAround(val refValue: Double) : Constraint { ... }
 * ConstraintRegistry.defaultRegistry().registerConstraint("CenterAround") {
 *     CenterAround(number("ref_value", 0.0).toDouble())
 * }
 * ```
 *
 * @param name the class name written in configs
 * @param packageName the Keras package; Keras' default is `Custom`
 * @param factory builds the constraint from its config, reading each key it accepts
 * @return the registered entry
 * @throws IllegalArgumentException if the name or the class is already registered
 */
public inline fun <reified C : Constraint> ConstraintRegistry.registerConstraint(
    name: String,
    packageName: String = "Custom",
    noinline factory: ConfigReader.() -> C,
): ConstraintType<C> {
    val type = ConstraintType.custom(packageName, name, C::class.java) { reader -> reader.factory() }
    register(type)
    return type
}
