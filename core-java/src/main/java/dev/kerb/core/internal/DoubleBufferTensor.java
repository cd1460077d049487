package dev.kerb.core.internal;

import dev.kerb.core.DType;
import dev.kerb.core.Shape;
import java.nio.DoubleBuffer;

/**
 * A float64 view over a {@code DoubleBuffer} without an accessible array, staged through heap tiles as
 * {@link FloatBufferTensor} explains.
 */
final class DoubleBufferTensor extends BufferTensor {
    private static final int TILE = FloatBufferTensor.TILE;

    private final DoubleBuffer data;
    private final int base;

    DoubleBufferTensor(DoubleBuffer data, int base, Shape shape) {
        super(shape);
        this.data = data;
        this.base = base;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT64;
    }

    @Override
    public double getAt(int index) {
        return data.get(base + index);
    }

    @Override
    public void setAt(int index, double value) {
        data.put(base + index, value);
    }

    @Override
    public double sumOfSquares(int from, int len) {
        double sum = 0;
        for (int i = base + from, end = i + len; i < end; i++) {
            double w = data.get(i);
            sum += w * w;
        }
        return sum;
    }

    @Override
    public void addSquares(int from, int len, double[] sums, int sumsFrom) {
        for (int i = 0, d = base + from; i < len; i++, d++) {
            double w = data.get(d);
            sums[sumsFrom + i] += w * w;
        }
    }

    @Override
    public void scale(int from, int len, double factor) {
        for (int i = base + from, end = i + len; i < end; i++) {
            data.put(i, data.get(i) * factor);
        }
    }

    @Override
    public void scaleEach(int from, int len, double[] factors, int factorsFrom) {
        for (int i = 0, d = base + from; i < len; i++, d++) {
            data.put(d, data.get(d) * factors[factorsFrom + i]);
        }
    }

    @Override
    void rows(BufferNormKernels k, int from, int to, int len, NormFactor c, double eps) {
        int batch = Math.max(1, Math.min(TILE / len, to - from));
        double[] tile = KernelScratch.get().doubleTile(batch * len);
        for (int r = from; r < to; r += batch) {
            int n = Math.min(batch, to - r);
            data.get(base + r * len, tile, 0, n * len);
            for (int off = 0, end = n * len; off < end; off += len) {
                k.loops.scale(tile, off, len, c.factor(k.loops.sum(tile, off, len), eps));
            }
            data.put(base + r * len, tile, 0, n * len);
        }
    }

    @Override
    void addColumnSums(BufferNormKernels k, int at, int rows, int stride, int w, double[] sums) {
        int batch = Math.max(1, Math.min(TILE / w, rows));
        double[] tile = KernelScratch.get().doubleTile(batch * w);
        for (int r = 0; r < rows; r += batch) {
            int n = Math.min(batch, rows - r);
            copy(at + r * stride, n, stride, w, tile, true);
            k.loops.addColumnSums(tile, 0, n, w, w, sums);
        }
    }

    @Override
    void scaleRows(BufferNormKernels k, int at, int rows, int stride, int w, double[] factors) {
        int batch = Math.max(1, Math.min(TILE / w, rows));
        double[] tile = KernelScratch.get().doubleTile(batch * w);
        for (int r = 0; r < rows; r += batch) {
            int n = Math.min(batch, rows - r);
            copy(at + r * stride, n, stride, w, tile, true);
            k.loops.scaleRows(tile, 0, n, w, w, factors);
            copy(at + r * stride, n, stride, w, tile, false);
        }
    }

    /** Copies {@code n} rows of {@code w} elements, {@code stride} apart from {@code at}, into the tile or back. */
    private void copy(int at, int n, int stride, int w, double[] tile, boolean in) {
        if (stride == w) {
            if (in) {
                data.get(base + at, tile, 0, n * w);
            } else {
                data.put(base + at, tile, 0, n * w);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            if (in) {
                data.get(base + at + i * stride, tile, i * w, w);
            } else {
                data.put(base + at + i * stride, tile, i * w, w);
            }
        }
    }

    @Override
    void clamp(BufferNormKernels k, int from, int len, double lower, double upper) {
        // TensorFlow's clip_by_value order, max(min(w, upper), lower): the lower bound wins when lower > upper.
        double[] tile = KernelScratch.get().doubleTile(Math.min(TILE, len));
        for (int i = 0; i < len; i += TILE) {
            int n = Math.min(TILE, len - i);
            data.get(base + from + i, tile, 0, n);
            k.loops.clamp(tile, 0, n, lower, upper);
            data.put(base + from + i, tile, 0, n);
        }
    }
}
