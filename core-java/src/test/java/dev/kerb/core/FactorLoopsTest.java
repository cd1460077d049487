package dev.kerb.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The loop that turns sums of squares into scaling factors: the Vector API loop must give the scalar loop's factors
 * bit for bit (which lanes a slice falls in depends on the shape, and results must not), and the scalar loop is
 * {@link NormConstraint#factor}, the formula the accuracy and Keras-expectation tests hold to Keras.
 */
class FactorLoopsTest {
    private static final List<NormConstraint> CONSTRAINTS = List.of(new MaxNorm(2), new MaxNorm(0.5),
            new MinMaxNorm(0.5, 1.0, 0.5, 0), new MinMaxNorm(0.25, 1.5, 3, 0), new MinMaxNorm(1, 1, 1, 0),
            new UnitNorm());
    private static final int[] COUNTS = {0, 1, 3, 4, 7, 8, 9, 16, 17, 64, 1000};

    @Test
    void vectorFactorsAreTheScalarFactorsBitForBit() {
        assertTrue(Loops.INSTANCE.vectorized(), "tests run with the module");
        Loops scalar = new Loops.ScalarLoops();
        Random random = new Random(21);
        for (NormConstraint c : CONSTRAINTS) {
            for (int n : COUNTS) {
                double[] sums = sums(random, n + 3);
                for (double epsilon : new double[] {1e-7, 0.0, 1e-3}) {
                    float[] expectedFloats = filled(new float[n + 3]);
                    float[] floats = filled(new float[n + 3]);
                    scalar.factors(sums, n, c, epsilon, expectedFloats);
                    Loops.INSTANCE.factors(sums, n, c, epsilon, floats);
                    assertArrayEquals(expectedFloats, floats, c + " float32, n " + n + ", epsilon " + epsilon);
                    double[] expected = sums.clone();
                    double[] inPlace = sums.clone();
                    scalar.factors(expected, n, c, epsilon, expected);
                    Loops.INSTANCE.factors(inPlace, n, c, epsilon, inPlace);
                    assertArrayEquals(expected, inPlace, c + " float64 in place, n " + n + ", epsilon " + epsilon);
                    for (int i = 0; i < n; i++) {
                        assertEquals(c.factor(sums[i], epsilon), expected[i], 0.0, c + " scalar factor " + i);
                    }
                    for (int i = n; i < n + 3; i++) {
                        assertEquals(-1f, floats[i], "written past n");
                        assertEquals(sums[i], inPlace[i], "written past n");
                    }
                }
            }
        }
    }

    @Test
    void stillBitForBitOnceTheJitHasCompiledTheLoop() {
        // Thousands of calls, so that C2 compiles the Vector API loop to vector instructions (the first calls run
        // interpreted, on the API's Java fallback), whose min, max, square root and division must keep Java's rules.
        Loops scalar = new Loops.ScalarLoops();
        double[] sums = sums(new Random(22), 1000);
        for (NormConstraint c : CONSTRAINTS) {
            float[] expected = new float[sums.length];
            scalar.factors(sums, sums.length, c, 1e-7, expected);
            float[] factors = new float[sums.length];
            for (int call = 0; call < 3000; call++) {
                Loops.INSTANCE.factors(sums, sums.length, c, 1e-7, factors);
            }
            assertArrayEquals(expected, factors, c.toString());
        }
    }

    /** Sums of squares around the clip bounds and at the edges: zero, subnormal, huge, infinite, NaN. */
    private static double[] sums(Random random, int n) {
        double[] special = {0.0, Double.MIN_VALUE, 1e-300, 1e-14, 0.0625, 0.25, 1.0, 2.25, 4.0, 1e300,
            Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NaN};
        double[] sums = new double[n];
        for (int i = 0; i < n; i++) {
            sums[i] = random.nextInt(3) == 0 ? special[random.nextInt(special.length)]
                    : Math.pow(10, random.nextDouble() * 4 - 2);
        }
        return sums;
    }

    private static float[] filled(float[] a) {
        java.util.Arrays.fill(a, -1f);
        return a;
    }
}
