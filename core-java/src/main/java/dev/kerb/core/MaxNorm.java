package dev.kerb.core;

import dev.kerb.core.internal.Params;
import java.util.Map;
import java.util.Objects;

/**
 * Keras {@code MaxNorm(max_value=2, axis=0)}: caps the L2 norm of each slice at {@code max_value}.
 *
 * <p>Each element becomes {@code w * clip(norm, 0, max_value) / (epsilon + norm)}. Slices already inside the ball
 * still shrink by {@code norm / (norm + epsilon)}, exactly as in Keras. A negative {@code max_value} is accepted, as
 * Keras accepts it; clipping then follows TensorFlow ({@code clip_by_value}: the lower bound 0 wins) and the slice
 * becomes zero, where Keras on NumPy, JAX or PyTorch would flip its sign. Immutable.
 */
public final class MaxNorm extends NormConstraint {
    private final Number maxValue;

    /** Returns Keras' defaults, {@code MaxNorm(max_value=2, axis=0)} with the int {@code 2}. */
    public MaxNorm() {
        this(2, Axis.of(0));
    }

    /**
     * Returns {@code MaxNorm(max_value, axis=0)}.
     *
     * @param maxValue the largest norm; an integral value is written back as a JSON int
     * @throws IllegalArgumentException if {@code maxValue} is NaN or infinite
     */
    public MaxNorm(Number maxValue) {
        this(maxValue, Axis.of(0));
    }

    /**
     * Returns {@code MaxNorm(max_value, axis)} for one axis.
     *
     * @param maxValue the largest norm
     * @param axis     the axis the norm is taken over, negative to count from the end
     * @throws IllegalArgumentException if {@code maxValue} is NaN or infinite
     */
    public MaxNorm(Number maxValue, int axis) {
        this(maxValue, Axis.of(axis));
    }

    /**
     * Returns {@code MaxNorm(max_value, axis)}.
     *
     * @param maxValue the largest norm
     * @param axis     the axes the norm is taken over
     * @throws IllegalArgumentException if {@code maxValue} is NaN or infinite
     */
    public MaxNorm(Number maxValue, Axis axis) {
        this(axis, Params.number("MaxNorm", "max_value", maxValue));
    }

    private MaxNorm(Axis axis, Number checkedMaxValue) {
        super(axis, CLIP, 0.0, checkedMaxValue.doubleValue(), 1.0);
        this.maxValue = checkedMaxValue;
    }

    /** Returns {@code max_value} as given: an Integer or Long if integral, else a Double. */
    public Number getMaxValue() {
        return maxValue;
    }

    @Override
    public Map<String, Object> getConfig() {
        return Params.config("max_value", maxValue, "axis", getAxis().toConfigValue());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaxNorm other && maxValue.equals(other.maxValue) && getAxis().equals(other.getAxis());
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxValue, getAxis());
    }

    @Override
    public String toString() {
        return "MaxNorm(max_value=" + maxValue + ", axis=" + getAxis() + ")";
    }
}
