package dev.kerb.core.internal;

import static dev.kerb.core.internal.VectorBufferLoops.DB;
import static dev.kerb.core.internal.VectorBufferLoops.FB;
import static dev.kerb.core.internal.VectorBufferLoops.NATIVE;
import static dev.kerb.core.internal.VectorBufferLoops.widen;
import static dev.kerb.core.internal.VectorLoops.D;
import static dev.kerb.core.internal.VectorLoops.DL;
import static dev.kerb.core.internal.VectorLoops.F;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * {@link VectorRowLoops} over buffers, which {@link VectorBufferLoops} delegates to: four rows read or written in one
 * loop, four memory streams in flight. Each row's sum is, lane for lane, the one-row sum of
 * {@link VectorBufferLoops#sumFloats} and so of {@link VectorLoops#sum}. Positions are byte offsets.
 */
final class VectorBufferRowLoops {
    private static final ScalarBufferLoops SCALAR = ScalarBufferLoops.INSTANCE;

    private VectorBufferRowLoops() {
    }

    static void sumFourFloats(ByteBuffer b, int at, int step, int len, double[] sums) {
        ByteOrder o = NATIVE;
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
            DoubleVector v = widen(b, at + p, o);
            a0 = v.fma(v, a0);
            v = widen(b, at + p + hb, o);
            b0 = v.fma(v, b0);
            v = widen(b, o1 + p, o);
            a1 = v.fma(v, a1);
            v = widen(b, o1 + p + hb, o);
            b1 = v.fma(v, b1);
            v = widen(b, o2 + p, o);
            a2 = v.fma(v, a2);
            v = widen(b, o2 + p + hb, o);
            b2 = v.fma(v, b2);
            v = widen(b, o3 + p, o);
            a3 = v.fma(v, a3);
            v = widen(b, o3 + p + hb, o);
            b3 = v.fma(v, b3);
        }
        int p = j * FB;
        sums[0] = tailFloats(b, at + p, len - j, VectorLanes.sum(a0.add(b0)));
        sums[1] = tailFloats(b, o1 + p, len - j, VectorLanes.sum(a1.add(b1)));
        sums[2] = tailFloats(b, o2 + p, len - j, VectorLanes.sum(a2.add(b2)));
        sums[3] = tailFloats(b, o3 + p, len - j, VectorLanes.sum(a3.add(b3)));
    }

    static void sumFourDoubles(ByteBuffer b, int at, int step, int len, double[] sums) {
        ByteOrder o = NATIVE;
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
            DoubleVector v = DoubleVector.fromByteBuffer(D, b, at + p, o);
            a0 = v.fma(v, a0);
            v = DoubleVector.fromByteBuffer(D, b, at + p + hb, o);
            b0 = v.fma(v, b0);
            v = DoubleVector.fromByteBuffer(D, b, o1 + p, o);
            a1 = v.fma(v, a1);
            v = DoubleVector.fromByteBuffer(D, b, o1 + p + hb, o);
            b1 = v.fma(v, b1);
            v = DoubleVector.fromByteBuffer(D, b, o2 + p, o);
            a2 = v.fma(v, a2);
            v = DoubleVector.fromByteBuffer(D, b, o2 + p + hb, o);
            b2 = v.fma(v, b2);
            v = DoubleVector.fromByteBuffer(D, b, o3 + p, o);
            a3 = v.fma(v, a3);
            v = DoubleVector.fromByteBuffer(D, b, o3 + p + hb, o);
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

    static void scaleFourFloats(ByteBuffer b, int at, int step, int len, double[] factors) {
        ByteOrder o = NATIVE;
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
            FloatVector.fromByteBuffer(F, b, at + p, o).mul(f0).intoByteBuffer(b, at + p, o);
            FloatVector.fromByteBuffer(F, b, o1 + p, o).mul(f1).intoByteBuffer(b, o1 + p, o);
            FloatVector.fromByteBuffer(F, b, o2 + p, o).mul(f2).intoByteBuffer(b, o2 + p, o);
            FloatVector.fromByteBuffer(F, b, o3 + p, o).mul(f3).intoByteBuffer(b, o3 + p, o);
        }
        for (int k = 0; k < 4; k++) {
            SCALAR.scaleFloats(b, at + k * step + j * FB, len - j, (float) factors[k]);
        }
    }

    static void scaleFourDoubles(ByteBuffer b, int at, int step, int len, double[] factors) {
        ByteOrder o = NATIVE;
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
            DoubleVector.fromByteBuffer(D, b, at + p, o).mul(f0).intoByteBuffer(b, at + p, o);
            DoubleVector.fromByteBuffer(D, b, o1 + p, o).mul(f1).intoByteBuffer(b, o1 + p, o);
            DoubleVector.fromByteBuffer(D, b, o2 + p, o).mul(f2).intoByteBuffer(b, o2 + p, o);
            DoubleVector.fromByteBuffer(D, b, o3 + p, o).mul(f3).intoByteBuffer(b, o3 + p, o);
        }
        for (int k = 0; k < 4; k++) {
            SCALAR.scaleDoubles(b, at + k * step + j * DB, len - j, factors[k]);
        }
    }

    /** Multiplies rows by per-column factors, four rows per pass: each factor vector loaded once per four rows. */
    static void scaleRowsFloats(ByteBuffer b, int at, int rows, int stride, int w, float[] factors) {
        ByteOrder o = NATIVE;
        int n = F.length();
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int o0 = at + r * stride;
            int j = 0;
            for (; j + n <= w; j += n) {
                FloatVector f = FloatVector.fromArray(F, factors, j);
                for (int k = 0, p = o0 + j * FB; k < 4; k++, p += stride) {
                    FloatVector.fromByteBuffer(F, b, p, o).mul(f).intoByteBuffer(b, p, o);
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
                FloatVector.fromByteBuffer(F, b, p, o).mul(FloatVector.fromArray(F, factors, j)).intoByteBuffer(b, p, o);
            }
            for (; j < w; j++) {
                int p = o0 + j * FB;
                b.putFloat(p, b.getFloat(p) * factors[j]);
            }
        }
    }

    static void scaleRowsDoubles(ByteBuffer b, int at, int rows, int stride, int w, double[] factors) {
        ByteOrder o = NATIVE;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int o0 = at + r * stride;
            int j = 0;
            for (; j + DL <= w; j += DL) {
                DoubleVector f = DoubleVector.fromArray(D, factors, j);
                for (int k = 0, p = o0 + j * DB; k < 4; k++, p += stride) {
                    DoubleVector.fromByteBuffer(D, b, p, o).mul(f).intoByteBuffer(b, p, o);
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
                DoubleVector.fromByteBuffer(D, b, p, o).mul(DoubleVector.fromArray(D, factors, j))
                        .intoByteBuffer(b, p, o);
            }
            for (; j < w; j++) {
                int p = o0 + j * DB;
                b.putDouble(p, b.getDouble(p) * factors[j]);
            }
        }
    }
}
