package dev.kerb.core.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Loops} on the Vector API: the loops over one range here, the loops over four rows at a time in
 * {@link VectorRowLoops}, the column sums in {@link VectorColumnSums} and the factors in {@link VectorFactors}, which
 * this class delegates to. Float lanes are widened to double before squaring (JDK 17's C2 does not vectorize that
 * conversion in plain loops), so results are exact squares summed in double, like the scalar loops, in another
 * order. Loaded by name from {@link Loops#vector()} only when {@code jdk.incubator.vector} is present.
 */
final class VectorLoops implements Loops {
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    // Half of D's size with as many lanes: each load widens into exactly one double vector, a single instruction.
    // Every float vector Kerb makes has this one shape, scaling and clamping too. On JDK 17, once a JVM had made float
    // vectors of two shapes (full width to scale, half width to widen), C2 sometimes compiled a later loop's Vector
    // API calls on boxed vectors, 3-10x slower and megabytes allocated per call. Widening both halves of a full-width
    // vector instead made the four-row sum loops too big for C2 to inline, with the same result.
    static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
            jdk.incubator.vector.VectorShape.forBitSize(D.vectorBitSize() / 2));
    static final int DL = D.length();

    /** Returns the {@link #F} floats at {@code at} widened to doubles. */
    static DoubleVector widen(float[] a, int at) {
        return (DoubleVector) FloatVector.fromArray(F, a, at).convertShape(VectorOperators.F2D, D, 0);
    }

    /** The scalar loops, for the elements left after the last whole vector. */
    static final ScalarLoops SCALAR = new ScalarLoops();

    @Override
    public void addColumnSums(float[] a, int at, int rows, int stride, int w, double[] sums) {
        VectorColumnSums.add(a, at, rows, stride, w, sums);
    }

    @Override
    public void addColumnSums(double[] a, int at, int rows, int stride, int w, double[] sums) {
        VectorColumnSums.add(a, at, rows, stride, w, sums);
    }

    @Override
    public void addQuarterColumnSums(float[] a, int at, int q, int stride, int w, double[] sums) {
        VectorColumnSums.addQuarters(a, at, q, stride, w, sums);
    }

    @Override
    public void addQuarterColumnSums(double[] a, int at, int q, int stride, int w, double[] sums) {
        VectorColumnSums.addQuarters(a, at, q, stride, w, sums);
    }

    @Override
    public void scaleRows(float[] a, int at, int rows, int stride, int w, float[] factors) {
        VectorRowLoops.scaleRows(a, at, rows, stride, w, factors);
    }

    @Override
    public void scaleRows(double[] a, int at, int rows, int stride, int w, double[] factors) {
        VectorRowLoops.scaleRows(a, at, rows, stride, w, factors);
    }

    @Override
    public void factors(NormFactor c, double epsilon, double[] sums, int n) {
        VectorFactors.factors(c, epsilon, sums, n);
    }

    @Override
    public void factors(NormFactor c, double epsilon, double[] sums, float[] factors, int n) {
        VectorFactors.factors(c, epsilon, sums, factors, n);
    }

    @Override
    public void sumFour(float[] a, int at, int step, int len, double[] sums) {
        VectorRowLoops.sumFour(a, at, step, len, sums);
    }

    @Override
    public void sumFour(double[] a, int at, int step, int len, double[] sums) {
        VectorRowLoops.sumFour(a, at, step, len, sums);
    }

    @Override
    public void scaleFour(float[] a, int at, int step, int len, float[] factors) {
        VectorRowLoops.scaleFour(a, at, step, len, factors);
    }

    @Override
    public void scaleFour(double[] a, int at, int step, int len, double[] factors) {
        VectorRowLoops.scaleFour(a, at, step, len, factors);
    }

    @Override
    public double sum(float[] a, int from, int len) {
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
        double s = VectorLanes.sum(acc0.add(acc1));
        for (; i < end; i++) {
            double x = a[i];
            s += x * x;
        }
        return s;
    }

    @Override
    public double sum(double[] a, int from, int len) {
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
        double s = VectorLanes.sum(acc0.add(acc1));
        for (; i < end; i++) {
            s += a[i] * a[i];
        }
        return s;
    }

    @Override
    public void scale(float[] a, int from, int len, float factor) {
        FloatVector f = FloatVector.broadcast(F, factor);
        int i = from;
        for (int end = from + len; i + F.length() <= end; i += F.length()) {
            FloatVector.fromArray(F, a, i).mul(f).intoArray(a, i);
        }
        SCALAR.scale(a, i, from + len - i, factor);
    }

    @Override
    public void scale(double[] a, int from, int len, double factor) {
        DoubleVector f = DoubleVector.broadcast(D, factor);
        int i = from;
        for (int end = from + len; i + DL <= end; i += DL) {
            DoubleVector.fromArray(D, a, i).mul(f).intoArray(a, i);
        }
        SCALAR.scale(a, i, from + len - i, factor);
    }

    @Override
    public void scale(float[] a, int from, int len, float[] factors) {
        scaleEach(a, from, len, factors);
    }

    /** Multiplies {@code a[from + i]} by {@code factors[i]}. */
    static void scaleEach(float[] a, int from, int len, float[] factors) {
        int i = 0;
        for (; i + F.length() <= len; i += F.length()) {
            FloatVector.fromArray(F, a, from + i).mul(FloatVector.fromArray(F, factors, i)).intoArray(a, from + i);
        }
        for (; i < len; i++) {
            a[from + i] *= factors[i];
        }
    }

    @Override
    public void scale(double[] a, int from, int len, double[] factors) {
        scaleEach(a, from, len, factors);
    }

    /** Multiplies {@code a[from + i]} by {@code factors[i]}. */
    static void scaleEach(double[] a, int from, int len, double[] factors) {
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
    public void clamp(float[] a, int from, int len, float lower, float upper) {
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
            SCALAR.clamp(a, i + s * q, from + q - i, lower, upper);
        }
        SCALAR.clamp(a, from + 4 * q, len - 4 * q, lower, upper);
    }

    private static void clampVector(float[] a, int at, float lower, float upper) {
        FloatVector.fromArray(F, a, at).min(upper).max(lower).intoArray(a, at);
    }

    @Override
    public void clamp(double[] a, int from, int len, double lower, double upper) {
        int q = len / 4;
        int i = from;
        for (; i + DL <= from + q; i += DL) {
            clampVector(a, i, lower, upper);
            clampVector(a, i + q, lower, upper);
            clampVector(a, i + 2 * q, lower, upper);
            clampVector(a, i + 3 * q, lower, upper);
        }
        for (int s = 0; s < 4; s++) {
            SCALAR.clamp(a, i + s * q, from + q - i, lower, upper);
        }
        SCALAR.clamp(a, from + 4 * q, len - 4 * q, lower, upper);
    }

    private static void clampVector(double[] a, int at, double lower, double upper) {
        DoubleVector.fromArray(D, a, at).min(upper).max(lower).intoArray(a, at);
    }

    @Override
    public boolean vectorized() {
        return true;
    }

    @Override
    public BufferLoops buffers() {
        return VectorBufferLoops.INSTANCE;
    }

    /**
     * {@inheritDoc}
     *
     * <p>As {@link VectorBufferLoops#inPlace} says: the JDK 17 class, or on JDK 22 and later its version in the jar's
     * {@code META-INF/versions/22}.
     */
    @Override
    public boolean buffersInPlace(java.nio.ByteBuffer bytes) {
        return VectorBufferLoops.inPlace(bytes);
    }
}
