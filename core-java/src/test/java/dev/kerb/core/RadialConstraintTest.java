package dev.kerb.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * tf.keras {@code RadialConstraint} as its r2.15 code behaves ({@code keras/constraints.py} of keras-team/keras
 * r2.15): the ring patterns its algorithm gives when re-run in NumPy, and tf.keras'
 * {@code test_conv2d_radial_constraint} ({@code keras/constraints_test.py}).
 */
class RadialConstraintTest {

    /** Returns slice (0, 0) of the result for a kernel whose (r, c) entry is 10 * r + c in every slice. */
    private static double[][] pattern(int n) {
        double[] w = new double[n * n * 2 * 3];
        for (int i = 0; i < w.length; i++) {
            int cell = i / 6;
            w[i] = 10 * (cell / n) + cell % n + (i % 6) * 100;
        }
        RadialConstraint.INSTANCE.apply(w, Shape.of(n, n, 2, 3));
        double[][] slice = new double[n][n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                slice[r][c] = w[(r * n + c) * 6];
                assertEquals(slice[r][c] + 500, w[(r * n + c) * 6 + 5], "slice 5 follows the same rings");
            }
        }
        return slice;
    }

    @Test
    void ringPatternsMatchTheCode() {
        assertArrayEquals(new double[][] {{0, 0}, {0, 0}}, pattern(2)); // n=2: all v00
        assertArrayEquals(new double[][] {{11, 11, 11}, {11, 0, 11}, {11, 11, 11}}, pattern(3)); // centre v00, ring v11
        double[][] four = pattern(4); // inner 2x2 v11, border v33
        assertArrayEquals(new double[] {33, 33, 33, 33}, four[0]);
        assertArrayEquals(new double[] {33, 11, 11, 33}, four[1]);
        double[][] five = pattern(5); // centre v11, ring1 v22, ring2 v33
        assertArrayEquals(new double[] {33, 22, 11, 22, 33}, five[2]);
        assertArrayEquals(new double[] {33, 33, 33, 33, 33}, five[4]);
        double[][] six = pattern(6); // inner 2x2 v22, ring1 v44, ring2 v55
        assertArrayEquals(new double[] {55, 44, 22, 22, 44, 55}, six[2]);
        assertArrayEquals(new double[] {55, 55, 55, 55, 55, 55}, six[5]);
    }

    /** tf.keras r2.15 {@code test_conv2d_radial_constraint}: shape kept, first column constant, ceil(w/2) values. */
    @Test
    void tfKerasRadialConstraintTest() {
        Random random = new Random(3537);
        for (int w : new int[] {3, 4, 5, 6}) {
            float[] kernel = new float[w * w * 2 * 2];
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] = random.nextFloat();
            }
            float[] out = RadialConstraint.INSTANCE.applied(kernel, Shape.of(w, w, 2, 2));
            assertEquals(kernel.length, out.length);
            Set<Float> distinct = new HashSet<>();
            for (int r = 0; r < w; r++) {
                assertEquals(out[0], out[(r * w) * 4], "first column of slice (0, 0) is constant");
                for (int c = 0; c < w; c++) {
                    distinct.add(out[(r * w + c) * 4]);
                }
            }
            assertEquals((w + 1) / 2, distinct.size(), "distinct values for w=" + w);
        }
    }

    @Test
    void shapesTfKerasRejectsAreErrorsAndLeaveDataUnchanged() {
        double[] w = {1, 2, 3, 4};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RadialConstraint.INSTANCE.apply(w, Shape.of(2, 2)));
        assertEquals("RadialConstraint needs a rank-4 kernel (rows, cols, in, out); got rank 2 (shape [2, 2])",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RadialConstraint.INSTANCE.apply(new double[12], Shape.of(2, 3, 2, 1)));
        assertEquals("RadialConstraint needs square kernel slices of at least 2x2 (rows == cols >= 2); got shape "
                + "[2, 3, 2, 1]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RadialConstraint.INSTANCE.apply(w, Shape.of(1, 1, 2, 2)));
        assertArrayEquals(new double[] {1, 2, 3, 4}, w);
    }
}
