package dev.kerb.core.internal;

/**
 * The scale factor a {@code NormConstraint} applies to a slice, {@code desired(norm) / (epsilon + norm)}, as primitive
 * fields and a kind rather than a virtual method over boxed parameters: the kernels call it once per slice (a million
 * times for an embedding), and with all three kinds in use a virtual call would not be inlined. Immutable.
 */
public final class NormFactor {
    /** {@link #desiredNorm}: the norm clipped to [low, high] (MaxNorm, with low 0). */
    public static final int CLIP = 0;
    /** {@link #desiredNorm}: rate times the clipped norm plus (1 - rate) times the norm (MinMaxNorm). */
    public static final int BLEND = 1;
    /** {@link #desiredNorm}: 1 (UnitNorm). */
    public static final int ONE = 2;

    // Package-private for the Vector API factors (VectorFactors), which must give factor()'s bits.
    final int kind;
    final double low;
    final double high;
    final double rate;

    /** Returns the factor of the given kind ({@link #CLIP}, {@link #BLEND} or {@link #ONE}) and parameters. */
    public NormFactor(int kind, double low, double high, double rate) {
        this.kind = kind;
        this.low = low;
        this.high = high;
        this.rate = rate;
    }

    /** Returns the norm a slice should have, given its current norm (non-negative, NaN or infinite). */
    double desiredNorm(double norm) {
        if (kind == CLIP) {
            return Math.max(Math.min(norm, high), low);
        }
        if (kind == BLEND) {
            return rate * Math.max(Math.min(norm, high), low) + (1 - rate) * norm;
        }
        return 1.0;
    }

    /**
     * Returns the factor a slice is scaled by: {@code desired(norm) / (epsilon + norm)}, with
     * {@code norm = sqrt(sumOfSquares)}, all in double.
     */
    double factor(double sumOfSquares, double epsilon) {
        double norm = Math.sqrt(sumOfSquares);
        return desiredNorm(norm) / (epsilon + norm);
    }
}
