package dev.kerb.core.internal;

import static dev.kerb.core.internal.VectorBufferLoops.DB;
import static dev.kerb.core.internal.VectorBufferLoops.FB;
import static dev.kerb.core.internal.VectorBufferLoops.NATIVE;
import static dev.kerb.core.internal.VectorBufferLoops.widen;
import static dev.kerb.core.internal.VectorLoops.D;
import static dev.kerb.core.internal.VectorLoops.DL;
import static dev.kerb.core.internal.VectorLoops.F;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * {@link VectorRowLoops} over buffers on JDK 22 and later, the multi-release jar's version of the JDK 17 class, which
 * {@link VectorBufferLoops} delegates to: four rows read or written in one loop, four memory streams in flight, the
 * vectors through {@code m}, a segment over all of {@code b}, and the scalar tails through {@code b}. Each row's sum
 * is, lane for lane, the one-row sum of {@link VectorBufferLoops#sumFloats} and so of {@link VectorLoops#sum}.
 * Positions are absolute byte offsets, in {@code b} and {@code m} alike.
 *
 * <p>It repeats the JDK 17 loops rather than sharing them through a static load or store call per vector, since C2
 * on JDK 25 then stopped inlining those calls and boxed the vectors (bench/RESULTS.md, 2026-12-07).
 */
final class VectorBufferRowLoops {
    private static final ScalarBufferLoops SCALAR = ScalarBufferLoops.INSTANCE;

    private VectorBufferRowLoops() {
    }

    static void sumFourFloats(MemorySegment m, ByteBuffer b, int at, int step, int len, double[] sums) {
        DoubleVector a0 = DoubleVector.zero(D);
        DoubleVector b0 = a0;
        DoubleVector a1 = a0;
        DoubleVector b1 = a0;
        DoubleVector a2 = a0;
        DoubleVector b2 = a0;
        DoubleVector a3 = a0;
        DoubleVector b3 = a0;
        int o1 = at + step;
        int o2 = o1 + step;
        int o3 = o2 + step;
        int hb = DL * FB;
        int j = 0;
        for (; j + 2 * DL <= len; j += 2 * DL) {
            int p = j * FB;
            DoubleVector v = widen(m, at + p);
            a0 = v.fma(v, a0);
            v = widen(m, at + p + hb);
            b0 = v.fma(v, b0);
            v = widen(m, o1 + p);
            a1 = v.fma(v, a1);
            v = widen(m, o1 + p + hb);
            b1 = v.fma(v, b1);
            v = widen(m, o2 + p);
            a2 = v.fma(v, a2);
            v = widen(m, o2 + p + hb);
            b2 = v.fma(v, b2);
            v = widen(m, o3 + p);
            a3 = v.fma(v, a3);
            v = widen(m, o3 + p + hb);
            b3 = v.fma(v, b3);
        }
        int p = j * FB;
        sums[0] = tailFloats(b, at + p, len - j, VectorLanes.sum(a0.add(b0)));
        sums[1] = tailFloats(b, o1 + p, len - j, VectorLanes.sum(a1.add(b1)));
        sums[2] = tailFloats(b, o2 + p, len - j, VectorLanes.sum(a2.add(b2)));
        sums[3] = tailFloats(b, o3 + p, len - j, VectorLanes.sum(a3.add(b3)));
    }

    static void sumFourDoubles(MemorySegment m, ByteBuffer b, int at, int step, int len, double[] sums) {
        DoubleVector a0 = DoubleVector.zero(D);
        DoubleVector b0 = a0;
        DoubleVector a1 = a0;
        DoubleVector b1 = a0;
        DoubleVector a2 = a0;
        DoubleVector b2 = a0;
        DoubleVector a3 = a0;
        DoubleVector b3 = a0;
        int o1 = at + step;
        int o2 = o1 + step;
        int o3 = o2 + step;
        int hb = DL * DB;
        int j = 0;
        for (; j + 2 * DL <= len; j += 2 * DL) {
            int p = j * DB;
            DoubleVector v = DoubleVector.fromMemorySegment(D, m, at + p, NATIVE);
            a0 = v.fma(v, a0);
            v = DoubleVector.fromMemorySegment(D, m, at + p + hb, NATIVE);
            b0 = v.fma(v, b0);
            v = DoubleVector.fromMemorySegment(D, m, o1 + p, NATIVE);
            a1 = v.fma(v, a1);
            v = DoubleVector.fromMemorySegment(D, m, o1 + p + hb, NATIVE);
            b1 = v.fma(v, b1);
            v = DoubleVector.fromMemorySegment(D, m, o2 + p, NATIVE);
            a2 = v.fma(v, a2);
            v = DoubleVector.fromMemorySegment(D, m, o2 + p + hb, NATIVE);
            b2 = v.fma(v, b2);
            v = DoubleVector.fromMemorySegment(D, m, o3 + p, NATIVE);
            a3 = v.fma(v, a3);
            v = DoubleVector.fromMemorySegment(D, m, o3 + p + hb, NATIVE);
            b3 = v.fma(v, b3);
        }
        int p = j * DB;
        sums[0] = tailDoubles(b, at + p, len - j, VectorLanes.sum(a0.add(b0)));
        sums[1] = tailDoubles(b, o1 + p, len - j, VectorLanes.sum(a1.add(b1)));
        sums[2] = tailDoubles(b, o2 + p, len - j, VectorLanes.sum(a2.add(b2)));
        sums[3] = tailDoubles(b, o3 + p, len - j, VectorLanes.sum(a3.add(b3)));
    }

    /** Returns {@code s} plus the squares of a row's last, unvectorized elements, added one by one. */
    private static double tailFloats(ByteBuffer b, int at, int len, double s) {
        for (int i = at, end = at + len * FB; i < end; i += FB) {
            double x = b.getFloat(i);
            s += x * x;
        }
        return s;
    }

    private static double tailDoubles(ByteBuffer b, int at, int len, double s) {
        for (int i = at, end = at + len * DB; i < end; i += DB) {
            double x = b.getDouble(i);
            s += x * x;
        }
        return s;
    }

    static void scaleFourFloats(MemorySegment m, ByteBuffer b, int at, int step, int len, double[] factors) {
        FloatVector f0 = FloatVector.broadcast(F, (float) factors[0]);
        FloatVector f1 = FloatVector.broadcast(F, (float) factors[1]);
        FloatVector f2 = FloatVector.broadcast(F, (float) factors[2]);
        FloatVector f3 = FloatVector.broadcast(F, (float) factors[3]);
        int o1 = at + step;
        int o2 = o1 + step;
        int o3 = o2 + step;
        int j = 0;
        for (int n = F.length(); j + n <= len; j += n) {
            int p = j * FB;
            FloatVector.fromMemorySegment(F, m, at + p, NATIVE).mul(f0).intoMemorySegment(m, at + p, NATIVE);
            FloatVector.fromMemorySegment(F, m, o1 + p, NATIVE).mul(f1).intoMemorySegment(m, o1 + p, NATIVE);
            FloatVector.fromMemorySegment(F, m, o2 + p, NATIVE).mul(f2).intoMemorySegment(m, o2 + p, NATIVE);
            FloatVector.fromMemorySegment(F, m, o3 + p, NATIVE).mul(f3).intoMemorySegment(m, o3 + p, NATIVE);
        }
        for (int k = 0; k < 4; k++) {
            SCALAR.scaleFloats(b, at + k * step + j * FB, len - j, (float) factors[k]);
        }
    }

    static void scaleFourDoubles(MemorySegment m, ByteBuffer b, int at, int step, int len, double[] factors) {
        DoubleVector f0 = DoubleVector.broadcast(D, factors[0]);
        DoubleVector f1 = DoubleVector.broadcast(D, factors[1]);
        DoubleVector f2 = DoubleVector.broadcast(D, factors[2]);
        DoubleVector f3 = DoubleVector.broadcast(D, factors[3]);
        int o1 = at + step;
        int o2 = o1 + step;
        int o3 = o2 + step;
        int j = 0;
        for (; j + DL <= len; j += DL) {
            int p = j * DB;
            DoubleVector.fromMemorySegment(D, m, at + p, NATIVE).mul(f0).intoMemorySegment(m, at + p, NATIVE);
            DoubleVector.fromMemorySegment(D, m, o1 + p, NATIVE).mul(f1).intoMemorySegment(m, o1 + p, NATIVE);
            DoubleVector.fromMemorySegment(D, m, o2 + p, NATIVE).mul(f2).intoMemorySegment(m, o2 + p, NATIVE);
            DoubleVector.fromMemorySegment(D, m, o3 + p, NATIVE).mul(f3).intoMemorySegment(m, o3 + p, NATIVE);
        }
        for (int k = 0; k < 4; k++) {
            SCALAR.scaleDoubles(b, at + k * step + j * DB, len - j, factors[k]);
        }
    }

    /** Multiplies rows by per-column factors, four rows per pass: each factor vector loaded once per four rows. */
    static void scaleRowsFloats(MemorySegment m, ByteBuffer b, int at, int rows, int stride, int w, float[] factors) {
        int n = F.length();
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int o0 = at + r * stride;
            int j = 0;
            for (; j + n <= w; j += n) {
                FloatVector f = FloatVector.fromArray(F, factors, j);
                for (int k = 0, p = o0 + j * FB; k < 4; k++, p += stride) {
                    FloatVector.fromMemorySegment(F, m, p, NATIVE).mul(f).intoMemorySegment(m, p, NATIVE);
                }
            }
            for (; j < w; j++) {
                for (int k = 0, p = o0 + j * FB; k < 4; k++, p += stride) {
                    b.putFloat(p, b.getFloat(p) * factors[j]);
                }
            }
        }
        for (; r < rows; r++) {
            int o0 = at + r * stride;
            int j = 0;
            for (; j + n <= w; j += n) {
                int p = o0 + j * FB;
                FloatVector.fromMemorySegment(F, m, p, NATIVE).mul(FloatVector.fromArray(F, factors, j))
                        .intoMemorySegment(m, p, NATIVE);
            }
            for (; j < w; j++) {
                int p = o0 + j * FB;
                b.putFloat(p, b.getFloat(p) * factors[j]);
            }
        }
    }

    static void scaleRowsDoubles(MemorySegment m, ByteBuffer b, int at, int rows, int stride, int w, double[] factors) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int o0 = at + r * stride;
            int j = 0;
            for (; j + DL <= w; j += DL) {
                DoubleVector f = DoubleVector.fromArray(D, factors, j);
                for (int k = 0, p = o0 + j * DB; k < 4; k++, p += stride) {
                    DoubleVector.fromMemorySegment(D, m, p, NATIVE).mul(f).intoMemorySegment(m, p, NATIVE);
                }
            }
            for (; j < w; j++) {
                for (int k = 0, p = o0 + j * DB; k < 4; k++, p += stride) {
                    b.putDouble(p, b.getDouble(p) * factors[j]);
                }
            }
        }
        for (; r < rows; r++) {
            int o0 = at + r * stride;
            int j = 0;
            for (; j + DL <= w; j += DL) {
                int p = o0 + j * DB;
                DoubleVector.fromMemorySegment(D, m, p, NATIVE).mul(DoubleVector.fromArray(D, factors, j))
                        .intoMemorySegment(m, p, NATIVE);
            }
            for (; j < w; j++) {
                int p = o0 + j * DB;
                b.putDouble(p, b.getDouble(p) * factors[j]);
            }
        }
    }
}
