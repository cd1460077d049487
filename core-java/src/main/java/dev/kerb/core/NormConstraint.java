package dev.kerb.core;

import dev.kerb.core.internal.NormFactor;
import dev.kerb.core.internal.NormKernel;

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
    /** The kinds of {@link NormFactor}, one per subclass. */
    static final int CLIP = NormFactor.CLIP;
    static final int BLEND = NormFactor.BLEND;
    static final int ONE = NormFactor.ONE;

    private final Axis axis;
    final NormFactor factor; // package-private for the kernel tests, which run the kernels on it directly
    // The last shape's layout: a training loop constrains the same shapes every step, so a call on the shape seen last
    // resolves nothing and allocates nothing. Immutable, so a racy read sees a whole layout or the older one.
    private NormKernel.Layout lastLayout;

    NormConstraint(Axis axis, int kind, double low, double high, double rate) {
        this.axis = java.util.Objects.requireNonNull(axis, "axis");
        this.factor = new NormFactor(kind, low, high, rate);
    }

    /** Returns the axes the norm is taken over, as given. */
    public final Axis getAxis() {
        return axis;
    }

    /** Returns the layout of {@code shape} under this constraint's axes, the last one again for the same shape. */
    final NormKernel.Layout layout(Shape shape) {
        NormKernel.Layout last = lastLayout;
        if (last != null && last.shape().equals(shape)) {
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
        NormKernel.project(weights.view, layout(weights.shape()), factor, options);
    }
}
