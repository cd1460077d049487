package dev.kerb.core.thirdparty;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.Constraint;
import dev.kerb.core.Tensor;
import dev.kerb.core.internal.Params;
import dev.kerb.core.internal.TensorView;
import java.util.Map;
import java.util.Objects;

/**
 * QKeras {@code Clip(min_value=0.0, max_value=1.0)} ({@code qkeras>Clip}): clips every weight to
 * {@code [min_value, max_value]}.
 *
 * <p>QKeras computes {@code K.clip(w, min_value, max_value)}; Keras 2's {@code K.clip} lets the lower bound win when
 * {@code min_value > max_value}, and so does this. The hls4ml binary and ternary examples (Keras 2.0.5) use a
 * {@code Clip} with the same keys and the same result for their bounds. NaN stays NaN. Immutable.
 */
public final class Clip implements Constraint {
    private final Number minValue;
    private final Number maxValue;

    /** Returns QKeras' defaults, {@code Clip(min_value=0.0, max_value=1.0)}. */
    public Clip() {
        this(0.0, 1.0);
    }

    /**
     * Returns {@code Clip(min_value, max_value)}.
     *
     * @param minValue the lower bound; an integral value is written back as a JSON int
     * @param maxValue the upper bound
     * @throws IllegalArgumentException if a bound is NaN or infinite
     */
    public Clip(Number minValue, Number maxValue) {
        this.minValue = Params.number("Clip", "min_value", minValue);
        this.maxValue = Params.number("Clip", "max_value", maxValue);
    }

    /** Returns {@code min_value} as given. */
    public Number getMinValue() {
        return minValue;
    }

    /** Returns {@code max_value} as given. */
    public Number getMaxValue() {
        return maxValue;
    }

    @Override
    public void apply(Tensor weights, ApplyOptions options) {
        TensorView.of(weights).clamp(minValue.doubleValue(), maxValue.doubleValue(), options);
    }

    @Override
    public Map<String, Object> getConfig() {
        return Params.config("min_value", minValue, "max_value", maxValue);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Clip other && minValue.equals(other.minValue) && maxValue.equals(other.maxValue);
    }

    @Override
    public int hashCode() {
        return Objects.hash(minValue, maxValue);
    }

    @Override
    public String toString() {
        return "Clip(min_value=" + minValue + ", max_value=" + maxValue + ")";
    }
}
