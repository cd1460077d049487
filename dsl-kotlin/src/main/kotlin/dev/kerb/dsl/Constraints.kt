package dev.kerb.dsl

import dev.kerb.core.Axis
import dev.kerb.core.Constraint
import dev.kerb.core.MaxNorm
import dev.kerb.core.MinMaxNorm
import dev.kerb.core.NonNeg
import dev.kerb.core.RadialConstraint
import dev.kerb.core.UnitNorm
import dev.kerb.core.thirdparty.Clip
import dev.kerb.core.thirdparty.WeightClip
import dev.kerb.core.thirdparty.ZeroSomeWeights
import dev.kerb.registry.ConstraintRegistry

// Constraint factories with Keras' names and defaults. Numbers keep their type: maxNorm() writes the int 2 as Keras
// does, maxNorm(2.0) writes 2.0. An axis is an Int, a List<Int> (a list stays a list in the config) or an Axis, so
// that a constraint can be rebuilt with another's axis: maxNorm(1.5, axis = old.axis).

/** Returns Keras `MaxNorm(max_value, axis)`. @throws IllegalArgumentException if `maxValue` is not finite */
public fun maxNorm(maxValue: Number = 2, axis: Int = 0): MaxNorm = MaxNorm(maxValue, Axis.of(axis))

/** Returns Keras `MaxNorm(max_value, axis)` over several axes. @throws IllegalArgumentException if not finite */
public fun maxNorm(maxValue: Number = 2, axis: List<Int>): MaxNorm = MaxNorm(maxValue, Axis.list(axis))

/** Returns Keras `MaxNorm(max_value, axis)` over an [Axis]. @throws IllegalArgumentException if not finite */
public fun maxNorm(maxValue: Number = 2, axis: Axis): MaxNorm = MaxNorm(maxValue, axis)

/** Returns Keras `MinMaxNorm(min_value, max_value, rate, axis)`. @throws IllegalArgumentException if not finite */
public fun minMaxNorm(minValue: Number = 0.0, maxValue: Number = 1.0, rate: Number = 1.0, axis: Int = 0): MinMaxNorm =
    MinMaxNorm(minValue, maxValue, rate, Axis.of(axis))

/** Returns Keras `MinMaxNorm` over several axes. @throws IllegalArgumentException if a value is not finite */
public fun minMaxNorm(minValue: Number = 0.0, maxValue: Number = 1.0, rate: Number = 1.0, axis: List<Int>): MinMaxNorm =
    MinMaxNorm(minValue, maxValue, rate, Axis.list(axis))

/** Returns Keras `MinMaxNorm` over an [Axis]. @throws IllegalArgumentException if a value is not finite */
public fun minMaxNorm(minValue: Number = 0.0, maxValue: Number = 1.0, rate: Number = 1.0, axis: Axis): MinMaxNorm =
    MinMaxNorm(minValue, maxValue, rate, axis)

/** Returns Keras `NonNeg()`. */
public fun nonNeg(): NonNeg = NonNeg.INSTANCE

/** Returns Keras `UnitNorm(axis)`. */
public fun unitNorm(axis: Int = 0): UnitNorm = UnitNorm(Axis.of(axis))

/** Returns Keras `UnitNorm(axis)` over several axes, e.g. `unitNorm(axis = listOf(0, 1, 2))` for Conv2D kernels. */
public fun unitNorm(axis: List<Int>): UnitNorm = UnitNorm(Axis.list(axis))

/** Returns Keras `UnitNorm(axis)` over an [Axis]. */
public fun unitNorm(axis: Axis): UnitNorm = UnitNorm(axis)

/** Returns tf.keras' `RadialConstraint()`, for square rank-4 Conv2D kernels. */
public fun radialConstraint(): RadialConstraint = RadialConstraint.INSTANCE

/** Returns QKeras' `Clip(min_value, max_value)` (`qkeras>Clip`). @throws IllegalArgumentException if not finite */
public fun clip(minValue: Number = 0.0, maxValue: Number = 1.0): Clip = Clip(minValue, maxValue)

/** Returns larq's `weight_clip(clip_value)`. @throws IllegalArgumentException if `clipValue` is not finite */
public fun weightClip(clipValue: Number = 1): WeightClip = WeightClip(clipValue)

/** Returns hls4ml's `ZeroSomeWeights(binary_tensor)`, a fixed 0/1 mask. @throws IllegalArgumentException if ragged */
public fun zeroSomeWeights(binaryTensor: List<*>?): ZeroSomeWeights = ZeroSomeWeights(binaryTensor)

/**
 * Returns any registered constraint by name and config, e.g. `constraint("Custom>CenterAround", "ref_value" to 1.0)`.
 *
 * @throws dev.kerb.registry.ConfigException if the name is not registered or the config does not fit it
 */
public fun constraint(
    name: String,
    vararg config: Pair<String, Any?>,
    registry: ConstraintRegistry = ConstraintRegistry.defaultRegistry(),
): Constraint = registry.fromConfig(name, mapOf(*config))
