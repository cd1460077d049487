package dev.kerb.core.internal;

import static dev.kerb.core.internal.VectorLoops.D;
import static dev.kerb.core.internal.VectorLoops.DL;
import static dev.kerb.core.internal.VectorLoops.F;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link VectorLoops} over buffers: the same vector loops in the same order, loading and storing with
 * {@code fromByteBuffer}/{@code intoByteBuffer} in native byte order, so a direct buffer is read and written in
 * place, without a copy. The sums mirror {@link VectorLoops#sum} and {@link VectorColumnSums} lane for lane, so the
 * bits equal the array loops'; the four-row loops are in {@link VectorBufferRowLoops}.
 */
final class VectorBufferLoops implements BufferLoops {
    static final VectorBufferLoops INSTANCE = new VectorBufferLoops();
    static final int FB = Float.BYTES;
    static final int DB = Double.BYTES;
    /**
     * The byte order of every buffer these loops see ({@link FloatBytesTensor} views only native-order buffers): a
     * constant, so that JDK 17's C2 folds {@code fromByteBuffer}'s byte swap away. With the order read from the
     * buffer, the swap's branch made C2 box the vectors of the four-row loops (megabytes per call, 5x slower).
     */
    static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final ScalarBufferLoops SCALAR = ScalarBufferLoops.INSTANCE;

    private VectorBufferLoops() {
    }

    /** Whether this JDK's Vector API loads from a {@code ByteBuffer}: JDK 16 to 19 (JDK 20 has no such method). */
    private static final boolean BYTE_BUFFER_LOADS = hasByteBufferLoads();

    private static boolean hasByteBufferLoads() {
        try {
            FloatVector.class.getMethod("fromByteBuffer", jdk.incubator.vector.VectorSpecies.class, ByteBuffer.class,
                    int.class, ByteOrder.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * Returns whether these loops run on {@code b} in place: on any buffer where {@code fromByteBuffer} exists, JDK 16
     * to 19. On JDK 22 and later a multi-release jar loads the {@code MemorySegment} version of this class instead
     * ({@code src/main/java22-vector}), which runs direct buffers in place; on JDK 20 and 21, or on 22+ from a class
     * directory or a jar without {@code Multi-Release: true}, this returns false and byte buffers are staged
     * ({@link Loops#buffersInPlace}).
     */
    static boolean inPlace(ByteBuffer b) {
        return BYTE_BUFFER_LOADS;
    }

    /** Returns the {@link VectorLoops#F} floats at byte {@code at} widened to doubles. */
    static DoubleVector widen(ByteBuffer b, int at, ByteOrder o) {
        return (DoubleVector) FloatVector.fromByteBuffer(F, b, at, o).convertShape(VectorOperators.F2D, D, 0);
    }

    @Override
    public double sumFloats(ByteBuffer b, int at, int len) {
        ByteOrder o = NATIVE;
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int j = 0;
        for (; j + 2 * DL <= len; j += 2 * DL) {
            DoubleVector lo = widen(b, at + j * FB, o);
            DoubleVector hi = widen(b, at + (j + DL) * FB, o);
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
        ByteOrder o = NATIVE;
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int j = 0;
        for (; j + 2 * DL <= len; j += 2 * DL) {
            DoubleVector v = DoubleVector.fromByteBuffer(D, b, at + j * DB, o);
            DoubleVector w = DoubleVector.fromByteBuffer(D, b, at + (j + DL) * DB, o);
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
        VectorBufferRowLoops.sumFourFloats(b, at, step, len, sums);
    }

    @Override
    public void sumFourDoubles(ByteBuffer b, int at, int step, int len, double[] sums) {
        VectorBufferRowLoops.sumFourDoubles(b, at, step, len, sums);
    }

    @Override
    public void scaleFourFloats(ByteBuffer b, int at, int step, int len, double[] factors) {
        VectorBufferRowLoops.scaleFourFloats(b, at, step, len, factors);
    }

    @Override
    public void scaleFourDoubles(ByteBuffer b, int at, int step, int len, double[] factors) {
        VectorBufferRowLoops.scaleFourDoubles(b, at, step, len, factors);
    }

    @Override
    public void scaleRowsFloats(ByteBuffer b, int at, int rows, int stride, int w, float[] factors) {
        VectorBufferRowLoops.scaleRowsFloats(b, at, rows, stride, w, factors);
    }

    @Override
    public void scaleRowsDoubles(ByteBuffer b, int at, int rows, int stride, int w, double[] factors) {
        VectorBufferRowLoops.scaleRowsDoubles(b, at, rows, stride, w, factors);
    }

    @Override
    public void scaleFloats(ByteBuffer b, int at, int len, float factor) {
        ByteOrder o = NATIVE;
        FloatVector f = FloatVector.broadcast(F, factor);
        int n = F.length();
        int j = 0;
        for (; j + n <= len; j += n) {
            int p = at + j * FB;
            FloatVector.fromByteBuffer(F, b, p, o).mul(f).intoByteBuffer(b, p, o);
        }
        SCALAR.scaleFloats(b, at + j * FB, len - j, factor);
    }

    @Override
    public void scaleDoubles(ByteBuffer b, int at, int len, double factor) {
        ByteOrder o = NATIVE;
        DoubleVector f = DoubleVector.broadcast(D, factor);
        int j = 0;
        for (; j + DL <= len; j += DL) {
            int p = at + j * DB;
            DoubleVector.fromByteBuffer(D, b, p, o).mul(f).intoByteBuffer(b, p, o);
        }
        SCALAR.scaleDoubles(b, at + j * DB, len - j, factor);
    }

    /** As {@link VectorColumnSums}: four rows per pass, each column a running sum in row order. */
    @Override
    public void addColumnSumsFloats(ByteBuffer b, int at, int rows, int stride, int w, double[] sums) {
        ByteOrder o = NATIVE;
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
                DoubleVector v0 = widen(b, o0 + p, o);
                acc = v0.fma(v0, acc);
                DoubleVector v1 = widen(b, o1 + p, o);
                acc = v1.fma(v1, acc);
                DoubleVector v2 = widen(b, o2 + p, o);
                acc = v2.fma(v2, acc);
                DoubleVector v3 = widen(b, o3 + p, o);
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
        ByteOrder o = NATIVE;
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
                DoubleVector v0 = DoubleVector.fromByteBuffer(D, b, o0 + p, o);
                acc = v0.fma(v0, acc);
                DoubleVector v1 = DoubleVector.fromByteBuffer(D, b, o1 + p, o);
                acc = v1.fma(v1, acc);
                DoubleVector v2 = DoubleVector.fromByteBuffer(D, b, o2 + p, o);
                acc = v2.fma(v2, acc);
                DoubleVector v3 = DoubleVector.fromByteBuffer(D, b, o3 + p, o);
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
        ByteOrder o = NATIVE;
        int q = len / 4;
        int n = F.length();
        int qb = q * FB;
        int j = 0;
        for (; j + n <= q; j += n) {
            int p = at + j * FB;
            for (int s = 0; s < 4; s++) {
                int ps = p + s * qb;
                FloatVector.fromByteBuffer(F, b, ps, o).min(upper).max(lower).intoByteBuffer(b, ps, o);
            }
        }
        for (int s = 0; s < 4; s++) {
            SCALAR.clampFloats(b, at + s * qb + j * FB, q - j, lower, upper);
        }
        SCALAR.clampFloats(b, at + 4 * qb, len - 4 * q, lower, upper);
    }

    @Override
    public void clampDoubles(ByteBuffer b, int at, int len, double lower, double upper) {
        ByteOrder o = NATIVE;
        int q = len / 4;
        int qb = q * DB;
        int j = 0;
        for (; j + DL <= q; j += DL) {
            int p = at + j * DB;
            for (int s = 0; s < 4; s++) {
                int ps = p + s * qb;
                DoubleVector.fromByteBuffer(D, b, ps, o).min(upper).max(lower).intoByteBuffer(b, ps, o);
            }
        }
        for (int s = 0; s < 4; s++) {
            SCALAR.clampDoubles(b, at + s * qb + j * DB, q - j, lower, upper);
        }
        SCALAR.clampDoubles(b, at + 4 * qb, len - 4 * q, lower, upper);
    }
}
