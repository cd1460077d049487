package dev.kerb.core.internal;

import static dev.kerb.core.internal.VectorLoops.D;
import static dev.kerb.core.internal.VectorLoops.DL;
import static dev.kerb.core.internal.VectorLoops.F;
import static dev.kerb.core.internal.VectorLoops.widen;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * The Vector API loops over four or eight rows at a time, which {@link VectorLoops} delegates to. Rows read together
 * keep several memory streams in flight, which on the machines measured makes a pass about 1.5x faster than one
 * stream once the tensor is larger than the cache.
 *
 * <p>The scaling loops load a vector of every row before they store any: rows whose distance is a multiple of 4 KiB
 * (a 3x3x512x512 float64 conv kernel's rows are 4 KiB) share their low twelve address bits, and a load that follows
 * a store with the same low bits waits for it (4K aliasing), which made that kernel's scaling pass markedly slower
 * with loads and stores interleaved (bench/RESULTS.md, kernel choices).
 */
final class VectorRowLoops {
    private VectorRowLoops() {
    }

    /**
     * Bytes from which {@link #scaleRows} scales rows from four quarters rather than four adjacent rows: half the
     * 2 MiB L2 of the machines measured. Below it the rows are in cache, where the quarters only add strides.
     */
    private static final long QUARTERS_FROM_BYTES = 1 << 20;

    /**
     * As {@link Loops}, on the Vector API. Rows that span {@value #QUARTERS_FROM_BYTES} bytes or more fall into four
     * quarters, and row {@code i} of every quarter is scaled together: four memory streams, each reading its rows
     * in order, which came closest to one stream's speed of the ways measured (bench/RESULTS.md, kernel choices).
     * Fewer rows are in cache and go four adjacent rows at a time. The rows left over are scaled one at a time.
     */
    static void scaleRows(float[] a, int at, int rows, int stride, int w, float[] factors) {
        int done = 0;
        if ((long) rows * stride * Float.BYTES >= QUARTERS_FROM_BYTES) {
            int q = rows / 4;
            for (int r = 0; r < q; r++) {
                scaleColumnsOfFour(a, at + r * stride, q * stride, w, factors);
            }
            done = 4 * q;
        } else {
            for (; done + 4 <= rows; done += 4) {
                scaleColumnsOfFour(a, at + done * stride, stride, w, factors);
            }
        }
        for (int r = done; r < rows; r++) {
            VectorLoops.scaleEach(a, at + r * stride, w, factors);
        }
    }

    /** As {@link #scaleRows(float[], int, int, int, int, float[])}, for float64. */
    static void scaleRows(double[] a, int at, int rows, int stride, int w, double[] factors) {
        int done = 0;
        if ((long) rows * stride * Double.BYTES >= QUARTERS_FROM_BYTES) {
            int q = rows / 4;
            for (int r = 0; r < q; r++) {
                scaleColumnsOfFour(a, at + r * stride, q * stride, w, factors);
            }
            done = 4 * q;
        } else {
            for (; done + 4 <= rows; done += 4) {
                scaleColumnsOfFour(a, at + done * stride, stride, w, factors);
            }
        }
        for (int r = done; r < rows; r++) {
            VectorLoops.scaleEach(a, at + r * stride, w, factors);
        }
    }

    /**
     * Multiplies the {@code w} elements from each of {@code o}, {@code o + step}, {@code o + 2 step} and
     * {@code o + 3 step} by the factors of their columns.
     */
    private static void scaleColumnsOfFour(float[] a, int o, int step, int w, float[] factors) {
        int o1 = o + step;
        int o2 = o1 + step;
        int o3 = o2 + step;
        int fl = F.length();
        int j = 0;
        for (; j + fl <= w; j += fl) {
            FloatVector f = FloatVector.fromArray(F, factors, j);
            FloatVector v0 = FloatVector.fromArray(F, a, o + j);
            FloatVector v1 = FloatVector.fromArray(F, a, o1 + j);
            FloatVector v2 = FloatVector.fromArray(F, a, o2 + j);
            FloatVector v3 = FloatVector.fromArray(F, a, o3 + j);
            v0.mul(f).intoArray(a, o + j);
            v1.mul(f).intoArray(a, o1 + j);
            v2.mul(f).intoArray(a, o2 + j);
            v3.mul(f).intoArray(a, o3 + j);
        }
        for (; j < w; j++) {
            a[o + j] *= factors[j];
            a[o1 + j] *= factors[j];
            a[o2 + j] *= factors[j];
            a[o3 + j] *= factors[j];
        }
    }

    private static void scaleColumnsOfFour(double[] a, int o, int step, int w, double[] factors) {
        int o1 = o + step;
        int o2 = o1 + step;
        int o3 = o2 + step;
        int j = 0;
        for (; j + DL <= w; j += DL) {
            DoubleVector f = DoubleVector.fromArray(D, factors, j);
            DoubleVector v0 = DoubleVector.fromArray(D, a, o + j);
            DoubleVector v1 = DoubleVector.fromArray(D, a, o1 + j);
            DoubleVector v2 = DoubleVector.fromArray(D, a, o2 + j);
            DoubleVector v3 = DoubleVector.fromArray(D, a, o3 + j);
            v0.mul(f).intoArray(a, o + j);
            v1.mul(f).intoArray(a, o1 + j);
            v2.mul(f).intoArray(a, o2 + j);
            v3.mul(f).intoArray(a, o3 + j);
        }
        for (; j < w; j++) {
            a[o + j] *= factors[j];
            a[o1 + j] *= factors[j];
            a[o2 + j] *= factors[j];
            a[o3 + j] *= factors[j];
        }
    }

    /**
     * As {@link Loops}, on the Vector API. The four rows are read in one loop, with the two accumulators per row of {@link VectorLoops#sum}, in its
     * order: four streams in flight, and four independent chains of adds.
     */
    static void sumFour(float[] a, int at, int step, int len, double[] sums) {
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
        int j = 0;
        for (; j + 2 * DL <= len; j += 2 * DL) {
            DoubleVector v = widen(a, at + j);
            a0 = v.fma(v, a0);
            v = widen(a, at + j + DL);
            b0 = v.fma(v, b0);
            v = widen(a, o1 + j);
            a1 = v.fma(v, a1);
            v = widen(a, o1 + j + DL);
            b1 = v.fma(v, b1);
            v = widen(a, o2 + j);
            a2 = v.fma(v, a2);
            v = widen(a, o2 + j + DL);
            b2 = v.fma(v, b2);
            v = widen(a, o3 + j);
            a3 = v.fma(v, a3);
            v = widen(a, o3 + j + DL);
            b3 = v.fma(v, b3);
        }
        sums[0] = tail(a, at + j, len - j, VectorLanes.sum(a0.add(b0)));
        sums[1] = tail(a, o1 + j, len - j, VectorLanes.sum(a1.add(b1)));
        sums[2] = tail(a, o2 + j, len - j, VectorLanes.sum(a2.add(b2)));
        sums[3] = tail(a, o3 + j, len - j, VectorLanes.sum(a3.add(b3)));
    }

    static void sumFour(double[] a, int at, int step, int len, double[] sums) {
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
        int j = 0;
        for (; j + 2 * DL <= len; j += 2 * DL) {
            DoubleVector v = DoubleVector.fromArray(D, a, at + j);
            a0 = v.fma(v, a0);
            v = DoubleVector.fromArray(D, a, at + j + DL);
            b0 = v.fma(v, b0);
            v = DoubleVector.fromArray(D, a, o1 + j);
            a1 = v.fma(v, a1);
            v = DoubleVector.fromArray(D, a, o1 + j + DL);
            b1 = v.fma(v, b1);
            v = DoubleVector.fromArray(D, a, o2 + j);
            a2 = v.fma(v, a2);
            v = DoubleVector.fromArray(D, a, o2 + j + DL);
            b2 = v.fma(v, b2);
            v = DoubleVector.fromArray(D, a, o3 + j);
            a3 = v.fma(v, a3);
            v = DoubleVector.fromArray(D, a, o3 + j + DL);
            b3 = v.fma(v, b3);
        }
        sums[0] = tail(a, at + j, len - j, VectorLanes.sum(a0.add(b0)));
        sums[1] = tail(a, o1 + j, len - j, VectorLanes.sum(a1.add(b1)));
        sums[2] = tail(a, o2 + j, len - j, VectorLanes.sum(a2.add(b2)));
        sums[3] = tail(a, o3 + j, len - j, VectorLanes.sum(a3.add(b3)));
    }

    /** Returns {@code s} plus the squares of a row's last, unvectorized elements, added one by one as in sum. */
    private static double tail(float[] a, int from, int len, double s) {
        for (int i = from; i < from + len; i++) {
            double x = a[i];
            s += x * x;
        }
        return s;
    }

    /** As {@link #tail(float[], int, int, double)}, for float64. */
    private static double tail(double[] a, int from, int len, double s) {
        for (int i = from; i < from + len; i++) {
            s += a[i] * a[i];
        }
        return s;
    }

    /** {@inheritDoc} Four rows in one loop: four streams in flight. */
    static void scaleFour(float[] a, int at, int step, int len, float[] factors) {
        FloatVector f0 = FloatVector.broadcast(F, factors[0]);
        FloatVector f1 = FloatVector.broadcast(F, factors[1]);
        FloatVector f2 = FloatVector.broadcast(F, factors[2]);
        FloatVector f3 = FloatVector.broadcast(F, factors[3]);
        int o1 = at + step;
        int o2 = o1 + step;
        int o3 = o2 + step;
        int j = 0;
        for (int fl = F.length(); j + fl <= len; j += fl) {
            FloatVector v0 = FloatVector.fromArray(F, a, at + j);
            FloatVector v1 = FloatVector.fromArray(F, a, o1 + j);
            FloatVector v2 = FloatVector.fromArray(F, a, o2 + j);
            FloatVector v3 = FloatVector.fromArray(F, a, o3 + j);
            v0.mul(f0).intoArray(a, at + j);
            v1.mul(f1).intoArray(a, o1 + j);
            v2.mul(f2).intoArray(a, o2 + j);
            v3.mul(f3).intoArray(a, o3 + j);
        }
        for (int k = 0; k < 4; k++) {
            VectorLoops.SCALAR.scale(a, at + k * step + j, len - j, factors[k]);
        }
    }

    static void scaleFour(double[] a, int at, int step, int len, double[] factors) {
        DoubleVector f0 = DoubleVector.broadcast(D, factors[0]);
        DoubleVector f1 = DoubleVector.broadcast(D, factors[1]);
        DoubleVector f2 = DoubleVector.broadcast(D, factors[2]);
        DoubleVector f3 = DoubleVector.broadcast(D, factors[3]);
        int o1 = at + step;
        int o2 = o1 + step;
        int o3 = o2 + step;
        int j = 0;
        for (; j + DL <= len; j += DL) {
            DoubleVector v0 = DoubleVector.fromArray(D, a, at + j);
            DoubleVector v1 = DoubleVector.fromArray(D, a, o1 + j);
            DoubleVector v2 = DoubleVector.fromArray(D, a, o2 + j);
            DoubleVector v3 = DoubleVector.fromArray(D, a, o3 + j);
            v0.mul(f0).intoArray(a, at + j);
            v1.mul(f1).intoArray(a, o1 + j);
            v2.mul(f2).intoArray(a, o2 + j);
            v3.mul(f3).intoArray(a, o3 + j);
        }
        for (int k = 0; k < 4; k++) {
            VectorLoops.SCALAR.scale(a, at + k * step + j, len - j, factors[k]);
        }
    }
}
