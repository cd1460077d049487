package dev.kerb.core.internal;

import dev.kerb.core.ApplyOptions;
/**
 * The fast norm kernels for float32 and float64 arrays, for the two layouts real weights have.
 *
 * <p>Rows ({@code [kept, reduced]}): each row's sum of squares and its scaling run back to back, so the second pass
 * reads the row from L1, and eight rows from eight eighths of a chunk go together (two groups of four read in one
 * loop each), eight memory streams in flight; each row's sum is bit for bit the one-row sum, so how rows fall into
 * chunks never matters. Columns ({@code [reduced, kept]}): a tall tensor (two or more partitions of
 * {@value #PARTITION_ROWS} rows) sums each row partition in parallel into partial sums (from four quarters when the
 * tensor is at most {@value #QUARTER_SUMS_MAX_COLS} columns wide), combines them in partition order and scales the
 * rows in parallel; a short one is cut into column strips, each summed over every row and then
 * scaled by one thread. The summation order depends on the shape only, never on the thread count, so results are
 * bitwise the same for any thread count. A column norm needs every row before its first write, so column norms read
 * the tensor twice; scaling several rows at a time keeps several memory streams in flight (see the loops). Float32
 * tensors are scaled by the float32 factor, which vectorizes; that adds one rounding, well inside the 1e-6 relative
 * accuracy promised.
 * Scratch (sums, partial sums, factors) is the thread's {@link KernelScratch}, reused across calls.
 */
final class ArrayNormKernels {
    /** Bytes of one strip across all rows: half the 2 MiB L2 of the machines measured, leaving room for the rest. */
    private static final int STRIP_BYTES = 1 << 20;

    /**
     * The least bytes of one row a strip covers: narrower strips walk a new page on every row and thrash the TLB
     * (measured in bench/RESULTS.md, kernel choices).
     */
    private static final int MIN_STRIP_ROW_BYTES = 8 << 10;

    /** The kernels on {@link Loops#DEFAULT}, which every constraint uses. */
    static final ArrayNormKernels DEFAULT = new ArrayNormKernels(Loops.DEFAULT);

    private final Loops loops;

    /** Returns kernels running these loops, so that tests hold every implementation to the reference kernel. */
    ArrayNormKernels(Loops loops) {
        this.loops = loops;
    }

    void rows(float[] a, int base, int rows, int len, NormFactor c, ApplyOptions options) {
        double eps = options.epsilon();
        if (Parallel.inline(rows, (long) rows * len, options)) {
            rows(a, base, len, c, eps, 0, rows); // no capturing lambda for a small call
        } else {
            Parallel.forRange(rows, (long) rows * len, options, (from, to) -> rows(a, base, len, c, eps, from, to));
        }
    }

    /** Rows {@code [from, to)}: eight rows from eight eighths of the range together, in two groups of four. */
    private void rows(float[] a, int base, int len, NormFactor c, double eps, int from, int to) {
        KernelScratch scratch = KernelScratch.get();
        double[] sums = scratch.fourSums;
        double[] moreSums = scratch.moreFourSums;
        float[] factors = scratch.fourFloatFactors;
        int q = (to - from) / 8;
        int step = q * len;
        for (int i = 0; i < q; i++) {
            int at = base + (from + i) * len;
            loops.sumFour(a, at, step, len, sums);
            loops.sumFour(a, at + 4 * step, step, len, moreSums);
            for (int k = 0; k < 4; k++) {
                factors[k] = (float) c.factor(sums[k], eps);
            }
            loops.scaleFour(a, at, step, len, factors);
            for (int k = 0; k < 4; k++) {
                factors[k] = (float) c.factor(moreSums[k], eps);
            }
            loops.scaleFour(a, at + 4 * step, step, len, factors);
        }
        for (int r = from + 8 * q; r < to; r++) {
            int off = base + r * len;
            loops.scale(a, off, len, (float) c.factor(loops.sum(a, off, len), eps));
        }
    }

    void rows(double[] a, int base, int rows, int len, NormFactor c, ApplyOptions options) {
        double eps = options.epsilon();
        if (Parallel.inline(rows, (long) rows * len, options)) {
            rows(a, base, len, c, eps, 0, rows);
        } else {
            Parallel.forRange(rows, (long) rows * len, options, (from, to) -> rows(a, base, len, c, eps, from, to));
        }
    }

    /** As {@link #rows(float[], int, int, NormFactor, double, int, int)}, for float64. */
    private void rows(double[] a, int base, int len, NormFactor c, double eps, int from, int to) {
        KernelScratch scratch = KernelScratch.get();
        double[] sums = scratch.fourSums;
        double[] moreSums = scratch.moreFourSums;
        int q = (to - from) / 8;
        int step = q * len;
        for (int i = 0; i < q; i++) {
            int at = base + (from + i) * len;
            loops.sumFour(a, at, step, len, sums);
            loops.sumFour(a, at + 4 * step, step, len, moreSums);
            for (int k = 0; k < 4; k++) {
                sums[k] = c.factor(sums[k], eps); // the sums become the factors
                moreSums[k] = c.factor(moreSums[k], eps);
            }
            loops.scaleFour(a, at, step, len, sums);
            loops.scaleFour(a, at + 4 * step, step, len, moreSums);
        }
        for (int r = from + 8 * q; r < to; r++) {
            int off = base + r * len;
            loops.scale(a, off, len, c.factor(loops.sum(a, off, len), eps));
        }
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

    /** Rows per partition of a tall tensor's column sums; a tensor with fewer than two partitions goes by strips. */
    static final int PARTITION_ROWS = 512;

    /** At most this many row partitions, so their partial sums stay a small multiple of the norms. */
    static final int MAX_PARTITIONS = 8;

    /**
     * Returns how many row partitions sum a tall tensor's columns: a function of the row count alone, so that the
     * summation order, and with it every bit of the result, is the same for any thread count.
     */
    static int partitions(int rows) {
        return Math.min(MAX_PARTITIONS, rows / PARTITION_ROWS);
    }

    void columns(float[] a, int base, int rows, int cols, NormFactor c, ApplyOptions options) {
        if (partitions(rows) >= 2) {
            columnsByPartitions(a, base, rows, cols, c, options);
            return;
        }
        double eps = options.epsilon();
        int width = stripWidth(rows, cols, Float.BYTES);
        int strips = (cols + width - 1) / width;
        long size = (long) rows * cols;
        if (Parallel.inline(strips, size, options)) {
            strips(a, base, rows, cols, width, c, eps, 0, strips);
        } else {
            Parallel.forRange(strips, size, options,
                    (from, to) -> strips(a, base, rows, cols, width, c, eps, from, to));
        }
    }

    /** Column strips {@code [from, to)} of {@code width} columns: each summed over every row, then scaled. */
    private void strips(float[] a, int base, int rows, int cols, int width, NormFactor c, double eps, int from,
            int to) {
        KernelScratch scratch = KernelScratch.get();
        for (int s = from; s < to; s++) {
            int j0 = s * width;
            int w = Math.min(width, cols - j0);
            double[] sums = scratch.sums(w);
            loops.columnSums(a, base + j0, rows, cols, w, sums);
            float[] factors = scratch.floatFactors(w);
            loops.factors(c, eps, sums, factors, w);
            loops.scaleRows(a, base + j0, rows, cols, w, factors);
        }
    }

    /**
     * Column norms of a tall tensor: each row partition's partial sums in parallel, combined in partition order, then
     * the rows scaled in parallel. The partial sums and factors are the calling thread's reusable scratch.
     */
    private void columnsByPartitions(float[] a, int base, int rows, int cols, NormFactor c,
            ApplyOptions options) {
        int parts = partitions(rows);
        KernelScratch scratch = KernelScratch.get();
        double[][] partial = scratch.partials(parts, cols);
        long size = (long) rows * cols;
        Parallel.forRange(parts, size, options, (from, to) -> {
            for (int p = from; p < to; p++) {
                int r0 = partitionStart(rows, parts, p);
                partitionSums(a, base + r0 * cols, partitionStart(rows, parts, p + 1) - r0, cols, partial[p]);
            }
        });
        double[] sums = scratch.sums(cols);
        combine(partial, parts, cols, sums);
        float[] factors = scratch.floatFactors(cols);
        loops.factors(c, options.epsilon(), sums, factors, cols);
        Parallel.forRange(parts, size, options, (from, to) -> {
            int r0 = partitionStart(rows, parts, from);
            loops.scaleRows(a, base + r0 * cols, partitionStart(rows, parts, to) - r0, cols, cols, factors);
        });
    }

    /**
     * The most columns whose partitions are summed from four quarters ({@link Loops#addQuarterColumnSums}) rather than
     * in row order, eight adjacent rows per pass: four streams that each read their rows in order, while the sums
     * (4 KiB) stay in L1; with wider rows the quarters were slower (bench/RESULTS.md, kernel choices).
     */
    static final int QUARTER_SUMS_MAX_COLS = 512;

    /** Returns whether a partition of a tensor {@code cols} columns wide is summed from four quarters. */
    static boolean quarterSums(int cols) {
        return cols <= QUARTER_SUMS_MAX_COLS;
    }

    /**
     * Writes to {@code sums[0..cols)} the column sums of a partition's {@code rows} rows from {@code at}: from four
     * quarters and then the rows left over, or in row order, as {@link #quarterSums} says for the width.
     */
    private void partitionSums(float[] a, int at, int rows, int cols, double[] sums) {
        if (!quarterSums(cols)) {
            loops.columnSums(a, at, rows, cols, cols, sums);
            return;
        }
        java.util.Arrays.fill(sums, 0, cols, 0.0);
        int q = rows / 4;
        loops.addQuarterColumnSums(a, at, q, cols, cols, sums);
        loops.addColumnSums(a, at + 4 * q * cols, rows - 4 * q, cols, cols, sums);
    }

    /** As {@link #partitionSums(float[], int, int, int, double[])}, for float64. */
    private void partitionSums(double[] a, int at, int rows, int cols, double[] sums) {
        if (!quarterSums(cols)) {
            loops.columnSums(a, at, rows, cols, cols, sums);
            return;
        }
        java.util.Arrays.fill(sums, 0, cols, 0.0);
        int q = rows / 4;
        loops.addQuarterColumnSums(a, at, q, cols, cols, sums);
        loops.addColumnSums(a, at + 4 * q * cols, rows - 4 * q, cols, cols, sums);
    }

    private static int partitionStart(int rows, int parts, int p) {
        return (int) ((long) rows * p / parts);
    }

    /** Writes to {@code sums[0..cols)} each column's sum over partitions {@code [0, parts)}, in partition order. */
    static void combine(double[][] partial, int parts, int cols, double[] sums) {
        java.util.Arrays.fill(sums, 0, cols, 0.0);
        for (int p = 0; p < parts; p++) {
            double[] part = partial[p];
            for (int j = 0; j < cols; j++) {
                sums[j] += part[j];
            }
        }
    }

    void columns(double[] a, int base, int rows, int cols, NormFactor c, ApplyOptions options) {
        if (partitions(rows) >= 2) {
            columnsByPartitions(a, base, rows, cols, c, options);
            return;
        }
        double eps = options.epsilon();
        int width = stripWidth(rows, cols, Double.BYTES);
        int strips = (cols + width - 1) / width;
        long size = (long) rows * cols;
        if (Parallel.inline(strips, size, options)) {
            strips(a, base, rows, cols, width, c, eps, 0, strips);
        } else {
            Parallel.forRange(strips, size, options,
                    (from, to) -> strips(a, base, rows, cols, width, c, eps, from, to));
        }
    }

    /** As {@link #strips(float[], int, int, int, int, NormFactor, double, int, int)}, for float64. */
    private void strips(double[] a, int base, int rows, int cols, int width, NormFactor c, double eps, int from,
            int to) {
        KernelScratch scratch = KernelScratch.get();
        for (int s = from; s < to; s++) {
            int j0 = s * width;
            int w = Math.min(width, cols - j0);
            double[] sums = scratch.sums(w);
            loops.columnSums(a, base + j0, rows, cols, w, sums);
            loops.factors(c, eps, sums, w); // the sums become the factors
            loops.scaleRows(a, base + j0, rows, cols, w, sums);
        }
    }

    /** As {@link #columnsByPartitions(float[], int, int, int, NormFactor, ApplyOptions)}, for float64. */
    private void columnsByPartitions(double[] a, int base, int rows, int cols, NormFactor c,
            ApplyOptions options) {
        int parts = partitions(rows);
        KernelScratch scratch = KernelScratch.get();
        double[][] partial = scratch.partials(parts, cols);
        long size = (long) rows * cols;
        Parallel.forRange(parts, size, options, (from, to) -> {
            for (int p = from; p < to; p++) {
                int r0 = partitionStart(rows, parts, p);
                partitionSums(a, base + r0 * cols, partitionStart(rows, parts, p + 1) - r0, cols, partial[p]);
            }
        });
        double[] factors = scratch.doubleFactors(cols);
        combine(partial, parts, cols, factors);
        loops.factors(c, options.epsilon(), factors, cols); // the sums become the factors
        Parallel.forRange(parts, size, options, (from, to) -> {
            int r0 = partitionStart(rows, parts, from);
            loops.scaleRows(a, base + r0 * cols, partitionStart(rows, parts, to) - r0, cols, cols, factors);
        });
    }
}
