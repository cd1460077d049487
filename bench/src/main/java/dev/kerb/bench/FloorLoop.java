package dev.kerb.bench;

/**
 * The floor's inner loop: an in-place multiply of a range by one factor, written as fast as we know how, so that
 * ratios to it measure what a kernel costs beyond one read and one write. Four parts of the range advance together:
 * four streams in flight keep more memory requests outstanding than one (about 1.5x faster than a plain loop on the
 * machines measured, once the data is larger than the cache). The Vector API loop is used when
 * {@code jdk.incubator.vector} is present, as the kernels' fast path is.
 */
abstract class FloorLoop {
    /** The loop in use. */
    static final FloorLoop INSTANCE = select();

    /** Multiplies {@code a[from..to)} by {@code k} in place. */
    abstract void scale(float[] a, int from, int to, float k);

    /** Multiplies {@code a[from..to)} by {@code k} in place. */
    abstract void scale(double[] a, int from, int to, double k);

    private static FloorLoop select() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (FloorLoop) Class.forName("dev.kerb.bench.VectorFloorLoop").getDeclaredConstructor()
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
    }
}
