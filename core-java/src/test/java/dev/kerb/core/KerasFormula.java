package dev.kerb.core;

import java.util.function.DoubleUnaryOperator;

/**
 * The test oracle: the Keras 3 norm-constraint formula evaluated in float64, element by element, with no shared
 * code from the kernels. For each element it computes the coordinates, the keepdims norm index and then
 * {@code w * desired(norm) / (eps + norm)} (Keras 3.16 {@code keras/src/constraints/constraints.py}).
 */
final class KerasFormula {
    private KerasFormula() {
    }

    static double[] normConstraint(double[] w, int[] dims, boolean[] reduced, DoubleUnaryOperator desired, double eps) {
        int size = w.length;
        double[] sums = new double[size]; // indexed by the keepdims flat index, at most size entries
        int[] normIndex = new int[size];
        for (int i = 0; i < size; i++) {
            int rest = i;
            int idx = 0;
            int stride = 1;
            for (int d = dims.length - 1; d >= 0; d--) {
                int coord = rest % dims[d];
                rest /= dims[d];
                if (!reduced[d]) {
                    idx += coord * stride;
                    stride *= dims[d];
                }
            }
            normIndex[i] = idx;
            sums[idx] += w[i] * w[i];
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            double norm = Math.sqrt(sums[normIndex[i]]);
            out[i] = w[i] * (desired.applyAsDouble(norm) / (eps + norm));
        }
        return out;
    }

    /** TensorFlow's clip_by_value: {@code maximum(minimum(x, hi), lo)}. */
    static double clip(double x, double lo, double hi) {
        return Math.max(Math.min(x, hi), lo);
    }
}
