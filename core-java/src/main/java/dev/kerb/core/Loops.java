package dev.kerb.core;

import java.lang.System.Logger.Level;

/**
 * The inner loops over float32 and float64 arrays (sums of squares in double, scaling, clamping): a scalar
 * implementation, and one on the Vector API
 * ({@code jdk.incubator.vector}) that is used when the JVM runs with {@code --add-modules jdk.incubator.vector}.
 * Chosen once, at class initialization; without the module Kerb runs the scalar loops, which are the spec.
 */
abstract class Loops {
    /** The implementation in use. */
    static final Loops INSTANCE = select();

    /** Returns the sum of {@code a[from + i]^2}, each square exact in double. */
    abstract double sum(float[] a, int from, int len);

    /** Returns the sum of {@code a[from + i]^2}. */
    abstract double sum(double[] a, int from, int len);

    /**
     * Writes to {@code sums[0..w)} the sums of squares of the columns of {@code rows} rows of {@code w} elements,
     * {@code stride} apart from {@code at}: here exact squares summed in double, each column in row order.
     */
    void columnSums(float[] a, int at, int rows, int stride, int w, double[] sums) {
        java.util.Arrays.fill(sums, 0, w, 0.0);
        for (int r = 0; r < rows; r++) {
            for (int j = 0, o = at + r * stride; j < w; j++) {
                double x = a[o + j];
                sums[j] += x * x;
            }
        }
    }

    /** As {@link #columnSums(float[], int, int, int, int, double[])}, for float64. */
    void columnSums(double[] a, int at, int rows, int stride, int w, double[] sums) {
        java.util.Arrays.fill(sums, 0, w, 0.0);
        for (int r = 0; r < rows; r++) {
            for (int j = 0, o = at + r * stride; j < w; j++) {
                sums[j] += a[o + j] * a[o + j];
            }
        }
    }

    /**
     * Multiplies {@code rows} rows of {@code w} elements, {@code stride} apart from {@code at}, by
     * {@code factors[0..w)}, column by column.
     */
    void scaleRows(float[] a, int at, int rows, int stride, int w, float[] factors) {
        for (int r = 0; r < rows; r++) {
            scale(a, at + r * stride, w, factors);
        }
    }

    /** As {@link #scaleRows(float[], int, int, int, int, float[])}, for float64. */
    void scaleRows(double[] a, int at, int rows, int stride, int w, double[] factors) {
        for (int r = 0; r < rows; r++) {
            scale(a, at + r * stride, w, factors);
        }
    }

    /**
     * Writes the sums of squares of the four rows of {@code len} elements at {@code at + k * step} (k = 0..3) to
     * {@code sums[0..4)}, each bit for bit {@link #sum(float[], int, int)} of its row.
     */
    void sumFour(float[] a, int at, int step, int len, double[] sums) {
        for (int k = 0; k < 4; k++) {
            sums[k] = sum(a, at + k * step, len);
        }
    }

    /** As {@link #sumFour(float[], int, int, int, double[])}, for float64. */
    void sumFour(double[] a, int at, int step, int len, double[] sums) {
        for (int k = 0; k < 4; k++) {
            sums[k] = sum(a, at + k * step, len);
        }
    }

    /** Multiplies the four rows of {@code len} elements at {@code at + k * step} (k = 0..3) by {@code factors[k]}. */
    void scaleFour(float[] a, int at, int step, int len, float[] factors) {
        for (int k = 0; k < 4; k++) {
            scale(a, at + k * step, len, factors[k]);
        }
    }

    /** As {@link #scaleFour(float[], int, int, int, float[])}, for float64. */
    void scaleFour(double[] a, int at, int step, int len, double[] factors) {
        for (int k = 0; k < 4; k++) {
            scale(a, at + k * step, len, factors[k]);
        }
    }

    /** Multiplies {@code a[from..from+len)} by {@code factor}. */
    void scale(float[] a, int from, int len, float factor) {
        for (int i = from, end = from + len; i < end; i++) {
            a[i] *= factor;
        }
    }

    /** Multiplies {@code a[from..from+len)} by {@code factor}. */
    void scale(double[] a, int from, int len, double factor) {
        for (int i = from, end = from + len; i < end; i++) {
            a[i] *= factor;
        }
    }

    /** Multiplies {@code a[from + i]} by {@code factors[i]}. */
    abstract void scale(float[] a, int from, int len, float[] factors);

    /** Multiplies {@code a[from + i]} by {@code factors[i]}. */
    abstract void scale(double[] a, int from, int len, double[] factors);

    /**
     * Replaces {@code a[from..from+len)} by {@code max(min(w, upper), lower)} ({@link Math#min}/{@link Math#max}
     * semantics: NaN stays NaN, -0.0 is below +0.0).
     */
    void clamp(float[] a, int from, int len, float lower, float upper) {
        for (int i = from, end = from + len; i < end; i++) {
            a[i] = Math.max(Math.min(a[i], upper), lower);
        }
    }

    /** As {@link #clamp(float[], int, int, float, float)}, for float64. */
    void clamp(double[] a, int from, int len, double lower, double upper) {
        for (int i = from, end = from + len; i < end; i++) {
            a[i] = Math.max(Math.min(a[i], upper), lower);
        }
    }

    /** Returns whether this is the Vector API implementation. */
    abstract boolean vectorized();

    private static Loops select() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (Loops) Class.forName("dev.kerb.core.VectorLoops").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                System.getLogger("dev.kerb.core").log(Level.DEBUG, "Vector API kernels unavailable, using scalar: " + e);
            }
        }
        return new ScalarLoops();
    }

    /** The scalar loops: four accumulators, so the adds overlap. */
    static final class ScalarLoops extends Loops {
        @Override
        double sum(float[] a, int from, int len) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = from;
            int end = from + len;
            for (; i + 3 < end; i += 4) {
                double x0 = a[i];
                double x1 = a[i + 1];
                double x2 = a[i + 2];
                double x3 = a[i + 3];
                s0 += x0 * x0;
                s1 += x1 * x1;
                s2 += x2 * x2;
                s3 += x3 * x3;
            }
            for (; i < end; i++) {
                double x = a[i];
                s0 += x * x;
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        double sum(double[] a, int from, int len) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = from;
            int end = from + len;
            for (; i + 3 < end; i += 4) {
                s0 += a[i] * a[i];
                s1 += a[i + 1] * a[i + 1];
                s2 += a[i + 2] * a[i + 2];
                s3 += a[i + 3] * a[i + 3];
            }
            for (; i < end; i++) {
                s0 += a[i] * a[i];
            }
            return (s0 + s1) + (s2 + s3);
        }

        // C2 (JDK 17) does not vectorize these two-array loops: it cannot rule out that the arrays alias.
        @Override
        void scale(float[] a, int from, int len, float[] factors) {
            for (int i = 0; i < len; i++) {
                a[from + i] *= factors[i];
            }
        }

        @Override
        void scale(double[] a, int from, int len, double[] factors) {
            for (int i = 0; i < len; i++) {
                a[from + i] *= factors[i];
            }
        }

        @Override
        boolean vectorized() {
            return false;
        }
    }
}
