package dev.kerb.core.internal;

import dev.kerb.core.DType;
import dev.kerb.core.Shape;
import dev.kerb.core.Tensor;
import java.nio.ByteBuffer;

/**
 * The inner loops of {@link Loops} over float32 and float64 values stored in a {@code ByteBuffer} in native byte
 * order (other orders are staged, see {@link Tensor#of(java.nio.ByteBuffer, DType, Shape)}), each computing bit for
 * bit what its {@link Loops} counterpart ({@link Loops#buffers()}) computes over an array holding the same values:
 * {@link ScalarBufferLoops} with absolute {@code getFloat}/{@code putFloat}, and {@code VectorBufferLoops}, which read
 * and write the buffer's memory in place with the Vector API: {@code fromByteBuffer}/{@code intoByteBuffer} on JDK
 * 16 to 19, and on JDK 22 and later (its multi-release version, in {@code META-INF/versions/22})
 * {@code fromMemorySegment}/{@code intoMemorySegment} on a {@code MemorySegment} over a direct buffer. Where neither
 * applies, {@link Loops#buffersInPlace} says so and byte buffers are staged.
 *
 * <p>Positions ({@code at}, {@code step}, {@code stride}) are absolute byte offsets into the buffer; lengths
 * ({@code len}, {@code rows}, {@code w}) count elements. Callers check bounds first.
 */
interface BufferLoops {
    /**
     * Returns these loops for calls on {@code b}, which may keep what they need of it so that the calls allocate
     * nothing: the JDK 22+ Vector API loops keep a {@code MemorySegment} over it. A view binds once per loops it runs
     * ({@link Bound}); these loops, unbound, still run on any buffer.
     */
    default BufferLoops on(ByteBuffer b) {
        return this;
    }

    /** The loops {@code of} a kernel bound to a view's buffer ({@link #on}), kept by the view for its next calls. */
    record Bound(BufferLoops of, BufferLoops loops) {
        /** Returns {@code last} if it binds {@code of}, else {@code of} bound to {@code b} anew. */
        static Bound of(Bound last, BufferLoops of, ByteBuffer b) {
            return last != null && last.of == of ? last : new Bound(of, of.on(b));
        }
    }

    /** As {@link Loops#sum(float[], int, int)}. */
    double sumFloats(ByteBuffer b, int at, int len);

    /** As {@link Loops#sum(double[], int, int)}. */
    double sumDoubles(ByteBuffer b, int at, int len);

    /** As {@link Loops#sumFour(float[], int, int, int, double[])}. */
    void sumFourFloats(ByteBuffer b, int at, int step, int len, double[] sums);

    /** As {@link Loops#sumFour(double[], int, int, int, double[])}. */
    void sumFourDoubles(ByteBuffer b, int at, int step, int len, double[] sums);

    /** As {@link Loops#scale(float[], int, int, float)}. */
    void scaleFloats(ByteBuffer b, int at, int len, float factor);

    /** As {@link Loops#scale(double[], int, int, double)}. */
    void scaleDoubles(ByteBuffer b, int at, int len, double factor);

    /** As {@link Loops#scaleFour(float[], int, int, int, float[])}, by {@code (float) factors[k]}. */
    void scaleFourFloats(ByteBuffer b, int at, int step, int len, double[] factors);

    /** As {@link Loops#scaleFour(double[], int, int, int, double[])}. */
    void scaleFourDoubles(ByteBuffer b, int at, int step, int len, double[] factors);

    /** As {@link Loops#addColumnSums(float[], int, int, int, int, double[])}. */
    void addColumnSumsFloats(ByteBuffer b, int at, int rows, int stride, int w, double[] sums);

    /** As {@link Loops#addColumnSums(double[], int, int, int, int, double[])}. */
    void addColumnSumsDoubles(ByteBuffer b, int at, int rows, int stride, int w, double[] sums);

    /** As {@link Loops#scaleRows(float[], int, int, int, int, float[])}. */
    void scaleRowsFloats(ByteBuffer b, int at, int rows, int stride, int w, float[] factors);

    /** As {@link Loops#scaleRows(double[], int, int, int, int, double[])}. */
    void scaleRowsDoubles(ByteBuffer b, int at, int rows, int stride, int w, double[] factors);

    /** As {@link Loops#clamp(float[], int, int, float, float)}. */
    void clampFloats(ByteBuffer b, int at, int len, float lower, float upper);

    /** As {@link Loops#clamp(double[], int, int, double, double)}. */
    void clampDoubles(ByteBuffer b, int at, int len, double lower, double upper);
}
