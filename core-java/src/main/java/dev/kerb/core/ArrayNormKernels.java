package dev.kerb.core;

/**
 * The fast norm kernels for float32 and float64 arrays, for the two layouts real weights have.
 *
 * <p>Rows ({@code [kept, reduced]}): each row's sum of squares and its scaling run back to back, so the second pass
 * reads the row from L1. Column strips ({@code [reduced, kept]}): the columns are cut into strips narrow enough
 * that a strip of every row fits in the per-core cache (about 1 MiB), so the scaling pass re-reads the strip from
 * cache rather than memory. Rows and strips are split across threads; each norm is summed by one thread in a
 * fixed order, so results do not depend on the thread count. Float32 tensors are scaled by the float32 factor,
 * which vectorizes; that adds one rounding, well inside the 1e-6 relative accuracy promised.
 */
final class ArrayNormKernels {
    /** Bytes of one strip across all rows: half the 2 MiB L2 of the machines measured, leaving room for the rest. */
    private static final int STRIP_BYTES = 1 << 20;

    /**
     * The least bytes of one row a strip covers. Narrower strips walk a new page on every row and thrash the TLB;
     * measured on a 4096 x 4096 float32 kernel, 8 KiB per row was fastest (256 B: 6.5x the floor, 8 KiB: 4.4x).
     */
    private static final int MIN_STRIP_ROW_BYTES = 8 << 10;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private ArrayNormKernels() {
    }

    /** Per-thread buffers for a strip's sums and factors, grown on demand and reused across calls. */
    private static final class Scratch {
        double[] sums = new double[0];
        float[] floatFactors = new float[0];

        double[] sums(int n) {
            if (sums.length < n) {
                sums = new double[n];
            }
            java.util.Arrays.fill(sums, 0, n, 0.0);
            return sums;
        }

        float[] floatFactors(int n) {
            if (floatFactors.length < n) {
                floatFactors = new float[n];
            }
            return floatFactors;
        }
    }

    private static double factor(NormConstraint c, double sumOfSquares, double epsilon) {
        double norm = Math.sqrt(sumOfSquares);
        return c.desiredNorm(norm) / (epsilon + norm);
    }

    static void rows(float[] a, int base, int rows, int len, NormConstraint c, ApplyOptions options) {
        double eps = options.epsilon();
        Parallel.forRange(rows, (long) rows * len, options, (from, to) -> {
            for (int r = from; r < to; r++) {
                int off = base + r * len;
                float f = (float) factor(c, Loops.INSTANCE.sum(a, off, len), eps);
                for (int i = off, end = off + len; i < end; i++) {
                    a[i] *= f;
                }
            }
        });
    }

    static void rows(double[] a, int base, int rows, int len, NormConstraint c, ApplyOptions options) {
        double eps = options.epsilon();
        Parallel.forRange(rows, (long) rows * len, options, (from, to) -> {
            for (int r = from; r < to; r++) {
                int off = base + r * len;
                double f = factor(c, Loops.INSTANCE.sum(a, off, len), eps);
                for (int i = off, end = off + len; i < end; i++) {
                    a[i] *= f;
                }
            }
        });
    }

    /**
     * Returns the strip width: as many columns as fit {@link #STRIP_BYTES} over all rows, rounded down to a multiple
     * of 16, but at least {@link #MIN_STRIP_ROW_BYTES} per row.
     */
    static int stripWidth(int rows, int cols, int elementBytes) {
        long width = STRIP_BYTES / ((long) rows * elementBytes);
        width = Math.max(MIN_STRIP_ROW_BYTES / elementBytes, width - width % 16);
        return (int) Math.min(width, cols);
    }

    /** Rows per block when one strip holds every column: blocks, not threads, fix the summation order. */
    static final int ROW_BLOCK = 512;

    static void columns(float[] a, int base, int rows, int cols, NormConstraint c, ApplyOptions options) {
        double eps = options.epsilon();
        int width = stripWidth(rows, cols, Float.BYTES);
        int strips = (cols + width - 1) / width;
        long size = (long) rows * cols;
        if (strips == 1 && rows > ROW_BLOCK) { // decided by shape alone, so any thread count sums alike
            columnsByRowBlocks(a, base, rows, cols, c, options);
            return;
        }
        Parallel.forRange(strips, size, options, (from, to) -> {
            Scratch scratch = SCRATCH.get();
            for (int s = from; s < to; s++) {
                int j0 = s * width;
                int w = Math.min(width, cols - j0);
                double[] sums = scratch.sums(w);
                Loops.INSTANCE.addRows(a, base + j0, rows, cols, w, sums);
                float[] factors = scratch.floatFactors(w);
                for (int i = 0; i < w; i++) {
                    factors[i] = (float) factor(c, sums[i], eps);
                }
                scale(a, base + j0, 0, rows, cols, w, factors);
            }
        });
    }

    private static void scale(float[] a, int at, int r0, int r1, int cols, int w, float[] factors) {
        Loops.INSTANCE.scaleRows(a, at + r0 * cols, r1 - r0, cols, w, factors);
    }

    /** Column norms of a tall, narrow tensor: per-block partial sums in parallel, combined in block order. */
    private static void columnsByRowBlocks(float[] a, int base, int rows, int cols, NormConstraint c,
            ApplyOptions options) {
        int blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
        double[] partial = new double[blocks * cols];
        Parallel.forRange(blocks, (long) rows * cols, options, (from, to) -> {
            for (int b = from; b < to; b++) {
                double[] sums = new double[cols];
                int r0 = b * ROW_BLOCK;
                Loops.INSTANCE.addRows(a, base + r0 * cols, Math.min(rows, r0 + ROW_BLOCK) - r0, cols, cols, sums);
                System.arraycopy(sums, 0, partial, b * cols, cols);
            }
        });
        float[] factors = new float[cols];
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int b = 0; b < blocks; b++) {
                sum += partial[b * cols + j];
            }
            factors[j] = (float) factor(c, sum, options.epsilon());
        }
        Parallel.forRange(blocks, (long) rows * cols, options, (from, to) ->
                scale(a, base, from * ROW_BLOCK, Math.min(rows, to * ROW_BLOCK), cols, cols, factors));
    }

    static void columns(double[] a, int base, int rows, int cols, NormConstraint c, ApplyOptions options) {
        double eps = options.epsilon();
        int width = stripWidth(rows, cols, Double.BYTES);
        int strips = (cols + width - 1) / width;
        long size = (long) rows * cols;
        if (strips == 1 && rows > ROW_BLOCK) { // decided by shape alone, so any thread count sums alike
            columnsByRowBlocks(a, base, rows, cols, c, options);
            return;
        }
        Parallel.forRange(strips, size, options, (from, to) -> {
            Scratch scratch = SCRATCH.get();
            for (int s = from; s < to; s++) {
                int j0 = s * width;
                int w = Math.min(width, cols - j0);
                double[] sums = scratch.sums(w);
                Loops.INSTANCE.addRows(a, base + j0, rows, cols, w, sums);
                for (int i = 0; i < w; i++) {
                    sums[i] = factor(c, sums[i], eps); // the sums become the factors
                }
                Loops.INSTANCE.scaleRows(a, base + j0, rows, cols, w, sums);
            }
        });
    }

    /** Column norms of a tall, narrow float64 tensor: per-block partial sums in parallel, combined in block order. */
    private static void columnsByRowBlocks(double[] a, int base, int rows, int cols, NormConstraint c,
            ApplyOptions options) {
        int blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
        double[] partial = new double[blocks * cols];
        Parallel.forRange(blocks, (long) rows * cols, options, (from, to) -> {
            for (int b = from; b < to; b++) {
                double[] sums = new double[cols];
                int r0 = b * ROW_BLOCK;
                Loops.INSTANCE.addRows(a, base + r0 * cols, Math.min(rows, r0 + ROW_BLOCK) - r0, cols, cols, sums);
                System.arraycopy(sums, 0, partial, b * cols, cols);
            }
        });
        double[] factors = new double[cols];
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int b = 0; b < blocks; b++) {
                sum += partial[b * cols + j];
            }
            factors[j] = factor(c, sum, options.epsilon());
        }
        Parallel.forRange(blocks, (long) rows * cols, options, (from, to) -> {
            int r0 = from * ROW_BLOCK;
            Loops.INSTANCE.scaleRows(a, base + r0 * cols, Math.min(rows, to * ROW_BLOCK) - r0, cols, cols, factors);
        });
    }
}
