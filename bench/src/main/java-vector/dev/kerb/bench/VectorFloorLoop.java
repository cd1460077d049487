package dev.kerb.bench;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link FloorLoop} on the Vector API: four streams, one vector of each per step. */
final class VectorFloorLoop extends FloorLoop {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    @Override
    void scale(float[] a, int from, int to, float k) {
        int q = (to - from) / 4;
        int n = F.length();
        FloatVector f = FloatVector.broadcast(F, k);
        int i = from;
        for (; i + n <= from + q; i += n) {
            FloatVector.fromArray(F, a, i).mul(f).intoArray(a, i);
            FloatVector.fromArray(F, a, i + q).mul(f).intoArray(a, i + q);
            FloatVector.fromArray(F, a, i + 2 * q).mul(f).intoArray(a, i + 2 * q);
            FloatVector.fromArray(F, a, i + 3 * q).mul(f).intoArray(a, i + 3 * q);
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
            DoubleVector.fromArray(D, a, i).mul(f).intoArray(a, i);
            DoubleVector.fromArray(D, a, i + q).mul(f).intoArray(a, i + q);
            DoubleVector.fromArray(D, a, i + 2 * q).mul(f).intoArray(a, i + 2 * q);
            DoubleVector.fromArray(D, a, i + 3 * q).mul(f).intoArray(a, i + 3 * q);
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
}
