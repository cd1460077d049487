@file:JvmName("ConstraintJson")

package dev.kerb.model

import dev.kerb.core.Constraint
import dev.kerb.model.io.KerasJson
import dev.kerb.registry.ConfigException
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.registry.ConstraintFormat

/**
 * Reads a constraint from Keras JSON text, as `keras.constraints.get` reads the value of a `*_constraint` key: a
 * name in quotes (`"max_norm"`), a dict in any Keras format, or `null`. Numbers keep their JSON type.
 *
 * ```
 * val unitNorm = registry.constraintFromJson("""{"class_name": "UnitNorm", "config": {"axis": [0, 1, 2]}}""")
 * ```
 *
 * From Java: `ConstraintJson.constraintFromJson(registry, text)`.
 *
 * @return the constraint, or null for JSON `null`
 * @throws ConfigException if the text is malformed JSON (with line and column), names no registered constraint, or
 *   holds a bad config value (naming the key and the value)
 */
public fun ConstraintRegistry.constraintFromJson(text: String): Constraint? = get(KerasJson.parse(text))

/**
 * Writes a constraint as Keras JSON text, in the dict shape of [format] (Keras 3 by default), as Keras stores it in a
 * model config.
 *
 * From Java: `ConstraintJson.constraintToJson(registry, constraint, ConstraintFormat.KERAS_3)`.
 *
 * @throws ConfigException if the constraint's type is not registered here
 */
@JvmOverloads
public fun ConstraintRegistry.constraintToJson(constraint: Constraint, format: ConstraintFormat = ConstraintFormat.KERAS_3):
    String = KerasJson.write(serialize(constraint, format))
