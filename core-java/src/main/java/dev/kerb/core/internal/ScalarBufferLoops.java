package dev.kerb.core.internal;

import java.nio.ByteBuffer;

/**
 * {@link ScalarLoops} over buffers: the same loops in the same order, reading and writing with absolute
 * {@code getFloat}/{@code putFloat} (and the double ones) at byte offsets, in the buffer's byte order.
 */
final class ScalarBufferLoops implements BufferLoops {
    static final ScalarBufferLoops INSTANCE = new ScalarBufferLoops();

    private ScalarBufferLoops() {
    }

    @Override
    public double sumFloats(ByteBuffer b, int at, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = at;
        int end = at + len * Float.BYTES;
        for (; i + 3 * Float.BYTES < end; i += 4 * Float.BYTES) {
            double x0 = b.getFloat(i);
            double x1 = b.getFloat(i + Float.BYTES);
            double x2 = b.getFloat(i + 2 * Float.BYTES);
            double x3 = b.getFloat(i + 3 * Float.BYTES);
            s0 += x0 * x0;
            s1 += x1 * x1;
            s2 += x2 * x2;
            s3 += x3 * x3;
        }
        for (; i < end; i += Float.BYTES) {
            double x = b.getFloat(i);
            s0 += x * x;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public double sumDoubles(ByteBuffer b, int at, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = at;
        int end = at + len * Double.BYTES;
        for (; i + 3 * Double.BYTES < end; i += 4 * Double.BYTES) {
            double x0 = b.getDouble(i);
            double x1 = b.getDouble(i + Double.BYTES);
            double x2 = b.getDouble(i + 2 * Double.BYTES);
            double x3 = b.getDouble(i + 3 * Double.BYTES);
            s0 += x0 * x0;
            s1 += x1 * x1;
            s2 += x2 * x2;
            s3 += x3 * x3;
        }
        for (; i < end; i += Double.BYTES) {
            double x = b.getDouble(i);
            s0 += x * x;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void sumFourFloats(ByteBuffer b, int at, int step, int len, double[] sums) {
        for (int k = 0; k < 4; k++) {
            sums[k] = sumFloats(b, at + k * step, len);
        }
    }

    @Override
    public void sumFourDoubles(ByteBuffer b, int at, int step, int len, double[] sums) {
        for (int k = 0; k < 4; k++) {
            sums[k] = sumDoubles(b, at + k * step, len);
        }
    }

    @Override
    public void scaleFloats(ByteBuffer b, int at, int len, float factor) {
        for (int i = at, end = at + len * Float.BYTES; i < end; i += Float.BYTES) {
            b.putFloat(i, b.getFloat(i) * factor);
        }
    }

    @Override
    public void scaleDoubles(ByteBuffer b, int at, int len, double factor) {
        for (int i = at, end = at + len * Double.BYTES; i < end; i += Double.BYTES) {
            b.putDouble(i, b.getDouble(i) * factor);
        }
    }

    @Override
    public void scaleFourFloats(ByteBuffer b, int at, int step, int len, double[] factors) {
        for (int k = 0; k < 4; k++) {
            scaleFloats(b, at + k * step, len, (float) factors[k]);
        }
    }

    @Override
    public void scaleFourDoubles(ByteBuffer b, int at, int step, int len, double[] factors) {
        for (int k = 0; k < 4; k++) {
            scaleDoubles(b, at + k * step, len, factors[k]);
        }
    }

    @Override
    public void addColumnSumsFloats(ByteBuffer b, int at, int rows, int stride, int w, double[] sums) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0, o = at + r * stride; j < w; j++, o += Float.BYTES) {
                double x = b.getFloat(o);
                sums[j] += x * x;
            }
        }
    }

    @Override
    public void addColumnSumsDoubles(ByteBuffer b, int at, int rows, int stride, int w, double[] sums) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0, o = at + r * stride; j < w; j++, o += Double.BYTES) {
                double x = b.getDouble(o);
                sums[j] += x * x;
            }
        }
    }

    @Override
    public void scaleRowsFloats(ByteBuffer b, int at, int rows, int stride, int w, float[] factors) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0, o = at + r * stride; j < w; j++, o += Float.BYTES) {
                b.putFloat(o, b.getFloat(o) * factors[j]);
            }
        }
    }

    @Override
    public void scaleRowsDoubles(ByteBuffer b, int at, int rows, int stride, int w, double[] factors) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0, o = at + r * stride; j < w; j++, o += Double.BYTES) {
                b.putDouble(o, b.getDouble(o) * factors[j]);
            }
        }
    }

    @Override
    public void clampFloats(ByteBuffer b, int at, int len, float lower, float upper) {
        for (int i = at, end = at + len * Float.BYTES; i < end; i += Float.BYTES) {
            b.putFloat(i, Math.max(Math.min(b.getFloat(i), upper), lower));
        }
    }

    @Override
    public void clampDoubles(ByteBuffer b, int at, int len, double lower, double upper) {
        for (int i = at, end = at + len * Double.BYTES; i < end; i += Double.BYTES) {
            b.putDouble(i, Math.max(Math.min(b.getDouble(i), upper), lower));
        }
    }
}
