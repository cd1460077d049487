package dev.kerb.core.internal;

import dev.kerb.core.DType;
import dev.kerb.core.Shape;
/** A float32 view over a {@code float[]}. */
final class FloatArrayTensor extends TensorView {
    final float[] data;
    final int base;

    FloatArrayTensor(float[] data, int base, Shape shape) {
        super(shape);
        this.data = data;
        this.base = base;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT32;
    }

    @Override
    public double getAt(int index) {
        return data[base + index];
    }

    @Override
    public void setAt(int index, double value) {
        data[base + index] = (float) value;
    }

    @Override
    public double sumOfSquares(int from, int len) {
        double sum = 0;
        for (int i = base + from, end = i + len; i < end; i++) {
            double w = data[i];
            sum += w * w;
        }
        return sum;
    }

    @Override
    public void addSquares(int from, int len, double[] sums, int sumsFrom) {
        for (int i = 0, d = base + from; i < len; i++, d++) {
            double w = data[d];
            sums[sumsFrom + i] += w * w;
        }
    }

    @Override
    public void scale(int from, int len, double factor) {
        for (int i = base + from, end = i + len; i < end; i++) {
            data[i] = (float) (data[i] * factor);
        }
    }

    @Override
    public void scaleEach(int from, int len, double[] factors, int factorsFrom) {
        for (int i = 0, d = base + from; i < len; i++, d++) {
            data[d] = (float) (data[d] * factors[factorsFrom + i]);
        }
    }

    @Override
    public void clamp(int from, int len, double lower, double upper) {
        // TensorFlow's clip_by_value order, max(min(w, upper), lower): the lower bound wins when lower > upper.
        Loops.DEFAULT.clamp(data, base + from, len, (float) lower, (float) upper);
    }
}
