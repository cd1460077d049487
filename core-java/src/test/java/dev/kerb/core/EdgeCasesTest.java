package dev.kerb.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Zero sizes, zero slices, non-finite weights, epsilon, and bad input that must leave the tensor unchanged. */
class EdgeCasesTest {
    private static final List<Constraint> ALL = List.of(new MaxNorm(), new MinMaxNorm(0.5, 1.0), new UnitNorm(),
            NonNeg.INSTANCE, Constraint.identity());

    @Test
    void zeroSizeTensorsAreFine() {
        for (Constraint c : ALL) {
            for (Shape s : List.of(Shape.of(0), Shape.of(3, 0), Shape.of(0, 4, 2))) {
                assertEquals(0, c.applied(new float[0], s).length);
            }
        }
    }

    @Test
    void zeroSizeShapesMayHaveLargeDimensions() {
        // NumPy: np.zeros((65536, 65536, 0)).size == 0; the other dimensions' product alone overflows an int.
        for (Shape s : List.of(Shape.of(65536, 65536, 0), Shape.of(0, 65536, 65536), Shape.of(65536, 0, 65536))) {
            assertEquals(0, s.size());
            for (Constraint c : List.of(new MaxNorm(2, Axis.list(0, 1)), new MaxNorm(2, 2), new UnitNorm(1),
                    new MinMaxNorm(0.5, 1.0), NonNeg.INSTANCE)) {
                assertEquals(0, c.applied(new float[0], s).length, c + " on " + s);
                assertEquals(0, c.applied(new double[0], s).length, c + " on " + s);
            }
        }
    }

    @Test
    void allZeroSlicesStayZeroWithoutNaN() {
        // Keras: 0 * (desired / (1e-7 + 0)) = 0, also for MinMaxNorm with min_value > 0.
        for (Constraint c : List.of(new MaxNorm(), new MinMaxNorm(0.5, 1.0), new UnitNorm())) {
            double[] out = c.applied(new double[] {0, 3, 0, 4}, Shape.of(2, 2));
            assertEquals(0.0, out[0], c.toString());
            assertEquals(0.0, out[2], c.toString());
        }
    }

    @Test
    void nonFiniteWeightsPropagateAsInKeras() {
        // Column 0 holds NaN: its norm is NaN, so the whole column becomes NaN. Column 1 holds +inf: the norm is inf,
        // the factor clip(inf)/(eps+inf) is 0, so inf * 0 = NaN and the finite element becomes 0.
        double[] out = new MaxNorm().applied(new double[] {Double.NaN, Double.POSITIVE_INFINITY, 1, 1}, Shape.of(2, 2));
        assertTrue(Double.isNaN(out[0]) && Double.isNaN(out[2]), "NaN column");
        assertTrue(Double.isNaN(out[1]), "inf element");
        assertEquals(0.0, out[3], "finite element next to inf");
    }

    @Test
    void nonNegFollowsKeras315Maximum() {
        // Keras 3.15+ ops.maximum(w, 0); NumPy 2.4 np.maximum(-0.0, 0) is +0.0.
        float[] out = NonNeg.INSTANCE.applied(new float[] {-3f, -0.0f, Float.NaN, 2.5f, 0f}, Shape.of(5));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(out[0]), "negative becomes +0.0");
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(out[1]), "-0.0 becomes +0.0");
        assertTrue(Float.isNaN(out[2]), "NaN stays NaN");
        assertEquals(2.5f, out[3]);
    }

    @Test
    void epsilonTravelsWithTheCall() {
        double[] w = {3, 4};
        Tensor t = Tensor.of(w, Shape.of(2));
        new UnitNorm().apply(t, ApplyOptions.DEFAULT.withEpsilon(1.0));
        assertArrayEquals(new double[] {3.0 / 6, 4.0 / 6}, w, 1e-15); // w / (1 + 5)
        assertThrows(IllegalArgumentException.class, () -> ApplyOptions.DEFAULT.withEpsilon(Double.NaN));
    }

    @Test
    void negativeMaxValueZeroesTheSliceAsTensorFlowClips() {
        // tf.clip_by_value(n, 0, -1) = max(min(n, -1), 0) = 0: the lower bound wins.
        assertArrayEquals(new double[] {0, 0}, new MaxNorm(-1).applied(new double[] {3, 4}, Shape.of(2)));
        // MinMaxNorm(min 2 > max 1): TensorFlow and Keras 2 let the lower bound win, so the norm becomes 2.
        double[] out = new MinMaxNorm(2.0, 1.0).applied(new double[] {3, 4}, Shape.of(2));
        assertEquals(2.0 * 5 / (5 + 1e-7), Math.hypot(out[0], out[1]), 1e-12);
    }

    @Test
    void axisOutOfRangeIsAnErrorAndLeavesDataUnchanged() {
        float[] w = {1, 2, 3, 4, 5, 6};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaxNorm(1, 2).apply(w, Shape.of(2, 3)));
        assertEquals("axis 2 is out of range for rank 2 (shape [2, 3]); expected an axis in [-2, 2)", e.getMessage());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w);
        e = assertThrows(IllegalArgumentException.class, () -> new UnitNorm(-3).apply(w, Shape.of(2, 3)));
        assertEquals("axis -3 is out of range for rank 2 (shape [2, 3]); expected an axis in [-2, 2)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new UnitNorm(0).apply(new float[] {1}, Shape.of()));
        assertEquals("axis 0 is out of range for rank 0 (shape []); expected an axis in [0, 0)", e.getMessage());
    }

    @Test
    void repeatedAxisIsAnErrorAndLeavesDataUnchanged() {
        double[] w = {1, 2, 3, 4, 5, 6};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UnitNorm(Axis.list(0, -2)).apply(w, Shape.of(2, 3)));
        assertEquals("axis [0, -2] names axis 0 twice (shape [2, 3]); expected distinct axes", e.getMessage());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, w);
    }

    @Test
    void bufferSmallerThanTheShapeIsAnError() {
        float[] w = {1, 2, 3, 4, 5};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaxNorm().apply(w, Shape.of(2, 3)));
        assertEquals("the float[] of length 5 holds 5 elements from offset 0, fewer than the 6 that shape [2, 3] "
                + "needs", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[4], 2, Shape.of(3)));
        assertEquals("the double[] of length 4 holds 2 elements from offset 2, fewer than the 3 that shape [3] "
                + "needs", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(FloatBuffer.allocate(3), Shape.of(2, 2)));
        assertEquals("the FloatBuffer has 3 elements remaining, fewer than the 4 that shape [2, 2] needs",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(FloatBuffer.allocate(4).asReadOnlyBuffer(), Shape.of(2, 2)));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxNorm().applied(w, Shape.of(3, 2)));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, w);
    }

    @Test
    void negativeDimensionIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.of(3, -1));
        assertEquals("negative dimension -1 at index 1 in shape [3, -1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Shape.of(65536, 65536));
        assertTrue(e.getMessage().startsWith("shape [65536, 65536] has more than 2147483647 elements"));
    }

    @Test
    void nonFiniteParametersAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaxNorm(Double.POSITIVE_INFINITY));
        assertEquals("MaxNorm max_value is Infinity; expected a finite number", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MinMaxNorm(0.0, 1.0, Double.NaN, 0));
        assertEquals("MinMaxNorm rate is NaN; expected a finite number", e.getMessage());
    }

    @Test
    void copyingVariantLeavesTheInputUnchanged() {
        double[] w = {3, 4};
        double[] out = new MaxNorm(1).applied(w, Shape.of(2));
        assertArrayEquals(new double[] {3, 4}, w);
        assertEquals(1.0, Math.hypot(out[0], out[1]), 1e-6);
    }
}
