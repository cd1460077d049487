package dev.kerb.core.internal;

import dev.kerb.core.DType;
import dev.kerb.core.Shape;
import dev.kerb.core.Tensor;
import java.nio.FloatBuffer;

/**
 * A float32 view over a {@code FloatBuffer} without an accessible array (a direct buffer, or a view of a
 * {@code ByteBuffer}, including {@link Tensor#of(java.nio.ByteBuffer, DType, Shape)} of a buffer not in native byte
 * order); a buffer with an array is viewed as a {@link FloatArrayTensor}.
 *
 * <p>The kernels stage the values through per-thread heap tiles of up to {@value #TILE} elements with bulk absolute
 * {@code get(index, float[], offset, length)} and {@code put}, run the array {@link Loops} on the tile and write it
 * back. JDK 17's Vector API cannot load from a {@code FloatBuffer}, and no public API turns one back into the
 * {@code ByteBuffer} it views; element-wise {@code get}/{@code put} loops do not vectorize either. Staging runs the
 * very loops of the array kernels, so the bits are theirs by construction, at the cost of one copy in and out of a
 * tile that stays in cache (bulk copies are {@code memcpy}, swapping bytes when the order is not native). Rows are
 * staged whole, several short rows per tile, so a row's sum is {@link Loops#sum} of the whole row; a row longer than
 * a tile grows the thread's tile to one row. Column sums are staged a few rows at a time and added up with
 * {@link Loops#addColumnSums}, a running sum per column, so the bits do not depend on the tile size.
 */
final class FloatBufferTensor extends BufferTensor {
    /** Elements of one tile: 64 KiB of float32, which stays in L2 between the copy in and the copy out. */
    static final int TILE = 1 << 14;

    private final FloatBuffer data;
    private final int base;

    FloatBufferTensor(FloatBuffer data, int base, Shape shape) {
        super(shape);
        this.data = data;
        this.base = base;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT32;
    }

    @Override
    public double getAt(int index) {
        return data.get(base + index);
    }

    @Override
    public void setAt(int index, double value) {
        data.put(base + index, (float) value);
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
            data.put(i, (float) (data.get(i) * factor));
        }
    }

    @Override
    public void scaleEach(int from, int len, double[] factors, int factorsFrom) {
        for (int i = 0, d = base + from; i < len; i++, d++) {
            data.put(d, (float) (data.get(d) * factors[factorsFrom + i]));
        }
    }

    @Override
    void rows(BufferNormKernels k, int from, int to, int len, NormFactor c, double eps) {
        int batch = Math.max(1, Math.min(TILE / len, to - from));
        float[] tile = KernelScratch.get().floatTile(batch * len);
        for (int r = from; r < to; r += batch) {
            int n = Math.min(batch, to - r);
            data.get(base + r * len, tile, 0, n * len);
            for (int off = 0, end = n * len; off < end; off += len) {
                k.loops.scale(tile, off, len, (float) c.factor(k.loops.sum(tile, off, len), eps));
            }
            data.put(base + r * len, tile, 0, n * len);
        }
    }

    @Override
    void addColumnSums(BufferNormKernels k, int at, int rows, int stride, int w, double[] sums) {
        int batch = Math.max(1, Math.min(TILE / w, rows));
        float[] tile = KernelScratch.get().floatTile(batch * w);
        for (int r = 0; r < rows; r += batch) {
            int n = Math.min(batch, rows - r);
            copy(at + r * stride, n, stride, w, tile, true);
            k.loops.addColumnSums(tile, 0, n, w, w, sums);
        }
    }

    @Override
    void scaleRows(BufferNormKernels k, int at, int rows, int stride, int w, double[] factors) {
        KernelScratch scratch = KernelScratch.get();
        float[] f = scratch.floatFactors(factors, w);
        int batch = Math.max(1, Math.min(TILE / w, rows));
        float[] tile = scratch.floatTile(batch * w);
        for (int r = 0; r < rows; r += batch) {
            int n = Math.min(batch, rows - r);
            copy(at + r * stride, n, stride, w, tile, true);
            k.loops.scaleRows(tile, 0, n, w, w, f);
            copy(at + r * stride, n, stride, w, tile, false);
        }
    }

    /** Copies {@code n} rows of {@code w} elements, {@code stride} apart from {@code at}, into the tile or back. */
    private void copy(int at, int n, int stride, int w, float[] tile, boolean in) {
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
        float[] tile = KernelScratch.get().floatTile(Math.min(TILE, len));
        for (int i = 0; i < len; i += TILE) {
            int n = Math.min(TILE, len - i);
            data.get(base + from + i, tile, 0, n);
            k.loops.clamp(tile, 0, n, (float) lower, (float) upper);
            data.put(base + from + i, tile, 0, n);
        }
    }
}
