package dev.kerb.workloads;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloorLoop} on the Vector API: four streams, one vector of each per step, the four loaded before any is
 * stored: streams a multiple of 4 KiB apart (most workloads' are) share their low address bits, and a load that
 * follows such a store waits for it (bench/RESULTS.md, kernel choices). The read pass sums float32 squares in float32, a cheaper read than any
 * kernel's (which widen to double), so it bounds what a read can cost.
 */
final class VectorFloorLoop extends FloorLoop {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    // The kernels' float shape (half of D's width): on JDK 17, a JVM that makes float vectors of two shapes can have C2
    // compile later Vector API loops, the kernels' included, on boxed vectors.
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
            jdk.incubator.vector.VectorShape.forBitSize(D.vectorBitSize() / 2));

    @Override
    void scale(float[] a, int from, int to, float k) {
        int q = (to - from) / 4;
        int n = F.length();
        FloatVector f = FloatVector.broadcast(F, k);
        int i = from;
        for (; i + n <= from + q; i += n) {
            FloatVector v0 = FloatVector.fromArray(F, a, i);
            FloatVector v1 = FloatVector.fromArray(F, a, i + q);
            FloatVector v2 = FloatVector.fromArray(F, a, i + 2 * q);
            FloatVector v3 = FloatVector.fromArray(F, a, i + 3 * q);
            v0.mul(f).intoArray(a, i);
            v1.mul(f).intoArray(a, i + q);
            v2.mul(f).intoArray(a, i + 2 * q);
            v3.mul(f).intoArray(a, i + 3 * q);
        }
        for (int s = 0; s < 4; s++) {
            for (int j = i + s * q; j < from + (s + 1) * q; j++) {
                a[j] *= k;
            }
        }
        for (int j = from + 4 * q; j < to; j++) {
            a[j] *= k;
        }
    }

    @Override
    void scale(double[] a, int from, int to, double k) {
        int q = (to - from) / 4;
        int n = D.length();
        DoubleVector f = DoubleVector.broadcast(D, k);
        int i = from;
        for (; i + n <= from + q; i += n) {
            DoubleVector v0 = DoubleVector.fromArray(D, a, i);
            DoubleVector v1 = DoubleVector.fromArray(D, a, i + q);
            DoubleVector v2 = DoubleVector.fromArray(D, a, i + 2 * q);
            DoubleVector v3 = DoubleVector.fromArray(D, a, i + 3 * q);
            v0.mul(f).intoArray(a, i);
            v1.mul(f).intoArray(a, i + q);
            v2.mul(f).intoArray(a, i + 2 * q);
            v3.mul(f).intoArray(a, i + 3 * q);
        }
        for (int s = 0; s < 4; s++) {
            for (int j = i + s * q; j < from + (s + 1) * q; j++) {
                a[j] *= k;
            }
        }
        for (int j = from + 4 * q; j < to; j++) {
            a[j] *= k;
        }
    }

    @Override
    double sumOfSquares(float[] a, int from, int to) {
        int q = (to - from) / 4;
        int n = F.length();
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F);
        int i = from;
        for (; i + n <= from + q; i += n) {
            FloatVector v0 = FloatVector.fromArray(F, a, i);
            s0 = v0.fma(v0, s0);
            FloatVector v1 = FloatVector.fromArray(F, a, i + q);
            s1 = v1.fma(v1, s1);
            FloatVector v2 = FloatVector.fromArray(F, a, i + 2 * q);
            s2 = v2.fma(v2, s2);
            FloatVector v3 = FloatVector.fromArray(F, a, i + 3 * q);
            s3 = v3.fma(v3, s3);
        }
        double sum = s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
        for (int s = 0; s < 4; s++) {
            for (int j = i + s * q; j < from + (s + 1) * q; j++) {
                sum += a[j] * a[j];
            }
        }
        for (int j = from + 4 * q; j < to; j++) {
            sum += a[j] * a[j];
        }
        return sum;
    }

    @Override
    double sumOfSquares(double[] a, int from, int to) {
        int q = (to - from) / 4;
        int n = D.length();
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = DoubleVector.zero(D);
        DoubleVector s2 = DoubleVector.zero(D);
        DoubleVector s3 = DoubleVector.zero(D);
        int i = from;
        for (; i + n <= from + q; i += n) {
            DoubleVector v0 = DoubleVector.fromArray(D, a, i);
            s0 = v0.fma(v0, s0);
            DoubleVector v1 = DoubleVector.fromArray(D, a, i + q);
            s1 = v1.fma(v1, s1);
            DoubleVector v2 = DoubleVector.fromArray(D, a, i + 2 * q);
            s2 = v2.fma(v2, s2);
            DoubleVector v3 = DoubleVector.fromArray(D, a, i + 3 * q);
            s3 = v3.fma(v3, s3);
        }
        double sum = s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
        for (int s = 0; s < 4; s++) {
            for (int j = i + s * q; j < from + (s + 1) * q; j++) {
                sum += a[j] * a[j];
            }
        }
        for (int j = from + 4 * q; j < to; j++) {
            sum += a[j] * a[j];
        }
        return sum;
    }
}
