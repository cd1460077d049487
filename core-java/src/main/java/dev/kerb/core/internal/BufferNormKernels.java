package dev.kerb.core.internal;

import dev.kerb.core.ApplyOptions;
/**
 * The fast norm kernels for buffer tensors ({@link BufferTensor}): the structure of {@link ArrayNormKernels} (rows;
 * columns by strips or, for tall tensors, by row partitions; the same strip widths, the same partitions combined in
 * the same order, the same threads) over the tensor's own loops, so that a buffer tensor's result is bit for bit the
 * array kernels' result on the same values with the same {@link Loops}, for any thread count.
 *
 * <p>Each buffer tensor runs the inner loops itself: a native-order {@code ByteBuffer} view in place, with the
 * {@link BufferLoops} paired with the loops ({@link Loops#buffers()}); a {@code FloatBuffer} or {@code DoubleBuffer}
 * view without an array, or a {@code ByteBuffer} in the other byte order, through per-thread heap tiles, with the
 * array loops themselves (see {@link FloatBufferTensor}). The calls from
 * here into the tensor are one virtual call per group of rows or per strip, never per element. Scratch (sums, partial
 * sums, factors, tiles) is the thread's {@link KernelScratch}, reused across calls.
 */
final class BufferNormKernels {

    /** The kernels on {@link Loops#DEFAULT}, which every constraint uses. */
    static final BufferNormKernels DEFAULT = new BufferNormKernels(Loops.DEFAULT);

    /** The array loops, which staged tensors run on their tiles. */
    final Loops loops;
    /** The buffer loops paired with {@link #loops}, which {@code ByteBuffer} tensors run in place. */
    final BufferLoops bufferLoops;

    /** Returns kernels running these loops, so that tests hold every implementation to the array kernels. */
    BufferNormKernels(Loops loops) {
        this.loops = loops;
        this.bufferLoops = loops.buffers();
    }

    /** Rows layout {@code [rows, len]}, each row reduced: rows split across threads, each range by the tensor. */
    void rows(BufferTensor t, int rows, int len, NormFactor c, ApplyOptions options) {
        double eps = options.epsilon();
        if (Parallel.inline(rows, (long) rows * len, options)) {
            t.rows(this, 0, rows, len, c, eps); // no capturing lambda for a small call
        } else {
            Parallel.forRange(rows, (long) rows * len, options, (from, to) -> t.rows(this, from, to, len, c, eps));
        }
    }

    /** Columns layout {@code [rows, cols]}, each column reduced, as {@link ArrayNormKernels}' columns. */
    void columns(BufferTensor t, int rows, int cols, NormFactor c, ApplyOptions options) {
        if (ArrayNormKernels.partitions(rows) >= 2) {
            columnsByPartitions(t, rows, cols, c, options);
            return;
        }
        double eps = options.epsilon();
        int width = ArrayNormKernels.stripWidth(rows, cols, t.elementBytes());
        int strips = (cols + width - 1) / width;
        long size = (long) rows * cols;
        if (Parallel.inline(strips, size, options)) {
            strips(t, rows, cols, width, c, eps, 0, strips);
        } else {
            Parallel.forRange(strips, size, options, (from, to) -> strips(t, rows, cols, width, c, eps, from, to));
        }
    }

    /** Column strips {@code [from, to)} of {@code width} columns: each summed over every row, then scaled. */
    private void strips(BufferTensor t, int rows, int cols, int width, NormFactor c, double eps, int from, int to) {
        KernelScratch scratch = KernelScratch.get();
        for (int s = from; s < to; s++) {
            int j0 = s * width;
            int w = Math.min(width, cols - j0);
            double[] sums = scratch.sums(w);
            java.util.Arrays.fill(sums, 0, w, 0.0);
            t.addColumnSums(this, j0, rows, cols, w, sums);
            loops.factors(c, eps, sums, w); // the sums become the factors
            t.scaleRows(this, j0, rows, cols, w, sums);
        }
    }

    /** Each row partition's partial sums in parallel, combined in partition order, then the rows scaled. */
    private void columnsByPartitions(BufferTensor t, int rows, int cols, NormFactor c, ApplyOptions options) {
        int parts = ArrayNormKernels.partitions(rows);
        KernelScratch scratch = KernelScratch.get();
        double[][] partial = scratch.partials(parts, cols);
        long size = (long) rows * cols;
        Parallel.forRange(parts, size, options, (from, to) -> {
            for (int p = from; p < to; p++) {
                int r0 = partitionStart(rows, parts, p);
                partitionSums(t, r0 * cols, partitionStart(rows, parts, p + 1) - r0, cols, partial[p]);
            }
        });
        double[] factors = scratch.doubleFactors(cols);
        ArrayNormKernels.combine(partial, parts, cols, factors);
        loops.factors(c, options.epsilon(), factors, cols); // the sums become the factors
        Parallel.forRange(parts, size, options, (from, to) -> {
            int r0 = partitionStart(rows, parts, from);
            t.scaleRows(this, r0 * cols, partitionStart(rows, parts, to) - r0, cols, cols, factors);
        });
    }

    /**
     * As {@link ArrayNormKernels}' partition sums: from four quarters as the {@code q} four-row sums
     * {@link Loops#addQuarterColumnSums} gives the bits of, then the rows left over; or in row order.
     */
    private void partitionSums(BufferTensor t, int at, int rows, int cols, double[] sums) {
        java.util.Arrays.fill(sums, 0, cols, 0.0);
        if (!ArrayNormKernels.quarterSums(cols)) {
            t.addColumnSums(this, at, rows, cols, cols, sums);
            return;
        }
        int q = rows / 4;
        for (int r = 0; r < q; r++) {
            t.addColumnSums(this, at + r * cols, 4, q * cols, cols, sums);
        }
        t.addColumnSums(this, at + 4 * q * cols, rows - 4 * q, cols, cols, sums);
    }

    private static int partitionStart(int rows, int parts, int p) {
        return (int) ((long) rows * p / parts);
    }
}
