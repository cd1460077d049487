package dev.kerb.core.internal;

import static dev.kerb.core.internal.VectorLoops.D;
import static dev.kerb.core.internal.VectorLoops.DL;
import static dev.kerb.core.internal.VectorLoops.widen;

import jdk.incubator.vector.DoubleVector;

/**
 * Column sums of squares on the Vector API, added to the sums given, the first pass of every column norm, squares
 * exact in double (float32 lanes widened first): {@link Loops#addColumnSums} in row order, eight rows per pass (then
 * four, then one), so that each vector of sums is loaded and stored once per eight rows; and
 * {@link Loops#addQuarterColumnSums}, row {@code i} of each of four quarters per pass.
 */
final class VectorColumnSums {
    private VectorColumnSums() {
    }

    static void add(float[] a, int at, int rows, int stride, int w, double[] sums) {
        int r = 0;
        for (; r + 8 <= rows; r += 8) {
            // Eight rows per pass: each vector of sums is loaded and stored once per eight rows.
            int o0 = at + r * stride;
            int j = 0;
            for (; j + DL <= w; j += DL) {
                DoubleVector acc = DoubleVector.fromArray(D, sums, j);
                for (int k = 0; k < 8; k++) {
                    DoubleVector v = widen(a, o0 + k * stride + j);
                    acc = v.fma(v, acc);
                }
                acc.intoArray(sums, j);
            }
            for (; j < w; j++) {
                double s = sums[j];
                for (int k = 0; k < 8; k++) {
                    double x = a[o0 + k * stride + j];
                    s = Math.fma(x, x, s);
                }
                sums[j] = s;
            }
        }
        for (; r + 4 <= rows; r += 4) {
            addFour(a, at + r * stride, stride, w, sums);
        }
        for (; r < rows; r++) {
            int o = at + r * stride;
            for (int j = 0; j < w; j++) {
                double x = a[o + j];
                sums[j] += x * x; // exact square, so the same as a fused multiply-add
            }
        }
    }

    static void add(double[] a, int at, int rows, int stride, int w, double[] sums) {
        int r = 0;
        for (; r + 8 <= rows; r += 8) {
            int o0 = at + r * stride;
            int j = 0;
            for (; j + DL <= w; j += DL) {
                DoubleVector acc = DoubleVector.fromArray(D, sums, j);
                for (int k = 0; k < 8; k++) {
                    DoubleVector v = DoubleVector.fromArray(D, a, o0 + k * stride + j);
                    acc = v.fma(v, acc);
                }
                acc.intoArray(sums, j);
            }
            for (; j < w; j++) {
                double s = sums[j];
                for (int k = 0; k < 8; k++) {
                    double x = a[o0 + k * stride + j];
                    s = Math.fma(x, x, s);
                }
                sums[j] = s;
            }
        }
        for (; r + 4 <= rows; r += 4) {
            addFour(a, at + r * stride, stride, w, sums);
        }
        for (; r < rows; r++) {
            int o = at + r * stride;
            for (int j = 0; j < w; j++) {
                sums[j] = Math.fma(a[o + j], a[o + j], sums[j]);
            }
        }
    }

    /**
     * {@link Loops#addQuarterColumnSums}: row {@code r} of each of the four quarters in one loop, the four rows'
     * squares added to each vector of sums in quarter order, as {@link #add} adds four rows.
     */
    static void addQuarters(float[] a, int at, int q, int stride, int w, double[] sums) {
        for (int r = 0; r < q; r++) {
            addFour(a, at + r * stride, q * stride, w, sums);
        }
    }

    /** As {@link #addQuarters(float[], int, int, int, int, double[])}, for float64. */
    static void addQuarters(double[] a, int at, int q, int stride, int w, double[] sums) {
        for (int r = 0; r < q; r++) {
            addFour(a, at + r * stride, q * stride, w, sums);
        }
    }

    /** Adds the squares of the four rows from {@code o0}, {@code step} apart, to each column in row order. */
    private static void addFour(float[] a, int o0, int step, int w, double[] sums) {
        int o1 = o0 + step;
        int o2 = o1 + step;
        int o3 = o2 + step;
        int j = 0;
        for (; j + DL <= w; j += DL) {
            DoubleVector acc = DoubleVector.fromArray(D, sums, j);
            DoubleVector v0 = widen(a, o0 + j);
            acc = v0.fma(v0, acc);
            DoubleVector v1 = widen(a, o1 + j);
            acc = v1.fma(v1, acc);
            DoubleVector v2 = widen(a, o2 + j);
            acc = v2.fma(v2, acc);
            DoubleVector v3 = widen(a, o3 + j);
            acc = v3.fma(v3, acc);
            acc.intoArray(sums, j);
        }
        for (; j < w; j++) {
            double x0 = a[o0 + j];
            double x1 = a[o1 + j];
            double x2 = a[o2 + j];
            double x3 = a[o3 + j];
            sums[j] = Math.fma(x3, x3, Math.fma(x2, x2, Math.fma(x1, x1, Math.fma(x0, x0, sums[j]))));
        }
    }

    /** As {@link #addFour(float[], int, int, int, double[])}, for float64. */
    private static void addFour(double[] a, int o0, int step, int w, double[] sums) {
        int o1 = o0 + step;
        int o2 = o1 + step;
        int o3 = o2 + step;
        int j = 0;
        for (; j + DL <= w; j += DL) {
            DoubleVector acc = DoubleVector.fromArray(D, sums, j);
            DoubleVector v0 = DoubleVector.fromArray(D, a, o0 + j);
            acc = v0.fma(v0, acc);
            DoubleVector v1 = DoubleVector.fromArray(D, a, o1 + j);
            acc = v1.fma(v1, acc);
            DoubleVector v2 = DoubleVector.fromArray(D, a, o2 + j);
            acc = v2.fma(v2, acc);
            DoubleVector v3 = DoubleVector.fromArray(D, a, o3 + j);
            acc = v3.fma(v3, acc);
            acc.intoArray(sums, j);
        }
        for (; j < w; j++) {
            double x0 = a[o0 + j];
            double x1 = a[o1 + j];
            double x2 = a[o2 + j];
            double x3 = a[o3 + j];
            sums[j] = Math.fma(x3, x3, Math.fma(x2, x2, Math.fma(x1, x1, Math.fma(x0, x0, sums[j]))));
        }
    }
}
