package dev.kerb.registry;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.Constraint;
import dev.kerb.core.Tensor;
import java.util.Map;

/**
 * The Keras docs' custom constraint ({@code keras.io/api/layers/constraints}, "Creating custom weight
 * constraints"): {@code w - mean(w) + ref_value}, registered as {@code Custom>CenterAround}.
 */
record CenterAround(Number refValue) implements Constraint {
    static final ConstraintType<CenterAround> TYPE = ConstraintType.custom("Custom", "CenterAround",
            CenterAround.class, c -> new CenterAround(c.number("ref_value", 0.0)));

    @Override
    public void apply(Tensor weights, ApplyOptions options) {
        double sum = 0;
        for (int i = 0; i < weights.size(); i++) {
            sum += weights.get(i);
        }
        double shift = refValue.doubleValue() - sum / weights.size();
        for (int i = 0; i < weights.size(); i++) {
            weights.set(i, weights.get(i) + shift);
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        return Map.of("ref_value", refValue);
    }
}
