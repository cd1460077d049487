package dev.kerb.registry;

import dev.kerb.core.Axis;
import dev.kerb.core.Constraint;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.MinMaxNorm;
import dev.kerb.core.NonNeg;
import dev.kerb.core.RadialConstraint;
import dev.kerb.core.UnitNorm;
import dev.kerb.core.thirdparty.Clip;
import dev.kerb.core.thirdparty.WeightClip;
import dev.kerb.core.thirdparty.ZeroSomeWeights;
import java.util.List;

/**
 * The entries every registry starts with: the Keras built-ins and the third-party constraints found in real
 * configs. Names: Keras 3's {@code ALL_OBJECTS_DICT} (class names and snake_case), Keras 2's legacy aliases
 * ({@code maxnorm}, {@code nonneg}, {@code unitnorm}, {@code radial_constraint}) and TF.js' string ids
 * ({@code maxNorm}, ...). Defaults are Keras' ({@code keras/src/constraints/constraints.py}); Keras 1 keys are
 * from Keras 1.2.2 ({@code m}, {@code low}, {@code high}).
 */
final class Builtins {
    static final String MODULE = "keras.constraints";

    private Builtins() {
    }

    @SuppressWarnings("unchecked")
    static List<ConstraintType<?>> all() {
        var identity = (Class<Constraint>) Constraint.identity().getClass();
        return List.of(
                keras("Constraint", identity).aliases("constraint").factory(c -> Constraint.identity()).build(),
                keras("MaxNorm", MaxNorm.class).aliases("max_norm", "maxnorm", "maxNorm").keras1Key("m", "max_value")
                        .factory(c -> new MaxNorm(c.number("max_value", 2), c.axis("axis", Axis.of(0)))).build(),
                keras("MinMaxNorm", MinMaxNorm.class).aliases("min_max_norm", "minMaxNorm")
                        .keras1Key("low", "min_value").keras1Key("high", "max_value")
                        .factory(c -> new MinMaxNorm(c.number("min_value", 0.0), c.number("max_value", 1.0),
                                c.number("rate", 1.0), c.axis("axis", Axis.of(0)))).build(),
                keras("NonNeg", NonNeg.class).aliases("non_neg", "nonneg", "nonNeg").factory(c -> NonNeg.INSTANCE)
                        .build(),
                keras("UnitNorm", UnitNorm.class).aliases("unit_norm", "unitnorm", "unitNorm")
                        .factory(c -> new UnitNorm(c.axis("axis", Axis.of(0)))).build(),
                // tf.keras 2.x only: Keras 3 does not ship it, so in Keras 3 form it is a class Keras 3 finds by its
                // registered name in custom_objects, with no module.
                ConstraintType.builder("RadialConstraint", RadialConstraint.class).aliases("radial_constraint")
                        .factory(c -> RadialConstraint.INSTANCE).build(),
                // QKeras (qkeras/qlayers.py) and the hls4ml binary/ternary examples, which write plain "Clip".
                ConstraintType.builder("Clip", Clip.class).module("qkeras.qlayers").registeredName("qkeras>Clip")
                        .factory(c -> new Clip(c.number("min_value", 0.0), c.number("max_value", 1.0))).build(),
                // larq (larq/constraints.py) registers both WeightClip and its alias class weight_clip.
                ConstraintType.builder("weight_clip", WeightClip.class).module("larq.constraints")
                        .registeredName("weight_clip").aliases("WeightClip")
                        .factory(c -> new WeightClip(c.number("clip_value", 1))).build(),
                // hls4ml keras-training (models/constraints.py), an unregistered custom class.
                ConstraintType.builder("ZeroSomeWeights", ZeroSomeWeights.class).aliases("zero_some_weights")
                        .factory(c -> new ZeroSomeWeights(c.list("binary_tensor", null))).build());
    }

    private static <C extends Constraint> ConstraintType.Builder<C> keras(String name, Class<C> type) {
        return ConstraintType.builder(name, type).module(MODULE);
    }
}
