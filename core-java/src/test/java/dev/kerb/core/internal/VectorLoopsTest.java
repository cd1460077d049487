package dev.kerb.core.internal;

import static dev.kerb.core.KernelAccess.factor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.MinMaxNorm;
import dev.kerb.core.NormConstraint;
import dev.kerb.core.UnitNorm;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API loops against the scalar loops, which are the spec: sums within rounding, and scaling, clamping and
 * norm factors bitwise equal, at the boundary sizes of {@link KernelParityTest}. Runs only where
 * {@code jdk.incubator.vector} is present: the build's default test execution, not the one without the module.
 */
class VectorLoopsTest {
    private static final int[] SIZES = {1, 7, 8, 15, 16, 17, 31, 33, 1023, 4097};

    @Test
    void scalarAndVectorSumsAgreeWithinRounding() {
        Loops vector = LoopImplementations.vector();
        Loops scalar = new ScalarLoops();
        Random random = new Random(3);
        for (int size : SIZES) {
            float[] f = new float[size + 3];
            double[] d = new double[size + 3];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) random.nextGaussian();
                d[i] = random.nextGaussian();
            }
            assertEquals(scalar.sum(f, 3, size), vector.sum(f, 3, size), 1e-12 * size);
            assertEquals(scalar.sum(d, 2, size), vector.sum(d, 2, size), 1e-12 * size);
            float[] rows = new float[1 + 5 * size];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (float) random.nextGaussian();
            }
            double[] s1 = new double[size];
            double[] s2 = new double[size];
            scalar.columnSums(rows, 1, 5, size, size, s1);
            vector.columnSums(rows, 1, 5, size, size, s2);
            assertArrayEquals(s1, s2, "float32 squares are exact in double and both add them in row order");
        }
    }

    @Test
    void scalarAndVectorScalingAndClampingAreBitwiseEqual() {
        Loops vector = LoopImplementations.vector();
        Loops scalar = new ScalarLoops();
        Random random = new Random(4);
        float[] specials = {Float.NaN, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1e-45f};
        for (int size : SIZES) {
            int rows = 1 + size % 7;
            float[] f = new float[rows * (size + 2)];
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = i % 11 == 0 ? specials[i % specials.length] : (float) random.nextGaussian();
                d[i] = i % 11 == 0 ? specials[i % specials.length] : random.nextGaussian();
            }
            float[] ff = new float[size];
            double[] df = new double[size];
            for (int i = 0; i < size; i++) {
                ff[i] = (float) random.nextDouble();
                df[i] = random.nextDouble();
            }
            float[] f1 = f.clone();
            float[] f2 = f.clone();
            scalar.scaleRows(f1, 1, rows, size + 2, size, ff);
            vector.scaleRows(f2, 1, rows, size + 2, size, ff);
            assertArrayEquals(f1, f2, "scaleRows float, size " + size);
            double[] d1 = d.clone();
            double[] d2 = d.clone();
            scalar.scaleRows(d1, 1, rows, size + 2, size, df);
            vector.scaleRows(d2, 1, rows, size + 2, size, df);
            assertArrayEquals(d1, d2, "scaleRows double, size " + size);
            f1 = f.clone();
            f2 = f.clone();
            scalar.scale(f1, 1, size, ff[0]);
            vector.scale(f2, 1, size, ff[0]);
            assertArrayEquals(f1, f2, "scale by one factor, float, size " + size);
            d1 = d.clone();
            d2 = d.clone();
            scalar.scale(d1, 2, size, df[0]);
            vector.scale(d2, 2, size, df[0]);
            assertArrayEquals(d1, d2, "scale by one factor, double, size " + size);
            f1 = f.clone();
            f2 = f.clone();
            scalar.clamp(f1, 1, size, 0f, Float.POSITIVE_INFINITY);
            vector.clamp(f2, 1, size, 0f, Float.POSITIVE_INFINITY);
            assertArrayEquals(f1, f2, "clamp float, size " + size); // also compares NaN and -0.0 by bits
            d1 = d.clone();
            d2 = d.clone();
            scalar.clamp(d1, 2, size, -0.5, 0.5);
            vector.clamp(d2, 2, size, -0.5, 0.5);
            assertArrayEquals(d1, d2, "clamp double, size " + size);
        }
    }

    @Test
    void quarterColumnSumsGiveTheFourRowSumsOfEachRowOfTheQuartersBitForBit() {
        // Loops#addQuarterColumnSums' contract: the bits of q four-row addColumnSums calls, one per row of a quarter,
        // which is what the buffer kernels compute; float32 squares are exact, so the scalar loops agree too.
        Loops vector = LoopImplementations.vector();
        Loops scalar = new ScalarLoops();
        Random random = new Random(9);
        for (int w : new int[] {1, 7, 8, 17, 33, 512}) {
            int q = 5;
            int stride = w + 3;
            float[] f = new float[2 + 4 * q * stride];
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) random.nextGaussian();
                d[i] = random.nextGaussian();
            }
            double[] start = new double[w];
            for (int j = 0; j < w; j++) {
                start[j] = random.nextDouble();
            }
            double[] rowByRow = start.clone();
            double[] quarters = start.clone();
            double[] scalarQuarters = start.clone();
            for (int r = 0; r < q; r++) {
                vector.addColumnSums(f, 2 + r * stride, 4, q * stride, w, rowByRow);
            }
            vector.addQuarterColumnSums(f, 2, q, stride, w, quarters);
            scalar.addQuarterColumnSums(f, 2, q, stride, w, scalarQuarters);
            assertArrayEquals(rowByRow, quarters, "float32, width " + w);
            assertArrayEquals(scalarQuarters, quarters, "float32 scalar, width " + w);
            rowByRow = start.clone();
            quarters = start.clone();
            for (int r = 0; r < q; r++) {
                vector.addColumnSums(d, 2 + r * stride, 4, q * stride, w, rowByRow);
            }
            vector.addQuarterColumnSums(d, 2, q, stride, w, quarters);
            assertArrayEquals(rowByRow, quarters, "float64, width " + w);
        }
    }

    @Test
    void scalingRowsThatSpanAMebibyteFromFourQuartersMatchesTheScalarLoopsBitForBit() {
        // From 1 MiB the Vector API scales row i of each quarter together; 1027 and 515 rows leave three over.
        Loops vector = LoopImplementations.vector();
        Loops scalar = new ScalarLoops();
        Random random = new Random(7);
        int w = 257;
        int stride = w + 3;
        float[] f = new float[2 + 1027 * stride];
        double[] d = new double[2 + 515 * stride];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextGaussian();
        }
        float[] ff = new float[w];
        double[] df = new double[w];
        for (int j = 0; j < w; j++) {
            ff[j] = (float) random.nextDouble();
            df[j] = random.nextDouble();
        }
        float[] f1 = f.clone();
        float[] f2 = f.clone();
        scalar.scaleRows(f1, 2, 1027, stride, w, ff);
        vector.scaleRows(f2, 2, 1027, stride, w, ff);
        assertArrayEquals(f1, f2, "1027 float32 rows");
        double[] d1 = d.clone();
        double[] d2 = d.clone();
        scalar.scaleRows(d1, 2, 515, stride, w, df);
        vector.scaleRows(d2, 2, 515, stride, w, df);
        assertArrayEquals(d1, d2, "515 float64 rows");
    }

    @Test
    void vectorFactorsAreEachConstraintsFactorBitForBit() {
        // Sums of squares as kernels see them, with the specials: zero, subnormal, huge, infinite, NaN, and the
        // squares of the clip bounds 0.5, 1.5 and 2.0, where min and max decide.
        Loops vector = LoopImplementations.vector();
        Random random = new Random(6);
        double[] specials = {0.0, Double.MIN_VALUE, 1e300, Double.POSITIVE_INFINITY, Double.NaN, 0.25, 2.25, 4.0};
        java.util.List<NormConstraint> constraints = java.util.List.of(new MaxNorm(1.5, 0), new UnitNorm(),
                new MinMaxNorm(0.5, 2.0, 0.7, 0), new MinMaxNorm(0.5, 2.0, 1.3, 0));
        for (NormConstraint c : constraints) {
            for (int n : new int[] {0, 1, 7, 8, 15, 16, 17, 33}) {
                double[] sums = new double[n];
                for (int i = 0; i < n; i++) {
                    sums[i] = i % 3 == 0 ? specials[i / 3 % specials.length] : random.nextDouble() * 9;
                }
                double[] expected = new double[n];
                float[] expectedFloats = new float[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = factor(c).factor(sums[i], ApplyOptions.KERAS_EPSILON);
                    expectedFloats[i] = (float) expected[i];
                }
                float[] floats = new float[n];
                vector.factors(factor(c), ApplyOptions.KERAS_EPSILON, sums, floats, n);
                assertArrayEquals(expectedFloats, floats, c + " float32 factors, n " + n);
                vector.factors(factor(c), ApplyOptions.KERAS_EPSILON, sums, n);
                assertArrayEquals(expected, sums, c + " float64 factors in place, n " + n);
            }
        }
    }
}
