package dev.kerb.core.internal;

import static dev.kerb.core.internal.VectorLoops.D;
import static dev.kerb.core.internal.VectorLoops.DL;
import static dev.kerb.core.internal.VectorLoops.F;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link VectorLoops} over buffers on JDK 22 and later, the multi-release jar's version of the JDK 17 class in
 * {@code src/main/java-vector}: the same vector loops in the same order, loading and storing with
 * {@code fromMemorySegment}/{@code intoMemorySegment} on a {@code MemorySegment} over the buffer in native byte order,
 * so a direct buffer is read and written in place, as fast as an array. The sums mirror {@link VectorLoops#sum} and
 * {@link VectorColumnSums} lane for lane, so the bits equal the array loops'; the four-row loops are in
 * {@link VectorBufferRowLoops}.
 *
 * <p>A view binds the loops to its buffer once ({@link #on}), which makes the segment; a segment made per call would
 * be an allocation per call wherever C2 fails to scalar-replace it (it did, in half the loops, once heap and direct
 * segments had both reached them). Heap buffers are staged ({@link #inPlace}): C2 boxes every vector loaded from a
 * {@code byte[]} segment as floats, tens of kilobytes per call.
 *
 * <p>It repeats the JDK 17 loops rather than sharing them through a static load or store call per vector, since C2
 * on JDK 25 then stopped inlining those calls and boxed the vectors (bench/RESULTS.md, 2026-12-07).
 */
final class VectorBufferLoops implements BufferLoops {
    static final VectorBufferLoops INSTANCE = new VectorBufferLoops(null, null);
    static final int FB = Float.BYTES;
    static final int DB = Double.BYTES;
    /** The byte order of every buffer these loops see ({@link FloatBytesTensor} views only native-order buffers). */
    static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ScalarBufferLoops SCALAR = ScalarBufferLoops.INSTANCE;

    /** The buffer these loops are bound to, or null. */
    private final ByteBuffer buffer;
    /** The bytes of {@link #buffer} from 0 to its limit, or null. */
    private final MemorySegment memory;

    private VectorBufferLoops(ByteBuffer buffer, MemorySegment memory) {
        this.buffer = buffer;
        this.memory = memory;
    }

    /** Returns whether these loops run on {@code b} in place: when it is direct (see the class comment). */
    static boolean inPlace(ByteBuffer b) {
        return b.isDirect();
    }

    /** Returns these loops bound to {@code b}: calls on {@code b} then use one segment over it, made here. */
    @Override
    public BufferLoops on(ByteBuffer b) {
        return new VectorBufferLoops(b, wholeOf(b));
    }

    /** Returns the bytes of {@code b} from 0 to its limit, so that its absolute byte offsets are the segment's. */
    private static MemorySegment wholeOf(ByteBuffer b) {
        return MemorySegment.ofBuffer(b.duplicate().position(0));
    }

    /** Returns the segment over {@code b}: the bound one, or for another buffer a new one. */
    private MemorySegment memory(ByteBuffer b) {
        return b == buffer ? memory : wholeOf(b);
    }

    /** Returns the {@link VectorLoops#F} floats at byte {@code at} of {@code m} widened to doubles. */
    static DoubleVector widen(MemorySegment m, long at) {
        FloatVector v = FloatVector.fromMemorySegment(F, m, at, NATIVE);
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
    }

    @Override
    public double sumFloats(ByteBuffer b, int at, int len) {
        MemorySegment m = memory(b);
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int j = 0;
        for (; j + 2 * DL <= len; j += 2 * DL) {
            DoubleVector lo = widen(m, at + j * FB);
            DoubleVector hi = widen(m, at + (j + DL) * FB);
            acc0 = lo.fma(lo, acc0);
            acc1 = hi.fma(hi, acc1);
        }
        double s = VectorLanes.sum(acc0.add(acc1));
        for (; j < len; j++) {
            double x = b.getFloat(at + j * FB);
            s += x * x;
        }
        return s;
    }

    @Override
    public double sumDoubles(ByteBuffer b, int at, int len) {
        MemorySegment m = memory(b);
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int j = 0;
        for (; j + 2 * DL <= len; j += 2 * DL) {
            DoubleVector v = DoubleVector.fromMemorySegment(D, m, at + j * DB, NATIVE);
            DoubleVector w = DoubleVector.fromMemorySegment(D, m, at + (j + DL) * DB, NATIVE);
            acc0 = v.fma(v, acc0);
            acc1 = w.fma(w, acc1);
        }
        double s = VectorLanes.sum(acc0.add(acc1));
        for (; j < len; j++) {
            double x = b.getDouble(at + j * DB);
            s += x * x;
        }
        return s;
    }

    @Override
    public void sumFourFloats(ByteBuffer b, int at, int step, int len, double[] sums) {
        VectorBufferRowLoops.sumFourFloats(memory(b), b, at, step, len, sums);
    }

    @Override
    public void sumFourDoubles(ByteBuffer b, int at, int step, int len, double[] sums) {
        VectorBufferRowLoops.sumFourDoubles(memory(b), b, at, step, len, sums);
    }

    @Override
    public void scaleFourFloats(ByteBuffer b, int at, int step, int len, double[] factors) {
        VectorBufferRowLoops.scaleFourFloats(memory(b), b, at, step, len, factors);
    }

    @Override
    public void scaleFourDoubles(ByteBuffer b, int at, int step, int len, double[] factors) {
        VectorBufferRowLoops.scaleFourDoubles(memory(b), b, at, step, len, factors);
    }

    @Override
    public void scaleRowsFloats(ByteBuffer b, int at, int rows, int stride, int w, float[] factors) {
        VectorBufferRowLoops.scaleRowsFloats(memory(b), b, at, rows, stride, w, factors);
    }

    @Override
    public void scaleRowsDoubles(ByteBuffer b, int at, int rows, int stride, int w, double[] factors) {
        VectorBufferRowLoops.scaleRowsDoubles(memory(b), b, at, rows, stride, w, factors);
    }

    @Override
    public void scaleFloats(ByteBuffer b, int at, int len, float factor) {
        MemorySegment m = memory(b);
        FloatVector f = FloatVector.broadcast(F, factor);
        int n = F.length();
        int j = 0;
        for (; j + n <= len; j += n) {
            int p = at + j * FB;
            FloatVector.fromMemorySegment(F, m, p, NATIVE).mul(f).intoMemorySegment(m, p, NATIVE);
        }
        SCALAR.scaleFloats(b, at + j * FB, len - j, factor);
    }

    @Override
    public void scaleDoubles(ByteBuffer b, int at, int len, double factor) {
        MemorySegment m = memory(b);
        DoubleVector f = DoubleVector.broadcast(D, factor);
        int j = 0;
        for (; j + DL <= len; j += DL) {
            int p = at + j * DB;
            DoubleVector.fromMemorySegment(D, m, p, NATIVE).mul(f).intoMemorySegment(m, p, NATIVE);
        }
        SCALAR.scaleDoubles(b, at + j * DB, len - j, factor);
    }

    /** As {@link VectorColumnSums}: four rows per pass, each column a running sum in row order. */
    @Override
    public void addColumnSumsFloats(ByteBuffer b, int at, int rows, int stride, int w, double[] sums) {
        MemorySegment m = memory(b);
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int o0 = at + r * stride;
            int o1 = o0 + stride;
            int o2 = o1 + stride;
            int o3 = o2 + stride;
            int j = 0;
            for (; j + DL <= w; j += DL) {
                int p = j * FB;
                DoubleVector acc = DoubleVector.fromArray(D, sums, j);
                DoubleVector v0 = widen(m, o0 + p);
                acc = v0.fma(v0, acc);
                DoubleVector v1 = widen(m, o1 + p);
                acc = v1.fma(v1, acc);
                DoubleVector v2 = widen(m, o2 + p);
                acc = v2.fma(v2, acc);
                DoubleVector v3 = widen(m, o3 + p);
                acc = v3.fma(v3, acc);
                acc.intoArray(sums, j);
            }
            for (; j < w; j++) {
                int p = j * FB;
                double x0 = b.getFloat(o0 + p);
                double x1 = b.getFloat(o1 + p);
                double x2 = b.getFloat(o2 + p);
                double x3 = b.getFloat(o3 + p);
                sums[j] = Math.fma(x3, x3, Math.fma(x2, x2, Math.fma(x1, x1, Math.fma(x0, x0, sums[j]))));
            }
        }
        for (; r < rows; r++) {
            int o0 = at + r * stride;
            for (int j = 0; j < w; j++) {
                double x = b.getFloat(o0 + j * FB);
                sums[j] += x * x; // exact square, so the same as a fused multiply-add
            }
        }
    }

    @Override
    public void addColumnSumsDoubles(ByteBuffer b, int at, int rows, int stride, int w, double[] sums) {
        MemorySegment m = memory(b);
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int o0 = at + r * stride;
            int o1 = o0 + stride;
            int o2 = o1 + stride;
            int o3 = o2 + stride;
            int j = 0;
            for (; j + DL <= w; j += DL) {
                int p = j * DB;
                DoubleVector acc = DoubleVector.fromArray(D, sums, j);
                DoubleVector v0 = DoubleVector.fromMemorySegment(D, m, o0 + p, NATIVE);
                acc = v0.fma(v0, acc);
                DoubleVector v1 = DoubleVector.fromMemorySegment(D, m, o1 + p, NATIVE);
                acc = v1.fma(v1, acc);
                DoubleVector v2 = DoubleVector.fromMemorySegment(D, m, o2 + p, NATIVE);
                acc = v2.fma(v2, acc);
                DoubleVector v3 = DoubleVector.fromMemorySegment(D, m, o3 + p, NATIVE);
                acc = v3.fma(v3, acc);
                acc.intoArray(sums, j);
            }
            for (; j < w; j++) {
                int p = j * DB;
                double x0 = b.getDouble(o0 + p);
                double x1 = b.getDouble(o1 + p);
                double x2 = b.getDouble(o2 + p);
                double x3 = b.getDouble(o3 + p);
                sums[j] = Math.fma(x3, x3, Math.fma(x2, x2, Math.fma(x1, x1, Math.fma(x0, x0, sums[j]))));
            }
        }
        for (; r < rows; r++) {
            int o0 = at + r * stride;
            for (int j = 0; j < w; j++) {
                double x = b.getDouble(o0 + j * DB);
                sums[j] = Math.fma(x, x, sums[j]);
            }
        }
    }

    /** As {@link VectorLoops#clamp(float[], int, int, float, float)}: four quarters of the range together. */
    @Override
    public void clampFloats(ByteBuffer b, int at, int len, float lower, float upper) {
        MemorySegment m = memory(b);
        int q = len / 4;
        int n = F.length();
        int qb = q * FB;
        int j = 0;
        for (; j + n <= q; j += n) {
            int p = at + j * FB;
            for (int s = 0; s < 4; s++) {
                int ps = p + s * qb;
                FloatVector.fromMemorySegment(F, m, ps, NATIVE).min(upper).max(lower).intoMemorySegment(m, ps, NATIVE);
            }
        }
        for (int s = 0; s < 4; s++) {
            SCALAR.clampFloats(b, at + s * qb + j * FB, q - j, lower, upper);
        }
        SCALAR.clampFloats(b, at + 4 * qb, len - 4 * q, lower, upper);
    }

    @Override
    public void clampDoubles(ByteBuffer b, int at, int len, double lower, double upper) {
        MemorySegment m = memory(b);
        int q = len / 4;
        int qb = q * DB;
        int j = 0;
        for (; j + DL <= q; j += DL) {
            int p = at + j * DB;
            for (int s = 0; s < 4; s++) {
                int ps = p + s * qb;
                DoubleVector.fromMemorySegment(D, m, ps, NATIVE).min(upper).max(lower).intoMemorySegment(m, ps, NATIVE);
            }
        }
        for (int s = 0; s < 4; s++) {
            SCALAR.clampDoubles(b, at + s * qb + j * DB, q - j, lower, upper);
        }
        SCALAR.clampDoubles(b, at + 4 * qb, len - 4 * q, lower, upper);
    }
}
