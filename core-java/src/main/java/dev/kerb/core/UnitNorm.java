package dev.kerb.core;

import dev.kerb.core.internal.Params;
import java.util.Map;

/**
 * Keras {@code UnitNorm(axis=0)}: scales each slice to unit L2 norm.
 *
 * <p>Each element becomes {@code w / (epsilon + norm)}, so output norms are {@code norm / (norm + epsilon)}, just
 * below 1, and an all-zero slice stays zero. Immutable.
 */
public final class UnitNorm extends NormConstraint {

    /** Returns Keras' default, {@code UnitNorm(axis=0)}. */
    public UnitNorm() {
        this(Axis.of(0));
    }

    /**
     * Returns {@code UnitNorm(axis)} for one axis.
     *
     * @param axis the axis the norm is taken over, negative to count from the end
     */
    public UnitNorm(int axis) {
        this(Axis.of(axis));
    }

    /**
     * Returns {@code UnitNorm(axis)}.
     *
     * @param axis the axes the norm is taken over
     */
    public UnitNorm(Axis axis) {
        super(axis, ONE, 0.0, 0.0, 1.0);
    }

    @Override
    public Map<String, Object> getConfig() {
        return Params.config("axis", getAxis().toConfigValue());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnitNorm other && getAxis().equals(other.getAxis());
    }

    @Override
    public int hashCode() {
        return getAxis().hashCode();
    }

    @Override
    public String toString() {
        return "UnitNorm(axis=" + getAxis() + ")";
    }
}
