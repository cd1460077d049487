package dev.kerb.dsl

import dev.kerb.core.Constraint
import dev.kerb.registry.ConfigReader
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.registry.ConstraintType

/**
 * Returns a registry entry for a custom constraint under Keras' registered name `packageName>name`, as
 * `@keras.saving.register_keras_serializable(package="Custom")` declares one in Python. Pass it to
 * [ConstraintRegistry.with] to resolve the name for one model or command only (Keras' `custom_object_scope`):
 *
 * ```
 * val centerAround = constraintType("CenterAround") { CenterAround(number("ref_value", 0.0).toDouble()) }
 * val spec = ModelSpec.read(path, ConstraintRegistry.defaultRegistry().with(centerAround))
 * ```
 *
 * @param name the class name written in configs
 * @param packageName the Keras package; Keras' default is `Custom`
 * @param factory builds the constraint from its config, reading each key it accepts
 */
public inline fun <reified C : Constraint> constraintType(
    name: String,
    packageName: String = "Custom",
    noinline factory: ConfigReader.() -> C,
): ConstraintType<C> = ConstraintType.custom(packageName, name, C::class.java) { reader -> reader.factory() }

/**
 * Registers a custom constraint in this registry under Keras' registered name `packageName>name`; see
 * [constraintType]. Every user of this registry sees the name from then on; prefer [ConstraintRegistry.with] to
 * scope it.
 *
 * ```
 * ConstraintRegistry.create().registerConstraint("CenterAround") { CenterAround(number("ref_value", 0.0).toDouble()) }
 * ```
 *
 * @return the registered entry
 * @throws IllegalArgumentException if the name or the class is already registered
 * @throws UnsupportedOperationException if this registry is immutable
 */
public inline fun <reified C : Constraint> ConstraintRegistry.registerConstraint(
    name: String,
    packageName: String = "Custom",
    noinline factory: ConfigReader.() -> C,
): ConstraintType<C> = constraintType(name, packageName, factory).also { register(it) }
