package dev.kerb.registry;

import dev.kerb.core.Axis;
import dev.kerb.core.Constraint;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.MinMaxNorm;
import dev.kerb.core.NonNeg;
import dev.kerb.core.RadialConstraint;
import dev.kerb.core.UnitNorm;
import java.util.List;

/**
 * The Keras built-ins: Keras 3's {@code ALL_OBJECTS_DICT} (class names and their snake_case forms) plus tf.keras'
 * {@code RadialConstraint}. Defaults are Keras' ({@code keras/src/constraints/constraints.py}).
 */
final class Builtins {
    static final String MODULE = "keras.constraints";

    private Builtins() {
    }

    static List<ConstraintType<?>> all() {
        return List.of(
                type("Constraint", "constraint", Constraint.identity().getClass(), c -> Constraint.identity()),
                type("MaxNorm", "max_norm", MaxNorm.class,
                        c -> new MaxNorm(c.number("max_value", 2), c.axis("axis", Axis.of(0)))),
                type("MinMaxNorm", "min_max_norm", MinMaxNorm.class,
                        c -> new MinMaxNorm(c.number("min_value", 0.0), c.number("max_value", 1.0),
                                c.number("rate", 1.0), c.axis("axis", Axis.of(0)))),
                type("NonNeg", "non_neg", NonNeg.class, c -> NonNeg.INSTANCE),
                type("UnitNorm", "unit_norm", UnitNorm.class,
                        c -> new UnitNorm(c.axis("axis", Axis.of(0)))),
                type("RadialConstraint", "radial_constraint", RadialConstraint.class, c -> RadialConstraint.INSTANCE));
    }

    @SuppressWarnings("unchecked")
    private static <C extends Constraint> ConstraintType<C> type(String name, String alias, Class<?> type,
            java.util.function.Function<ConfigReader, C> factory) {
        return new ConstraintType<>(name, MODULE, null, List.of(alias), (Class<C>) type, factory);
    }
}
