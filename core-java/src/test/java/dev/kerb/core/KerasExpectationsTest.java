package dev.kerb.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The expectations of Keras' and TensorFlow.js' own constraint tests: Keras 2's {@code keras/constraints_test.py}
 * (r2.15), Keras 3's {@code keras/src/constraints/constraints_test.py} (3.15) and TF.js'
 * {@code tfjs-layers/src/constraints_test.ts}.
 */
class KerasExpectationsTest {
    /** Keras {@code assertAllClose} defaults ({@code keras/src/testing/test_case.py}). */
    private static final double KERAS_TOL = 1e-6;
    /** TF.js {@code expectTensorsClose} default for float32 ({@code tfjs-core/src/test_util.ts}). */
    private static final double TFJS_TOL = 1e-3;
    private static final float[] TFJS_INPUT = {-1, 2, 0, 4, -5, 6};

    /** Keras 3 {@code test_max_norm}: columns of norm 0, 1, 3 and sqrt(27) map to 0, unchanged, 2 and 2. */
    @Test
    void maxNormMatchesKerasTestMaxNorm() {
        // x = [[0,0,0],[1,0,0],[3,0,0],[3,3,3]].T, shape (3, 4): each column is a vector.
        double[] x = {0, 1, 3, 3, 0, 0, 0, 3, 0, 0, 0, 3};
        double c = 2 / Math.sqrt(3);
        double[] target = {0, 1, 2, c, 0, 0, 0, c, 0, 0, 0, c};
        double[] out = new MaxNorm(2.0).applied(x, Shape.of(3, 4));
        assertClose(target, out, KERAS_TOL, KERAS_TOL);
        // Float64 values the reference computed with NumPy, to 10 digits: epsilon shrinks even unclipped columns.
        assertEquals(0.9999999, out[1], 1e-10);
        assertEquals(1.9999999333, out[2], 1e-10);
        assertEquals(1.1547005162, out[3], 1e-10);
    }

    /** Keras 2 {@code test_max_norm}: for every m, every element of max_norm(m)(array) is below m. */
    @Test
    void maxNormKeepsEveryElementBelowTheCap() {
        double[] array = exampleArray();
        for (double m : new double[] {0.1, 0.5, 3, 8, 1e-7}) {
            double[] out = new MaxNorm(m).applied(array, Shape.of(100, 100));
            for (double v : out) {
                assertTrue(v < m, () -> "element " + v + " not below " + m);
            }
        }
    }

    /** Keras 3 {@code test_unit_norm}: column norms of the output are 1 within 1e-6. */
    @Test
    void unitNormGivesUnitColumns() {
        double[] out = new UnitNorm().applied(exampleArray(), Shape.of(100, 100));
        for (double norm : columnNorms(out, 100, 100)) {
            assertEquals(1.0, norm, KERAS_TOL);
        }
    }

    /** Keras 3 and 2 {@code test_min_max_norm}: every column norm lands in [m, 2m]. */
    @Test
    void minMaxNormPutsColumnsInRange() {
        for (double m : new double[] {0.1, 0.5, 3, 8, 1e-7, 0.2}) {
            double[] out = new MinMaxNorm(m, 2 * m).applied(exampleArray(), Shape.of(100, 100));
            for (double norm : columnNorms(out, 100, 100)) {
                assertTrue(norm >= m * (1 - 1e-6) && norm <= 2 * m + 1e-5, () -> "norm " + norm + " for m=" + m);
            }
        }
    }

    /** Keras 3 {@code test_non_neg*}: negatives become zero, positives and zeros are unchanged. */
    @Test
    void nonNegZeroesNegativesOnly() {
        double[] out = NonNeg.INSTANCE.applied(exampleArray(), Shape.of(100, 100));
        for (int r = 0; r < 100; r++) {
            double min = Double.MAX_VALUE;
            for (int c = 0; c < 100; c++) {
                min = Math.min(min, out[r * 100 + c]);
            }
            assertEquals(0.0, min, "row " + r + " minimum");
        }
        double[] threes = new double[25];
        java.util.Arrays.fill(threes, 3.0);
        assertArrayEquals(threes, NonNeg.INSTANCE.applied(threes, Shape.of(5, 5)));
    }

    /** Keras 3 {@code test_default_constraint_call}: the base Constraint is the identity. */
    @Test
    void identityLeavesWeightsAlone() {
        assertArrayEquals(new double[] {1, 2, 3}, Constraint.identity().applied(new double[] {1, 2, 3}, Shape.of(3)));
    }

    /** TF.js {@code constraints_test.ts} on [-1, 2, 0, 4, -5, 6] (norm sqrt(82)), float32. */
    @Test
    void tensorFlowJsVectors() {
        Shape shape = Shape.of(6);
        assertClose(new double[] {0, 2, 0, 4, 0, 6}, NonNeg.INSTANCE.applied(TFJS_INPUT, shape), TFJS_TOL, 0);
        double[] maxNorm = {-0.2208630521, 0.4417261043, 0, 0.8834522086, -1.104315261, 1.325178313};
        assertClose(maxNorm, new MaxNorm().applied(TFJS_INPUT, shape), TFJS_TOL, 0);
        double[] unit = {-0.110431526, 0.220863052, 0, 0.441726104, -0.552157631, 0.662589157};
        assertClose(unit, new UnitNorm().applied(TFJS_INPUT, shape), TFJS_TOL, 0);
        assertClose(unit, new MinMaxNorm().applied(TFJS_INPUT, shape), TFJS_TOL, 0);
        // NumPy float32 value from the reference: desired = 0.7 * 0.5 + 0.3 * sqrt(82).
        double[] soft = {-0.33865103, 0.67730206, 0, 1.3546041, -1.6932552, 2.0319061};
        assertClose(soft, new MinMaxNorm(0.2, 0.5, 0.7, 0).applied(TFJS_INPUT, shape), 1e-6, 1e-6);
    }

    /**
     * The Keras test's example array, {@code random((100, 100)) * 100 - 50} with {@code [0, 0] = 0}. Keras seeds
     * NumPy's MT19937; the assertions above hold for any such array, so java.util.Random stands in for it.
     */
    static double[] exampleArray() {
        Random random = new Random(3537);
        double[] a = new double[100 * 100];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble() * 100.0 - 50.0;
        }
        a[0] = 0.0;
        return a;
    }

    static double[] columnNorms(double[] w, int rows, int cols) {
        double[] norms = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                norms[c] += w[r * cols + c] * w[r * cols + c];
            }
        }
        for (int c = 0; c < cols; c++) {
            norms[c] = Math.sqrt(norms[c]);
        }
        return norms;
    }

    /** NumPy's allclose: {@code |actual - expected| <= atol + rtol * |expected|}. */
    static void assertClose(double[] expected, double[] actual, double atol, double rtol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            assertTrue(Math.abs(a - e) <= atol + rtol * Math.abs(e), () -> "expected " + e + " but got " + a);
        }
    }

    static void assertClose(double[] expected, float[] actual, double atol, double rtol) {
        double[] widened = new double[actual.length];
        for (int i = 0; i < actual.length; i++) {
            widened[i] = actual[i];
        }
        assertClose(expected, widened, atol, rtol);
    }
}
