package dev.kerb.core;

import java.util.Map;

/**
 * Keras {@code NonNeg()}: replaces negative weights by zero.
 *
 * <p>Follows Keras 3.15+ ({@code ops.maximum(w, 0)}): negatives and {@code -0.0} become {@code +0.0} and NaN stays
 * NaN. Keras before 3.15 and Keras 2 computed {@code w * (w >= 0)}, which gives {@code -0.0} for negatives; the two
 * agree under {@code ==}. Immutable; use {@link #INSTANCE}.
 */
public final class NonNeg implements Constraint {
    /** The only instance. */
    public static final NonNeg INSTANCE = new NonNeg();

    private NonNeg() {
    }

    @Override
    public void apply(Tensor weights, ApplyOptions options) {
        weights.view.clamp(0.0, Double.POSITIVE_INFINITY, options);
    }

    @Override
    public Map<String, Object> getConfig() {
        return Map.of();
    }

    @Override
    public String toString() {
        return "NonNeg()";
    }
}
