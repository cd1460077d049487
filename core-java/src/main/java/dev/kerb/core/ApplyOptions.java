package dev.kerb.core;

/**
 * Settings that apply to one call of {@link Constraint#apply(Tensor, ApplyOptions)}, in place of Keras' global
 * configuration.
 *
 * <p>Keras reads epsilon from a process-wide setting ({@code keras.config.set_epsilon}); here it travels with the
 * call, so threads with different settings never race. Immutable.
 */
public final class ApplyOptions {
    /** Keras' default epsilon, {@code _EPSILON = 1e-7} in {@code keras/src/backend/config.py}. */
    public static final double KERAS_EPSILON = 1e-7;

    /** The defaults: epsilon {@value #KERAS_EPSILON}. */
    public static final ApplyOptions DEFAULT = new ApplyOptions(KERAS_EPSILON);

    private final double epsilon;

    private ApplyOptions(double epsilon) {
        this.epsilon = epsilon;
    }

    /** Returns the epsilon added to each norm in the denominator of the norm constraints. */
    public double epsilon() {
        return epsilon;
    }

    /**
     * Returns these options with another epsilon, as {@code keras.config.set_epsilon(value)} would set it.
     *
     * @param value the new epsilon; Keras accepts any float, and so does this, but it must be finite
     * @return the new options
     * @throws IllegalArgumentException if {@code value} is NaN or infinite
     */
    public ApplyOptions withEpsilon(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("epsilon " + value + " is not finite; expected a finite number");
        }
        return new ApplyOptions(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApplyOptions other && Double.compare(epsilon, other.epsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(epsilon);
    }

    @Override
    public String toString() {
        return "ApplyOptions(epsilon=" + epsilon + ")";
    }
}
