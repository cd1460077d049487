package dev.kerb.core.thirdparty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kerb.core.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The third-party constraints found in the corpus ({@code testdata/keras-corpus/SOURCES.md}): QKeras {@code Clip} ({@code K.clip}), larq
 * {@code weight_clip} ({@code tf.clip_by_value(x, -c, c)}) and hls4ml {@code ZeroSomeWeights} ({@code w * mask}).
 */
class ThirdPartyConstraintsTest {

    @Test
    void clipClipsToTheBoundsAndKeepsNaN() {
        float[] out = new Clip(-1, 1).applied(new float[] {-3f, -0.5f, 0.5f, 2f, Float.NaN}, Shape.of(5));
        assertArrayEquals(new float[] {-1f, -0.5f, 0.5f, 1f, Float.NaN}, out);
        assertEquals(Map.of("min_value", -1, "max_value", 1), new Clip(-1, 1).getConfig());
        assertEquals(List.of("min_value", "max_value"), List.copyOf(new Clip().getConfig().keySet()));
        assertEquals(Map.of("min_value", 0.0, "max_value", 1.0), new Clip().getConfig());
        // K.clip in Keras 2 lets the lower bound win when min_value > max_value.
        assertArrayEquals(new double[] {2, 2}, new Clip(2, 1).applied(new double[] {0, 5}, Shape.of(2)));
        assertNotEquals(new Clip(-1, 1), new Clip(-1.0, 1.0), "ints and floats write different configs");
    }

    @Test
    void weightClipIsSymmetric() {
        double[] out = new WeightClip().applied(new double[] {-1.5, -0.25, 0.75, 3}, Shape.of(2, 2));
        assertArrayEquals(new double[] {-1, -0.25, 0.75, 1}, out);
        assertEquals(Map.of("clip_value", 1), new WeightClip().getConfig());
        assertEquals("WeightClip(clip_value=0.5)", new WeightClip(0.5).toString());
    }

    @Test
    void zeroSomeWeightsMultipliesByTheMaskAndKeepsItsConfig() {
        List<List<Double>> mask = List.of(List.of(0.0, 1.0, 1.0), List.of(1.0, 0.0, 1.0));
        ZeroSomeWeights constraint = new ZeroSomeWeights(mask);
        double[] out = constraint.applied(new double[] {5, -2, 3, 4, 7, -1}, Shape.of(2, 3));
        assertArrayEquals(new double[] {0, -2, 3, 4, 0, -1}, out);
        assertEquals(Map.of("binary_tensor", mask), constraint.getConfig());
        assertEquals(constraint, new ZeroSomeWeights(List.of(List.of(0.0, 1.0, 1.0), List.of(1.0, 0.0, 1.0))));
        double[] untouched = {1, 2};
        new ZeroSomeWeights().apply(untouched, Shape.of(2));
        assertArrayEquals(new double[] {1, 2}, untouched, "no mask is the identity");
        assertTrue(new ZeroSomeWeights().getConfig().containsKey("binary_tensor"));
    }

    @Test
    void zeroSomeWeightsRejectsBadMasksAndMismatchedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ZeroSomeWeights(List.of(List.of(1.0, 0.0), List.of(1.0))));
        assertEquals("ZeroSomeWeights binary_tensor is ragged: expected a list of 2 at depth 1 (shape [2, 2])",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ZeroSomeWeights(List.of("x")));
        assertEquals("ZeroSomeWeights binary_tensor holds x where a finite number was expected (shape [1])",
                e.getMessage());
        double[] w = {1, 2, 3};
        e = assertThrows(IllegalArgumentException.class,
                () -> new ZeroSomeWeights(List.of(1.0, 0.0)).apply(w, Shape.of(3)));
        assertEquals("ZeroSomeWeights binary_tensor has shape [2] but the weights have shape [3]; expected the same "
                + "shape", e.getMessage());
        assertArrayEquals(new double[] {1, 2, 3}, w);
    }
}
