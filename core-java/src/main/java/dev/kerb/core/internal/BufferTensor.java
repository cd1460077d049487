package dev.kerb.core.internal;

import dev.kerb.core.DType;
import dev.kerb.core.Shape;
/**
 * A tensor over a buffer, which runs the inner loops of {@link BufferNormKernels} on its own storage: a
 * native-order {@code ByteBuffer} view in place ({@link FloatBytesTensor}, {@link DoubleBytesTensor}); a
 * {@code FloatBuffer} or {@code DoubleBuffer} view without an array, or a {@code ByteBuffer} in the other byte order,
 * through heap tiles ({@link FloatBufferTensor}, {@link DoubleBufferTensor}).
 * Positions and lengths count elements from the start of the view; callers validate them first.
 */
abstract sealed class BufferTensor extends TensorView
        permits FloatBytesTensor, DoubleBytesTensor, FloatBufferTensor, DoubleBufferTensor {
    private BufferLoops.Bound bound; // the loops the last kernels ran, bound to the view's bytes

    BufferTensor(Shape shape) {
        super(shape);
    }

    /**
     * Returns the kernels' buffer loops bound to {@code bytes}, this view's buffer ({@link BufferLoops#on}), bound on
     * first use; for the views that run on a {@code ByteBuffer} in place.
     */
    final BufferLoops loops(BufferNormKernels k, java.nio.ByteBuffer bytes) {
        BufferLoops.Bound last = bound;
        BufferLoops.Bound b = BufferLoops.Bound.of(last, k.bufferLoops, bytes);
        if (b != last) {
            bound = b; // racy, but a Bound is immutable: a thread sees null, the old one or the new one
        }
        return b.loops();
    }

    /** Returns the bytes of one element. */
    final int elementBytes() {
        return dtype() == DType.FLOAT32 ? Float.BYTES : Double.BYTES;
    }

    /**
     * Projects rows {@code [from, to)} of {@code len} elements, each its own slice, as one thread's range of
     * {@link ArrayNormKernels}' rows: each row's sum bit for bit {@link Loops#sum} of the row, scaled by the factor
     * (rounded to float32 for float32 tensors).
     */
    abstract void rows(BufferNormKernels k, int from, int to, int len, NormFactor c, double eps);

    /** As {@link Loops#addColumnSums}, on this tensor's elements from {@code at}, {@code stride} elements apart. */
    abstract void addColumnSums(BufferNormKernels k, int at, int rows, int stride, int w, double[] sums);

    /** As {@link Loops#scaleRows}, with the factors in double (rounded to float32 first for float32 tensors). */
    abstract void scaleRows(BufferNormKernels k, int at, int rows, int stride, int w, double[] factors);

    /** As {@link Loops#clamp}, with the bounds rounded to float32 for float32 tensors. */
    abstract void clamp(BufferNormKernels k, int from, int len, double lower, double upper);

    @Override
    public final void clamp(int from, int len, double lower, double upper) {
        clamp(BufferNormKernels.DEFAULT, from, len, lower, upper);
    }
}
