package dev.kerb.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The loops over four rows at once, which the row kernel uses for all but a range's last few rows: each row's sum
 * must equal, bit for bit, the one-row {@link Loops#sum} (which row goes by which loop depends on how the rows are
 * split between threads, and results must not), and scaling must equal the scalar loop bit for bit. Row lengths are
 * the boundary sizes of {@link KernelParityTest}, so every vector tail is covered. Each test runs on every
 * implementation this JVM has ({@link LoopImplementations}).
 */
class FourRowLoopsTest {
    private static final int[] SIZES = {1, 7, 8, 15, 16, 17, 31, 33, 64, 1023, 4097};

    static java.util.List<Loops> implementations() {
        return LoopImplementations.all();
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void fourRowSumsEqualOneRowSumsBitForBit(Loops loops) {
        Random random = new Random(11);
        for (int len : SIZES) {
            int step = len + 5;
            float[] f = new float[3 + 4 * step];
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) random.nextGaussian();
                d[i] = random.nextGaussian();
            }
            double[] sums = new double[4];
            loops.sumFour(f, 3, step, len, sums);
            for (int k = 0; k < 4; k++) {
                assertEquals(loops.sum(f, 3 + k * step, len), sums[k], 0.0, "float row " + k + ", len " + len);
            }
            loops.sumFour(d, 3, step, len, sums);
            for (int k = 0; k < 4; k++) {
                assertEquals(loops.sum(d, 3 + k * step, len), sums[k], 0.0, "double row " + k + ", len " + len);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void fourRowScalingEqualsTheScalarLoopBitForBit(Loops loops) {
        Loops scalar = new ScalarLoops();
        Random random = new Random(12);
        for (int len : SIZES) {
            int step = len + 2;
            float[] f = new float[1 + 4 * step];
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) random.nextGaussian();
                d[i] = random.nextGaussian();
            }
            float[] ff = {0.5f, (float) random.nextDouble(), 1.0f, (float) random.nextDouble()};
            double[] df = {0.5, random.nextDouble(), 1.0, random.nextDouble()};
            float[] f1 = f.clone();
            float[] f2 = f.clone();
            scalar.scaleFour(f1, 1, step, len, ff);
            loops.scaleFour(f2, 1, step, len, ff);
            assertArrayEquals(f1, f2, "float, len " + len);
            double[] d1 = d.clone();
            double[] d2 = d.clone();
            scalar.scaleFour(d1, 1, step, len, df);
            loops.scaleFour(d2, 1, step, len, df);
            assertArrayEquals(d1, d2, "double, len " + len);
            for (int i = 0; i < f.length; i++) {
                int k = (i - 1) / step;
                boolean inRow = i >= 1 && (i - 1) % step < len;
                assertEquals(inRow ? f[i] * ff[k] : f[i], f2[i], 0.0f, "float element " + i + ", len " + len);
            }
        }
    }
}
