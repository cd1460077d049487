package dev.kerb.core.internal;

import dev.kerb.core.DType;
import dev.kerb.core.Shape;
import java.nio.ByteBuffer;

/**
 * A float32 view over a heap or direct {@code ByteBuffer} in native byte order (other orders, and buffers the loops
 * cannot load from, are viewed as a {@link FloatBufferTensor}: {@link Loops#buffersInPlace}). The kernels run
 * {@link BufferLoops} on the buffer in place: with the Vector API, {@code fromByteBuffer} and {@code intoByteBuffer}
 * on JDK 16 to 19, {@code fromMemorySegment} and {@code intoMemorySegment} on a segment over a direct buffer on JDK 22
 * and later (the multi-release jar's loops, bound to the buffer once per view); without it, absolute
 * {@code getFloat}/{@code putFloat}.
 */
final class FloatBytesTensor extends BufferTensor {
    private static final int FB = Float.BYTES;
    private final ByteBuffer bytes; // a duplicate: its order and limit are the view's own
    private final int base; // byte offset of element 0

    FloatBytesTensor(ByteBuffer bytes, int base, Shape shape) {
        super(shape);
        this.bytes = bytes;
        this.base = base;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT32;
    }

    @Override
    public double getAt(int index) {
        return bytes.getFloat(base + index * FB);
    }

    @Override
    public void setAt(int index, double value) {
        bytes.putFloat(base + index * FB, (float) value);
    }

    @Override
    public double sumOfSquares(int from, int len) {
        double sum = 0;
        for (int i = base + from * FB, end = i + len * FB; i < end; i += FB) {
            double w = bytes.getFloat(i);
            sum += w * w;
        }
        return sum;
    }

    @Override
    public void addSquares(int from, int len, double[] sums, int sumsFrom) {
        for (int i = 0, d = base + from * FB; i < len; i++, d += FB) {
            double w = bytes.getFloat(d);
            sums[sumsFrom + i] += w * w;
        }
    }

    @Override
    public void scale(int from, int len, double factor) {
        for (int i = base + from * FB, end = i + len * FB; i < end; i += FB) {
            bytes.putFloat(i, (float) (bytes.getFloat(i) * factor));
        }
    }

    @Override
    public void scaleEach(int from, int len, double[] factors, int factorsFrom) {
        for (int i = 0, d = base + from * FB; i < len; i++, d += FB) {
            bytes.putFloat(d, (float) (bytes.getFloat(d) * factors[factorsFrom + i]));
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
        int step = q * len * FB;
        for (int i = 0; i < q; i++) {
            int at = base + (from + i) * len * FB;
            loops.sumFourFloats(bytes, at, step, len, sums);
            loops.sumFourFloats(bytes, at + 4 * step, step, len, moreSums);
            for (int j = 0; j < 4; j++) {
                sums[j] = c.factor(sums[j], eps); // the sums become the factors, rounded to float by the loops
                moreSums[j] = c.factor(moreSums[j], eps);
            }
            loops.scaleFourFloats(bytes, at, step, len, sums);
            loops.scaleFourFloats(bytes, at + 4 * step, step, len, moreSums);
        }
        for (int r = from + 8 * q; r < to; r++) {
            int at = base + r * len * FB;
            loops.scaleFloats(bytes, at, len, (float) c.factor(loops.sumFloats(bytes, at, len), eps));
        }
    }

    @Override
    void addColumnSums(BufferNormKernels k, int at, int rows, int stride, int w, double[] sums) {
        loops(k, bytes).addColumnSumsFloats(bytes, base + at * FB, rows, stride * FB, w, sums);
    }

    @Override
    void scaleRows(BufferNormKernels k, int at, int rows, int stride, int w, double[] factors) {
        float[] f = KernelScratch.get().floatFactors(factors, w);
        loops(k, bytes).scaleRowsFloats(bytes, base + at * FB, rows, stride * FB, w, f);
    }

    @Override
    void clamp(BufferNormKernels k, int from, int len, double lower, double upper) {
        // TensorFlow's clip_by_value order, max(min(w, upper), lower): the lower bound wins when lower > upper.
        loops(k, bytes).clampFloats(bytes, base + from * FB, len, (float) lower, (float) upper);
    }
}
