package dev.kerb.core;

import java.nio.FloatBuffer;

/** A float32 view over a heap or direct {@code FloatBuffer}, using absolute get and put. */
final class FloatBufferTensor extends Tensor {
    private final FloatBuffer data;
    private final int base;

    FloatBufferTensor(FloatBuffer data, int base, Shape shape) {
        super(shape);
        this.data = data;
        this.base = base;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT32;
    }

    @Override
    double getAt(int index) {
        return data.get(base + index);
    }

    @Override
    void setAt(int index, double value) {
        data.put(base + index, (float) value);
    }

    @Override
    double sumOfSquares(int from, int len) {
        double sum = 0;
        for (int i = base + from, end = i + len; i < end; i++) {
            double w = data.get(i);
            sum += w * w;
        }
        return sum;
    }

    @Override
    void addSquares(int from, int len, double[] sums, int sumsFrom) {
        for (int i = 0, d = base + from; i < len; i++, d++) {
            double w = data.get(d);
            sums[sumsFrom + i] += w * w;
        }
    }

    @Override
    void scale(int from, int len, double factor) {
        for (int i = base + from, end = i + len; i < end; i++) {
            data.put(i, (float) (data.get(i) * factor));
        }
    }

    @Override
    void scaleEach(int from, int len, double[] factors, int factorsFrom) {
        for (int i = 0, d = base + from; i < len; i++, d++) {
            data.put(d, (float) (data.get(d) * factors[factorsFrom + i]));
        }
    }

    @Override
    void clamp(int from, int len, double lower, double upper) {
        // TensorFlow's clip_by_value order, max(min(w, upper), lower): the lower bound wins when lower > upper.
        float lo = (float) lower;
        float hi = (float) upper;
        for (int i = base + from, end = base + from + len; i < end; i++) {
            data.put(i, Math.max(Math.min(data.get(i), hi), lo));
        }
    }
}
