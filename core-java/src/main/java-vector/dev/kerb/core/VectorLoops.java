package dev.kerb.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link Loops} on the Vector API: the loops over one range; the loops over four rows at a time are in
 * {@link VectorRowLoops}. Float lanes are widened to double before squaring (JDK 17's C2 does not vectorize that
 * conversion in plain loops), so results are exact squares summed in double, like the scalar loops, in another
 * order. Loaded by name from {@link Loops#INSTANCE} only when {@code jdk.incubator.vector} is present.
 */
final class VectorLoops extends VectorRowLoops {
    @Override
    double sum(float[] a, int from, int len) {
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int i = from;
        int end = from + len;
        // Each square is exact in double; two accumulators let the adds overlap.
        for (; i + 2 * DL <= end; i += 2 * DL) {
            DoubleVector lo = widen(a, i);
            DoubleVector hi = widen(a, i + DL);
            acc0 = lo.fma(lo, acc0);
            acc1 = hi.fma(hi, acc1);
        }
        double s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            double x = a[i];
            s += x * x;
        }
        return s;
    }

    @Override
    double sum(double[] a, int from, int len) {
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int i = from;
        int end = from + len;
        for (; i + 2 * DL <= end; i += 2 * DL) {
            DoubleVector v = DoubleVector.fromArray(D, a, i);
            DoubleVector w = DoubleVector.fromArray(D, a, i + DL);
            acc0 = v.fma(v, acc0);
            acc1 = w.fma(w, acc1);
        }
        double s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < end; i++) {
            s += a[i] * a[i];
        }
        return s;
    }

    @Override
    void scale(float[] a, int from, int len, float factor) {
        FloatVector f = FloatVector.broadcast(F, factor);
        int i = from;
        for (int end = from + len; i + F.length() <= end; i += F.length()) {
            FloatVector.fromArray(F, a, i).mul(f).intoArray(a, i);
        }
        super.scale(a, i, from + len - i, factor);
    }

    @Override
    void scale(double[] a, int from, int len, double factor) {
        DoubleVector f = DoubleVector.broadcast(D, factor);
        int i = from;
        for (int end = from + len; i + DL <= end; i += DL) {
            DoubleVector.fromArray(D, a, i).mul(f).intoArray(a, i);
        }
        super.scale(a, i, from + len - i, factor);
    }

    @Override
    void scale(float[] a, int from, int len, float[] factors) {
        int i = 0;
        for (; i + F.length() <= len; i += F.length()) {
            FloatVector.fromArray(F, a, from + i).mul(FloatVector.fromArray(F, factors, i)).intoArray(a, from + i);
        }
        for (; i < len; i++) {
            a[from + i] *= factors[i];
        }
    }

    @Override
    void scale(double[] a, int from, int len, double[] factors) {
        int i = 0;
        for (; i + DL <= len; i += DL) {
            DoubleVector.fromArray(D, a, from + i).mul(DoubleVector.fromArray(D, factors, i)).intoArray(a, from + i);
        }
        for (; i < len; i++) {
            a[from + i] *= factors[i];
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Four quarters of the range advance together, four streams in flight, as in {@link VectorRowLoops}.
     */
    @Override
    void clamp(float[] a, int from, int len, float lower, float upper) {
        int q = len / 4;
        int n = F.length();
        int i = from;
        for (; i + n <= from + q; i += n) {
            clampVector(a, i, lower, upper);
            clampVector(a, i + q, lower, upper);
            clampVector(a, i + 2 * q, lower, upper);
            clampVector(a, i + 3 * q, lower, upper);
        }
        for (int s = 0; s < 4; s++) {
            super.clamp(a, i + s * q, from + q - i, lower, upper);
        }
        super.clamp(a, from + 4 * q, len - 4 * q, lower, upper);
    }

    private static void clampVector(float[] a, int at, float lower, float upper) {
        FloatVector.fromArray(F, a, at).min(upper).max(lower).intoArray(a, at);
    }

    @Override
    void clamp(double[] a, int from, int len, double lower, double upper) {
        int q = len / 4;
        int i = from;
        for (; i + DL <= from + q; i += DL) {
            clampVector(a, i, lower, upper);
            clampVector(a, i + q, lower, upper);
            clampVector(a, i + 2 * q, lower, upper);
            clampVector(a, i + 3 * q, lower, upper);
        }
        for (int s = 0; s < 4; s++) {
            super.clamp(a, i + s * q, from + q - i, lower, upper);
        }
        super.clamp(a, from + 4 * q, len - 4 * q, lower, upper);
    }

    private static void clampVector(double[] a, int at, double lower, double upper) {
        DoubleVector.fromArray(D, a, at).min(upper).max(lower).intoArray(a, at);
    }

    @Override
    boolean vectorized() {
        return true;
    }
}
