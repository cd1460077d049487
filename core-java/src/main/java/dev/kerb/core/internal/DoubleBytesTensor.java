package dev.kerb.core.internal;

import dev.kerb.core.DType;
import dev.kerb.core.Shape;
import java.nio.ByteBuffer;

/**
 * A float64 view over a heap or direct {@code ByteBuffer}, in native byte order.
 * As {@link FloatBytesTensor}, with {@code getDouble}/{@code putDouble}.
 */
final class DoubleBytesTensor extends BufferTensor {
    private static final int DB = Double.BYTES;
    private final ByteBuffer bytes; // a duplicate: its order and limit are the view's own
    private final int base; // byte offset of element 0

    DoubleBytesTensor(ByteBuffer bytes, int base, Shape shape) {
        super(shape);
        this.bytes = bytes;
        this.base = base;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT64;
    }

    @Override
    public double getAt(int index) {
        return bytes.getDouble(base + index * DB);
    }

    @Override
    public void setAt(int index, double value) {
        bytes.putDouble(base + index * DB, value);
    }

    @Override
    public double sumOfSquares(int from, int len) {
        double sum = 0;
        for (int i = base + from * DB, end = i + len * DB; i < end; i += DB) {
            double w = bytes.getDouble(i);
            sum += w * w;
        }
        return sum;
    }

    @Override
    public void addSquares(int from, int len, double[] sums, int sumsFrom) {
        for (int i = 0, d = base + from * DB; i < len; i++, d += DB) {
            double w = bytes.getDouble(d);
            sums[sumsFrom + i] += w * w;
        }
    }

    @Override
    public void scale(int from, int len, double factor) {
        for (int i = base + from * DB, end = i + len * DB; i < end; i += DB) {
            bytes.putDouble(i, bytes.getDouble(i) * factor);
        }
    }

    @Override
    public void scaleEach(int from, int len, double[] factors, int factorsFrom) {
        for (int i = 0, d = base + from * DB; i < len; i++, d += DB) {
            bytes.putDouble(d, bytes.getDouble(d) * factors[factorsFrom + i]);
        }
    }

    @Override
    void rows(BufferNormKernels k, int from, int to, int len, NormFactor c, double eps) {
        // As ArrayNormKernels.rows: rows from eight eighths of the range go together, eight memory streams.
        BufferLoops loops = loops(k, bytes);
        KernelScratch scratch = KernelScratch.get();
        double[] sums = scratch.fourSums;
        double[] moreSums = scratch.moreFourSums;
        int q = (to - from) / 8;
        int step = q * len * DB;
        for (int i = 0; i < q; i++) {
            int at = base + (from + i) * len * DB;
            loops.sumFourDoubles(bytes, at, step, len, sums);
            loops.sumFourDoubles(bytes, at + 4 * step, step, len, moreSums);
            for (int j = 0; j < 4; j++) {
                sums[j] = c.factor(sums[j], eps); // the sums become the factors
                moreSums[j] = c.factor(moreSums[j], eps);
            }
            loops.scaleFourDoubles(bytes, at, step, len, sums);
            loops.scaleFourDoubles(bytes, at + 4 * step, step, len, moreSums);
        }
        for (int r = from + 8 * q; r < to; r++) {
            int at = base + r * len * DB;
            loops.scaleDoubles(bytes, at, len, c.factor(loops.sumDoubles(bytes, at, len), eps));
        }
    }

    @Override
    void addColumnSums(BufferNormKernels k, int at, int rows, int stride, int w, double[] sums) {
        loops(k, bytes).addColumnSumsDoubles(bytes, base + at * DB, rows, stride * DB, w, sums);
    }

    @Override
    void scaleRows(BufferNormKernels k, int at, int rows, int stride, int w, double[] factors) {
        loops(k, bytes).scaleRowsDoubles(bytes, base + at * DB, rows, stride * DB, w, factors);
    }

    @Override
    void clamp(BufferNormKernels k, int from, int len, double lower, double upper) {
        // TensorFlow's clip_by_value order, max(min(w, upper), lower): the lower bound wins when lower > upper.
        loops(k, bytes).clampDoubles(bytes, base + from * DB, len, lower, upper);
    }
}
