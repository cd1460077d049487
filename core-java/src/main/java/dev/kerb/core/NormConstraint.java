package dev.kerb.core;

/**
 * A constraint that rescales each slice of a tensor by a function of its L2 norm: {@link MaxNorm},
 * {@link MinMaxNorm} and {@link UnitNorm}.
 *
 * <p>The norms are {@code sqrt(sum(w^2))} over {@link #getAxis()}, kept per slice as Keras' {@code keepdims=True}
 * does, and each element becomes {@code w * desired(norm) / (epsilon + norm)}, with epsilon in the denominator only
 * (Keras 3 {@code keras/src/constraints/constraints.py}). Sums of squares of float32 weights are exact squares
 * accumulated in double and each factor is computed in double, so outputs are within 1e-6 relative (float32) and
 * 1e-12 (float64) of a float64 evaluation of the formula.
 */
public abstract sealed class NormConstraint implements Constraint permits MaxNorm, MinMaxNorm, UnitNorm {
    /** {@link #desiredNorm}: the norm clipped to [low, high] (MaxNorm, with low 0). */
    static final int CLIP = 0;
    /** {@link #desiredNorm}: rate times the clipped norm plus (1 - rate) times the norm (MinMaxNorm). */
    static final int BLEND = 1;
    /** {@link #desiredNorm}: 1 (UnitNorm). */
    static final int ONE = 2;

    private final Axis axis;
    // The desired norm as primitive fields and a kind, not a virtual method over boxed parameters: the kernels call it
    // once per slice (a million times for an embedding), and with all three kinds in use a virtual call would not
    // be inlined. Package-private for the Vector API factors (VectorFactors), which must give factor()'s bits.
    final int kind;
    final double low;
    final double high;
    final double rate;
    // The last shape's layout: a training loop constrains the same shapes every step, so a call on the shape seen last
    // resolves nothing and allocates nothing. Immutable, so a racy read sees a whole layout or the older one.
    private NormKernel.Layout lastLayout;

    NormConstraint(Axis axis, int kind, double low, double high, double rate) {
        this.axis = java.util.Objects.requireNonNull(axis, "axis");
        this.kind = kind;
        this.low = low;
        this.high = high;
        this.rate = rate;
    }

    /** Returns the axes the norm is taken over, as given. */
    public final Axis getAxis() {
        return axis;
    }

    /**
     * Returns the norm a slice should have, given its current norm.
     *
     * @param norm the slice's L2 norm, non-negative (or NaN or infinite for non-finite weights)
     * @return the desired norm
     */
    final double desiredNorm(double norm) {
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
    final double factor(double sumOfSquares, double epsilon) {
        double norm = Math.sqrt(sumOfSquares);
        return desiredNorm(norm) / (epsilon + norm);
    }

    /** Returns the layout of {@code shape} under this constraint's axes, the last one again for the same shape. */
    final NormKernel.Layout layout(Shape shape) {
        NormKernel.Layout last = lastLayout;
        if (last != null && last.shape.equals(shape)) {
            return last;
        }
        NormKernel.Layout layout = NormKernel.Layout.of(shape, axis.resolve(shape));
        lastLayout = layout;
        return layout;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if an axis is out of range for the shape's rank or named twice
     */
    @Override
    public final void check(Shape shape) {
        axis.resolve(shape);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if an axis is out of range for the tensor's rank or named twice
     */
    @Override
    public final void apply(Tensor weights, ApplyOptions options) {
        NormKernel.project(weights, layout(weights.shape()), this, options, ArrayNormKernels.DEFAULT,
                BufferNormKernels.DEFAULT);
    }
}
