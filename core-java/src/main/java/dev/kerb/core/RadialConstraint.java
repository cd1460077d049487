package dev.kerb.core;

import java.util.Map;

/**
 * tf.keras' {@code RadialConstraint()}: makes each 2-D slice of a Conv2D kernel constant on square rings around its
 * centre, as the tf.keras 2.x code really behaves.
 *
 * <p>The kernel must be {@code (rows, cols, in, out)} with {@code rows == cols >= 2}. For every (in, out) slice
 * {@code k} of size n, let {@code s = n / 2} (floor) and let {@code d} be a position's ring: its Chebyshev distance
 * from the centre cell (odd n) or from the central 2x2 block (even n). Ring 0 takes {@code k[s-1][s-1]}; ring
 * {@code d > 0} takes {@code k[s+d-1][s+d-1]} for odd n and {@code k[s+d][s+d]} for even n. Values are copied, never
 * averaged, so a slice ends with {@code ceil(n/2)} distinct values. (tf.keras' docstring describes the reverse
 * order; this follows the code in {@code keras/constraints.py}, r2.15.) Keras 3 has no such class. Immutable; use
 * {@link #INSTANCE}.
 */
public final class RadialConstraint implements Constraint {
    /** The only instance. */
    public static final RadialConstraint INSTANCE = new RadialConstraint();

    private RadialConstraint() {
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the shape is not rank 4, not square in its first two dimensions, or
     *                                  smaller than 2x2 (tf.keras fails on all three)
     */
    @Override
    public void apply(Tensor weights, ApplyOptions options) {
        Shape shape = weights.shape();
        check(shape);
        project(weights, shape.dim(0), shape.dim(2) * shape.dim(3));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the shape is not rank 4, not square in its first two dimensions, or
     *                                  smaller than 2x2
     */
    @Override
    public void check(Shape shape) {
        if (shape.rank() != 4) {
            throw new IllegalArgumentException("RadialConstraint needs a rank-4 kernel (rows, cols, in, out); got "
                    + "rank " + shape.rank() + " (shape " + shape + ")");
        }
        int n = shape.dim(0);
        if (shape.dim(1) != n || n < 2) {
            throw new IllegalArgumentException("RadialConstraint needs square kernel slices of at least 2x2 "
                    + "(rows == cols >= 2); got shape " + shape);
        }
    }

    private void project(Tensor weights, int n, int slices) {
        int rings = (n + 1) / 2;
        double[] ringValues = new double[rings * slices];
        for (int d = 0; d < rings; d++) {
            int p = sourceIndex(n, d);
            int from = (p * n + p) * slices;
            for (int j = 0; j < slices; j++) {
                ringValues[d * slices + j] = weights.view.getAt(from + j);
            }
        }
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                int ring = Math.max(ring(n, r), ring(n, c));
                int to = (r * n + c) * slices;
                for (int j = 0; j < slices; j++) {
                    weights.view.setAt(to + j, ringValues[ring * slices + j]);
                }
            }
        }
    }

    /** Returns the diagonal index whose value fills ring {@code d}. */
    private static int sourceIndex(int n, int d) {
        int s = n / 2;
        if (d == 0) {
            return s - 1;
        }
        return n % 2 == 1 ? s + d - 1 : s + d;
    }

    /** Returns the ring of row (or column) {@code i}: its distance from the centre cell or central pair. */
    private static int ring(int n, int i) {
        int s = n / 2;
        if (n % 2 == 1) {
            return Math.abs(i - s);
        }
        return i < s ? s - 1 - i : i - s;
    }

    @Override
    public Map<String, Object> getConfig() {
        return Map.of();
    }

    @Override
    public String toString() {
        return "RadialConstraint()";
    }
}
