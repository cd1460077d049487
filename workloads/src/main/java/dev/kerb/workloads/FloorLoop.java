package dev.kerb.workloads;

/**
 * The floor's inner loop, an in-place multiply of a range by one factor, and the read pass, a sum of squares that
 * writes nothing; both written as fast as we know how, so that ratios to them measure what a kernel costs beyond one
 * read and one write, or beyond one read. Four parts of the range advance together:
 * four streams in flight keep more memory requests outstanding than one, which is faster once the data is larger than
 * the cache (bench/RESULTS.md). The Vector API loop is used when
 * {@code jdk.incubator.vector} is present, as the kernels' fast path is.
 */
abstract class FloorLoop {
    /** The loop in use. */
    static final FloorLoop INSTANCE = select();

    /** Multiplies {@code a[from..to)} by {@code k} in place. */
    abstract void scale(float[] a, int from, int to, float k);

    /** Multiplies {@code a[from..to)} by {@code k} in place. */
    abstract void scale(double[] a, int from, int to, double k);

    /** Returns the sum of the squares of {@code a[from..to)}, in an order of the loop's choosing. */
    abstract double sumOfSquares(float[] a, int from, int to);

    /** Returns the sum of the squares of {@code a[from..to)}, in an order of the loop's choosing. */
    abstract double sumOfSquares(double[] a, int from, int to);

    private static FloorLoop select() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (FloorLoop) Class.forName("dev.kerb.workloads.VectorFloorLoop").getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // falls through to the scalar loop
            }
        }
        return new Scalar();
    }

    /** Four streams interleaved in 64-element chunks, each chunk a loop C2 vectorizes. */
    static final class Scalar extends FloorLoop {
        private static final int CHUNK = 64;

        @Override
        void scale(float[] a, int from, int to, float k) {
            int q = (to - from) / 4;
            for (int c = 0; c < q; c += CHUNK) {
                int len = Math.min(CHUNK, q - c);
                for (int s = 0; s < 4; s++) {
                    for (int i = from + s * q + c, end = i + len; i < end; i++) {
                        a[i] *= k;
                    }
                }
            }
            for (int i = from + 4 * q; i < to; i++) {
                a[i] *= k;
            }
        }

        @Override
        void scale(double[] a, int from, int to, double k) {
            int q = (to - from) / 4;
            for (int c = 0; c < q; c += CHUNK) {
                int len = Math.min(CHUNK, q - c);
                for (int s = 0; s < 4; s++) {
                    for (int i = from + s * q + c, end = i + len; i < end; i++) {
                        a[i] *= k;
                    }
                }
            }
            for (int i = from + 4 * q; i < to; i++) {
                a[i] *= k;
            }
        }

        @Override
        double sumOfSquares(float[] a, int from, int to) {
            int q = (to - from) / 4;
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            for (int i = from; i < from + q; i++) {
                s0 += a[i] * a[i];
                s1 += a[i + q] * a[i + q];
                s2 += a[i + 2 * q] * a[i + 2 * q];
                s3 += a[i + 3 * q] * a[i + 3 * q];
            }
            for (int i = from + 4 * q; i < to; i++) {
                s0 += a[i] * a[i];
            }
            return (double) s0 + s1 + s2 + s3;
        }

        @Override
        double sumOfSquares(double[] a, int from, int to) {
            int q = (to - from) / 4;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int i = from; i < from + q; i++) {
                s0 += a[i] * a[i];
                s1 += a[i + q] * a[i + q];
                s2 += a[i + 2 * q] * a[i + 2 * q];
                s3 += a[i + 3 * q] * a[i + 3 * q];
            }
            for (int i = from + 4 * q; i < to; i++) {
                s0 += a[i] * a[i];
            }
            return s0 + s1 + s2 + s3;
        }
    }
}
