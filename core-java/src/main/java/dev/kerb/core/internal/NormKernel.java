package dev.kerb.core.internal;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.Shape;
/**
 * The kernels behind every {@code NormConstraint}: per-slice sums of squares, then one factor per slice.
 *
 * <p>The shape is first folded into blocks: dimensions of size 1 are dropped and neighbouring dimensions that are
 * both reduced or both kept are merged. Tensors whose shape folds to two blocks (or one) take the fast paths, rows
 * ({@code [kept, reduced]}, e.g. an embedding along axis 1) or columns ({@code [reduced, kept]}, e.g. a Dense or Conv
 * kernel along its input axes): arrays in {@link ArrayNormKernels}, buffers in {@link BufferNormKernels}, which give
 * the same bits. Everything else takes {@link #reference}, the simple kernel that is the spec and that tests hold the
 * fast paths to.
 */
public final class NormKernel {
    private NormKernel() {
    }

    /** Projects {@code t} reduced over the dimensions {@code reduced} marks, with the given array kernels. */
    static void project(TensorView t, boolean[] reduced, NormFactor constraint, ApplyOptions options,
            ArrayNormKernels kernels) {
        project(t, Layout.of(t.shape(), reduced), constraint, options, kernels, BufferNormKernels.DEFAULT);
    }

    /** As {@link #project(TensorView, boolean[], NormFactor, ApplyOptions, ArrayNormKernels)}, with buffer kernels. */
    static void project(TensorView t, boolean[] reduced, NormFactor constraint, ApplyOptions options,
            ArrayNormKernels kernels, BufferNormKernels buffers) {
        project(t, Layout.of(t.shape(), reduced), constraint, options, kernels, buffers);
    }

    /** Projects {@code t}, whose shape is {@code layout}'s, with the default kernels. */
    public static void project(TensorView t, Layout layout, NormFactor constraint, ApplyOptions options) {
        project(t, layout, constraint, options, ArrayNormKernels.DEFAULT, BufferNormKernels.DEFAULT);
    }

    /** Projects {@code t}, whose shape is {@code layout}'s, with the given fast kernels. */
    static void project(TensorView t, Layout layout, NormFactor constraint, ApplyOptions options,
            ArrayNormKernels kernels, BufferNormKernels buffers) {
        if (t.size() == 0) {
            return;
        }
        if (layout.kind != Layout.OTHER) {
            boolean rowLayout = layout.kind == Layout.ROWS;
            int outer = layout.outer;
            int inner = layout.inner;
            if (t instanceof FloatArrayTensor f) {
                if (rowLayout) {
                    kernels.rows(f.data, f.base, outer, inner, constraint, options);
                } else {
                    kernels.columns(f.data, f.base, outer, inner, constraint, options);
                }
                return;
            }
            if (t instanceof DoubleArrayTensor d) {
                if (rowLayout) {
                    kernels.rows(d.data, d.base, outer, inner, constraint, options);
                } else {
                    kernels.columns(d.data, d.base, outer, inner, constraint, options);
                }
                return;
            }
            if (t instanceof BufferTensor bt) {
                if (rowLayout) {
                    buffers.rows(bt, outer, inner, constraint, options);
                } else {
                    buffers.columns(bt, outer, inner, constraint, options);
                }
                return;
            }
        }
        reference(t, layout.reduced, constraint, options.epsilon());
    }

    /**
     * A shape resolved against a constraint's axes, once: which dimensions are reduced and which kernel layout the
     * shape folds to. Immutable, so a constraint can cache it for the next call on the same shape, which then
     * allocates nothing.
     */
    public static final class Layout {
        /** {@code [kept, reduced]} or {@code [reduced]}: each row is a slice. */
        static final int ROWS = 0;
        /** {@code [reduced, kept]} or {@code [kept]}: each column is a slice. */
        static final int COLUMNS = 1;
        /** Any other fold: the reference kernel. */
        static final int OTHER = 2;

        private final Shape shape;
        private final boolean[] reduced;
        final int kind;
        final int outer;
        final int inner;

        private Layout(Shape shape, boolean[] reduced, int kind, int outer, int inner) {
            this.shape = shape;
            this.reduced = reduced;
            this.kind = kind;
            this.outer = outer;
            this.inner = inner;
        }

        /** Returns the shape laid out. */
        public Shape shape() {
            return shape;
        }

        /** Returns the layout of {@code shape} reduced over the dimensions {@code reduced} marks (not kept). */
        public static Layout of(Shape shape, boolean[] reduced) {
            Blocks b = Blocks.fold(shape, reduced);
            int count = b.sizes.length;
            if (count == 1 || count == 2) {
                int kind = b.innerReduced ? ROWS : COLUMNS;
                return new Layout(shape, reduced.clone(), kind, count == 2 ? b.sizes[0] : 1, b.sizes[count - 1]);
            }
            return new Layout(shape, reduced.clone(), OTHER, 0, 0);
        }
    }

    /**
     * The reference kernel: walks any shape and any storage in memory order, one contiguous run at a time, sums
     * each slice in double in memory order and scales by the factor computed in double. Single-threaded.
     */
    static void reference(TensorView t, boolean[] reduced, NormFactor constraint, double epsilon) {
        if (t.size() == 0) {
            return;
        }
        Blocks blocks = Blocks.fold(t.shape(), reduced);
        double[] sums = new double[blocks.normCount];
        walk(t, blocks, sums, true);
        for (int i = 0; i < sums.length; i++) {
            sums[i] = constraint.factor(sums[i], epsilon);
        }
        walk(t, blocks, sums, false);
    }

    /** Either accumulates squares into {@code values} or scales by the factors in {@code values}. */
    private static void walk(TensorView t, Blocks b, double[] values, boolean accumulate) {
        int run = b.innerSize;
        int outerCount = t.size() / run;
        int outerBlocks = b.sizes.length - 1;
        int[] coords = new int[Math.max(outerBlocks, 0)];
        int normBase = 0;
        for (int p = 0; p < outerCount; p++) {
            int from = p * run;
            if (b.innerReduced) {
                if (accumulate) {
                    values[normBase] += t.sumOfSquares(from, run);
                } else {
                    t.scale(from, run, values[normBase]);
                }
            } else if (accumulate) {
                t.addSquares(from, run, values, normBase);
            } else {
                t.scaleEach(from, run, values, normBase);
            }
            // Advance the odometer over the outer blocks, keeping normBase = sum(coords[k] * normStrides[k]).
            for (int k = outerBlocks - 1; k >= 0; k--) {
                normBase += b.normStrides[k];
                if (++coords[k] < b.sizes[k]) {
                    break;
                }
                normBase -= b.normStrides[k] * coords[k];
                coords[k] = 0;
            }
        }
    }

    /** A shape folded into alternating reduced and kept blocks, outermost first. */
    private static final class Blocks {
        final int[] sizes;
        final int[] normStrides; // per block: stride in the norms array, 0 for reduced blocks
        final int innerSize;
        final boolean innerReduced;
        final int normCount;

        private Blocks(int[] sizes, boolean[] isReduced, int count) {
            this.sizes = java.util.Arrays.copyOf(sizes, count);
            this.normStrides = new int[count];
            int stride = 1;
            for (int k = count - 1; k >= 0; k--) {
                if (!isReduced[k]) {
                    normStrides[k] = stride;
                    stride *= sizes[k];
                }
            }
            this.normCount = stride;
            this.innerSize = count == 0 ? 1 : sizes[count - 1];
            this.innerReduced = count > 0 && isReduced[count - 1];
        }

        static Blocks fold(Shape shape, boolean[] reduced) {
            int rank = shape.rank();
            int[] sizes = new int[rank];
            boolean[] isReduced = new boolean[rank];
            int count = 0;
            for (int d = 0; d < rank; d++) {
                int n = shape.dim(d);
                if (n == 1) {
                    continue;
                }
                if (count > 0 && isReduced[count - 1] == reduced[d]) {
                    sizes[count - 1] *= n;
                } else {
                    sizes[count] = n;
                    isReduced[count] = reduced[d];
                    count++;
                }
            }
            return new Blocks(sizes, isReduced, count);
        }
    }
}
