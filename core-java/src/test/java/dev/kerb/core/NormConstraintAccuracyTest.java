package dev.kerb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every norm constraint against a float64 evaluation of the Keras formula ({@link KerasFormula}) on random shapes
 * of rank 0-5 with dimensions 0-9, random axis sets (int, negative int, list, all), float32 and float64, over arrays
 * with an offset, heap buffers and direct buffers. Tolerances are the ones the project promises: 1e-6 relative for
 * float32 and 1e-12 relative for float64.
 */
public class NormConstraintAccuracyTest {
    private static final double FLOAT32_TOL = 1e-6;
    private static final double FLOAT64_TOL = 1e-12;
    private static final int CASES = 400;

    enum Storage { ARRAY_WITH_OFFSET, HEAP_BUFFER, DIRECT_BUFFER }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void float64MatchesTheKerasFormula(Storage storage) {
        Random random = new Random(42 + storage.ordinal());
        for (int c = 0; c < CASES; c++) {
            Case tc = Case.random(random);
            double[] expected = KerasFormula.normConstraint(tc.weights, tc.shape.dims(), tc.reduced, tc.desired, 1e-7);
            double[] actual = applyFloat64(tc, storage);
            assertRelative(expected, actual, FLOAT64_TOL, tc);
        }
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void float32MatchesTheKerasFormula(Storage storage) {
        Random random = new Random(7 + storage.ordinal());
        for (int c = 0; c < CASES; c++) {
            Case tc = Case.random(random);
            float[] input = new float[tc.weights.length];
            double[] widened = new double[input.length];
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) tc.weights[i];
                widened[i] = input[i];
            }
            double[] expected = KerasFormula.normConstraint(widened, tc.shape.dims(), tc.reduced, tc.desired, 1e-7);
            double[] actual = applyFloat32(tc, input, storage);
            assertRelative(expected, actual, FLOAT32_TOL, tc);
        }
    }

    private static double[] applyFloat64(Case tc, Storage storage) {
        int n = tc.weights.length;
        switch (storage) {
            case ARRAY_WITH_OFFSET -> {
                double[] data = new double[n + 5];
                System.arraycopy(tc.weights, 0, data, 3, n);
                tc.constraint.apply(Tensor.of(data, 3, tc.shape));
                return java.util.Arrays.copyOfRange(data, 3, 3 + n);
            }
            default -> {
                var buffer = storage == Storage.DIRECT_BUFFER
                        ? ByteBuffer.allocateDirect((n + 2) * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer()
                        : java.nio.DoubleBuffer.allocate(n + 2);
                buffer.position(2);
                buffer.put(tc.weights).position(2);
                tc.constraint.apply(Tensor.of(buffer, tc.shape));
                double[] out = new double[n];
                buffer.get(2, out);
                return out;
            }
        }
    }

    private static double[] applyFloat32(Case tc, float[] input, Storage storage) {
        int n = input.length;
        float[] out = new float[n];
        switch (storage) {
            case ARRAY_WITH_OFFSET -> {
                float[] data = new float[n + 5];
                System.arraycopy(input, 0, data, 4, n);
                tc.constraint.apply(Tensor.of(data, 4, tc.shape));
                System.arraycopy(data, 4, out, 0, n);
            }
            default -> {
                var buffer = storage == Storage.DIRECT_BUFFER
                        ? ByteBuffer.allocateDirect((n + 1) * 4).order(ByteOrder.nativeOrder()).asFloatBuffer()
                        : java.nio.FloatBuffer.allocate(n + 1);
                buffer.position(1);
                buffer.put(input).position(1);
                tc.constraint.apply(Tensor.of(buffer, tc.shape));
                buffer.get(1, out);
            }
        }
        double[] widened = new double[n];
        for (int i = 0; i < n; i++) {
            widened[i] = out[i];
        }
        return widened;
    }

    private static void assertRelative(double[] expected, double[] actual, double tol, Case tc) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            boolean ok = Math.abs(a - e) <= tol * Math.abs(e) || (a == 0 && Math.abs(e) < Double.MIN_NORMAL);
            int index = i;
            assertTrue(ok, () -> tc + ": element " + index + " expected " + e + " but got " + a);
        }
    }

    /** One random constraint, shape, axis set and weights. */
    public record Case(NormConstraint constraint, Shape shape, boolean[] reduced, DoubleUnaryOperator desired,
                double[] weights) {
        public static Case random(Random random) {
            int rank = random.nextInt(6);
            int[] dims = new int[rank];
            for (int d = 0; d < rank; d++) {
                dims[d] = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(9);
            }
            Shape shape = Shape.of(dims);
            Axis axis = randomAxis(random, rank);
            NormConstraint constraint = switch (random.nextInt(4)) {
                case 0 -> new MaxNorm(0.5 + random.nextInt(8), axis);
                case 1 -> new UnitNorm(axis);
                case 2 -> new MinMaxNorm(random.nextDouble(), 1 + random.nextDouble() * 4, random.nextDouble(), axis);
                default -> new MinMaxNorm(2.0, 3.0, 1.5, axis); // rate outside [0, 1], as Keras accepts
            };
            DoubleUnaryOperator desired;
            if (constraint instanceof MaxNorm m) {
                desired = n -> KerasFormula.clip(n, 0, m.getMaxValue().doubleValue());
            } else if (constraint instanceof MinMaxNorm m) {
                double rate = m.getRate().doubleValue();
                desired = n -> rate * KerasFormula.clip(n, m.getMinValue().doubleValue(), m.getMaxValue().doubleValue())
                        + (1 - rate) * n;
            } else {
                desired = n -> 1.0;
            }
            double[] weights = new double[shape.size()];
            double scale = Math.pow(10, random.nextInt(7) - 3);
            for (int i = 0; i < weights.length; i++) {
                weights[i] = random.nextInt(8) == 0 ? 0.0 : random.nextGaussian() * scale;
            }
            return new Case(constraint, shape, axis.resolve(shape), desired, weights);
        }

        private static Axis randomAxis(Random random, int rank) {
            int kind = random.nextInt(rank == 0 ? 1 : 4);
            if (kind == 0) {
                return random.nextBoolean() ? Axis.all() : Axis.list();
            }
            if (kind == 1) {
                int a = random.nextInt(rank);
                return Axis.of(random.nextBoolean() ? a : a - rank);
            }
            List<Integer> axes = new ArrayList<>();
            for (int d = 0; d < rank; d++) {
                if (random.nextBoolean()) {
                    axes.add(random.nextBoolean() ? d : d - rank);
                }
            }
            java.util.Collections.shuffle(axes, random);
            return Axis.list(axes);
        }

        @Override
        public String toString() {
            return constraint + " on shape " + shape;
        }
    }
}
