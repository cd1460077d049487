package dev.kerb.registry;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.Constraint;
import dev.kerb.core.Tensor;
import java.util.List;
import java.util.Map;

/** A provider found through {@code META-INF/services} in the test classpath, as a plugin jar would ship it. */
public final class TestConstraintProvider implements ConstraintProvider {
    /** Zeroes every weight; registered as {@code kerb_tests>Zero}. */
    record Zero() implements Constraint {
        @Override
        public void apply(Tensor weights, ApplyOptions options) {
            for (int i = 0; i < weights.size(); i++) {
                weights.set(i, 0);
            }
        }

        @Override
        public Map<String, Object> getConfig() {
            return Map.of();
        }
    }

    @Override
    public List<ConstraintType<?>> constraintTypes() {
        return List.of(ConstraintType.custom("kerb_tests", "Zero", Zero.class, c -> new Zero()));
    }
}
