package dev.kerb.core.internal;

/**
 * The scalar loops, the spec the Vector API loops are tested against: sums with four accumulators, so the adds
 * overlap, and plain loops elsewhere.
 */
final class ScalarLoops implements Loops {
    @Override
    public void addColumnSums(float[] a, int at, int rows, int stride, int w, double[] sums) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0, o = at + r * stride; j < w; j++) {
                double x = a[o + j];
                sums[j] += x * x;
            }
        }
    }

    @Override
    public void addColumnSums(double[] a, int at, int rows, int stride, int w, double[] sums) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0, o = at + r * stride; j < w; j++) {
                sums[j] += a[o + j] * a[o + j];
            }
        }
    }

    @Override
    public void scaleRows(float[] a, int at, int rows, int stride, int w, float[] factors) {
        for (int r = 0; r < rows; r++) {
            scale(a, at + r * stride, w, factors);
        }
    }

    @Override
    public void scaleRows(double[] a, int at, int rows, int stride, int w, double[] factors) {
        for (int r = 0; r < rows; r++) {
            scale(a, at + r * stride, w, factors);
        }
    }

    @Override
    public void sumFour(float[] a, int at, int step, int len, double[] sums) {
        for (int k = 0; k < 4; k++) {
            sums[k] = sum(a, at + k * step, len);
        }
    }

    @Override
    public void sumFour(double[] a, int at, int step, int len, double[] sums) {
        for (int k = 0; k < 4; k++) {
            sums[k] = sum(a, at + k * step, len);
        }
    }

    @Override
    public void scaleFour(float[] a, int at, int step, int len, float[] factors) {
        for (int k = 0; k < 4; k++) {
            scale(a, at + k * step, len, factors[k]);
        }
    }

    @Override
    public void scaleFour(double[] a, int at, int step, int len, double[] factors) {
        for (int k = 0; k < 4; k++) {
            scale(a, at + k * step, len, factors[k]);
        }
    }

    @Override
    public void scale(float[] a, int from, int len, float factor) {
        for (int i = from, end = from + len; i < end; i++) {
            a[i] *= factor;
        }
    }

    @Override
    public void scale(double[] a, int from, int len, double factor) {
        for (int i = from, end = from + len; i < end; i++) {
            a[i] *= factor;
        }
    }

    @Override
    public void clamp(float[] a, int from, int len, float lower, float upper) {
        for (int i = from, end = from + len; i < end; i++) {
            a[i] = Math.max(Math.min(a[i], upper), lower);
        }
    }

    @Override
    public void clamp(double[] a, int from, int len, double lower, double upper) {
        for (int i = from, end = from + len; i < end; i++) {
            a[i] = Math.max(Math.min(a[i], upper), lower);
        }
    }

    @Override
    public double sum(float[] a, int from, int len) {
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
    public double sum(double[] a, int from, int len) {
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
    public void scale(float[] a, int from, int len, float[] factors) {
        for (int i = 0; i < len; i++) {
            a[from + i] *= factors[i];
        }
    }

    @Override
    public void scale(double[] a, int from, int len, double[] factors) {
        for (int i = 0; i < len; i++) {
            a[from + i] *= factors[i];
        }
    }

    @Override
    public boolean vectorized() {
        return false;
    }

    @Override
    public BufferLoops buffers() {
        return ScalarBufferLoops.INSTANCE;
    }
}
