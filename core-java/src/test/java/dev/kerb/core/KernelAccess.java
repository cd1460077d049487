package dev.kerb.core;

import dev.kerb.core.internal.NormFactor;
import dev.kerb.core.internal.TensorView;

/** Hands the kernel tests in {@code dev.kerb.core.internal} what the API keeps package-private. */
public final class KernelAccess {
    private KernelAccess() {
    }

    /** Returns the view behind {@code t}. */
    public static TensorView view(Tensor t) {
        return t.view;
    }

    /** Returns the dimensions of {@code shape} that {@code c} reduces. */
    public static boolean[] reduced(NormConstraint c, Shape shape) {
        return c.getAxis().resolve(shape);
    }

    /** Returns the factor {@code c}'s kernels apply. */
    public static NormFactor factor(NormConstraint c) {
        return c.factor;
    }
}
