package dev.kerb.core;

import dev.kerb.core.internal.Params;
import java.util.Map;
import java.util.Objects;

/**
 * Keras {@code MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0)}: moves the L2 norm of each slice
 * into {@code [min_value, max_value]}, at {@code rate}.
 *
 * <p>Each element becomes {@code w * (rate * clip(norm, min_value, max_value) + (1 - rate) * norm) / (epsilon +
 * norm)}. Keras validates none of the parameters and neither does this: a rate outside [0, 1] extrapolates, and
 * when {@code min_value > max_value} the clip follows TensorFlow and Keras 2 (the lower bound wins), where Keras 3
 * on NumPy, JAX or PyTorch lets the upper bound win and TensorFlow.js throws. Immutable.
 */
public final class MinMaxNorm extends NormConstraint {
    private final Number minValue;
    private final Number maxValue;
    private final Number rate;

    /** Returns Keras' defaults, {@code MinMaxNorm(0.0, 1.0, rate=1.0, axis=0)}, all floats. */
    public MinMaxNorm() {
        this(0.0, 1.0, 1.0, Axis.of(0));
    }

    /**
     * Returns {@code MinMaxNorm(min_value, max_value, rate=1.0, axis=0)}.
     *
     * @param minValue the smallest norm
     * @param maxValue the largest norm
     * @throws IllegalArgumentException if a value is NaN or infinite
     */
    public MinMaxNorm(Number minValue, Number maxValue) {
        this(minValue, maxValue, 1.0, Axis.of(0));
    }

    /**
     * Returns {@code MinMaxNorm(min_value, max_value, rate, axis)} for one axis.
     *
     * @param minValue the smallest norm
     * @param maxValue the largest norm
     * @param rate     how far to move toward the clipped norm: 1 moves all the way
     * @param axis     the axis the norm is taken over, negative to count from the end
     * @throws IllegalArgumentException if a value is NaN or infinite
     */
    public MinMaxNorm(Number minValue, Number maxValue, Number rate, int axis) {
        this(minValue, maxValue, rate, Axis.of(axis));
    }

    /**
     * Returns {@code MinMaxNorm(min_value, max_value, rate, axis)}.
     *
     * @param minValue the smallest norm
     * @param maxValue the largest norm
     * @param rate     how far to move toward the clipped norm: 1 moves all the way
     * @param axis     the axes the norm is taken over
     * @throws IllegalArgumentException if a value is NaN or infinite
     */
    public MinMaxNorm(Number minValue, Number maxValue, Number rate, Axis axis) {
        this(axis, Params.number("MinMaxNorm", "min_value", minValue),
                Params.number("MinMaxNorm", "max_value", maxValue), Params.number("MinMaxNorm", "rate", rate));
    }

    private MinMaxNorm(Axis axis, Number checkedMin, Number checkedMax, Number checkedRate) {
        super(axis, BLEND, checkedMin.doubleValue(), checkedMax.doubleValue(), checkedRate.doubleValue());
        this.minValue = checkedMin;
        this.maxValue = checkedMax;
        this.rate = checkedRate;
    }

    /** Returns {@code min_value} as given. */
    public Number getMinValue() {
        return minValue;
    }

    /** Returns {@code max_value} as given. */
    public Number getMaxValue() {
        return maxValue;
    }

    /** Returns {@code rate} as given. */
    public Number getRate() {
        return rate;
    }

    @Override
    public Map<String, Object> getConfig() {
        return Params.config("min_value", minValue, "max_value", maxValue, "rate", rate,
                "axis", getAxis().toConfigValue());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinMaxNorm other && minValue.equals(other.minValue) && maxValue.equals(other.maxValue)
                && rate.equals(other.rate) && getAxis().equals(other.getAxis());
    }

    @Override
    public int hashCode() {
        return Objects.hash(minValue, maxValue, rate, getAxis());
    }

    @Override
    public String toString() {
        return "MinMaxNorm(min_value=" + minValue + ", max_value=" + maxValue + ", rate=" + rate
                + ", axis=" + getAxis() + ")";
    }
}
