package dev.kerb.core.internal;

import static dev.kerb.core.KernelAccess.factor;
import static dev.kerb.core.KernelAccess.reduced;
import static dev.kerb.core.KernelAccess.view;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.Axis;
import dev.kerb.core.Constraint;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.MinMaxNorm;
import dev.kerb.core.NonNeg;
import dev.kerb.core.NormConstraint;
import dev.kerb.core.NormConstraintAccuracyTest;
import dev.kerb.core.Shape;
import dev.kerb.core.SteadyState;
import dev.kerb.core.Tensor;
import dev.kerb.core.UnitNorm;
import dev.kerb.core.thirdparty.Clip;
import dev.kerb.core.thirdparty.WeightClip;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast paths (row and column-strip kernels, scalar and Vector API sums, one thread and several) against the
 * reference kernel, {@link NormKernel#reference}, which is the spec: at the boundary sizes 1, 7, 8, 15, 16, 17, 31,
 * 33, 1023 and 4097 and on random shapes and axis sets, within 1e-6 relative (float32) and 1e-12 (float64); and
 * bitwise identical whatever the thread count. The kernel tests run on every {@link Loops} implementation this JVM
 * has ({@link LoopImplementations}): the build runs them with the Vector API module and without it.
 */
class KernelParityTest {
    private static final int[] SIZES = {1, 7, 8, 15, 16, 17, 31, 33, 1023, 4097};
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);
    /** Several threads, and a threshold low enough that even small tensors are split. */
    private static final ApplyOptions SPLIT = ApplyOptions.DEFAULT.withThreads(3).withExecutor(POOL).withParallelThreshold(1);
    private static final ApplyOptions ONE = ApplyOptions.DEFAULT.withThreads(1);
    private static final List<NormConstraint> CONSTRAINTS = List.of(new MaxNorm(1.5, 0), new UnitNorm(),
            new MinMaxNorm(0.5, 2.0, 0.7, 0));

    @AfterAll
    static void stopPool() {
        POOL.shutdown();
    }

    static List<Loops> implementations() {
        return LoopImplementations.all();
    }

    @Test
    void theDefaultLoopsAreTheVectorApiOnesExactlyWhenTheModuleIsPresent() {
        // The build runs these tests twice: with --add-modules jdk.incubator.vector, and without (the default).
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(Boolean.getBoolean("kerb.test.vectorApi"), present, "the test execution's module setting");
        assertEquals(present, Loops.DEFAULT.vectorized());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void boundarySizesMatchTheReferenceForBothLayoutsAndEveryThreadCount(Loops loops) {
        ArrayNormKernels kernels = new ArrayNormKernels(loops);
        Random random = new Random(5);
        for (int rows : SIZES) {
            for (int cols : new int[] {1, 7, 16, 33}) {
                for (boolean reduceRows : new boolean[] {true, false}) {
                    for (NormConstraint c : CONSTRAINTS) {
                        Axis axis = Axis.of(reduceRows ? 0 : 1);
                        NormConstraint constraint = withAxis(c, axis);
                        checkFloat(random, Shape.of(rows, cols), constraint, kernels);
                        checkFloat(random, Shape.of(cols, rows), constraint, kernels);
                        checkDouble(random, Shape.of(rows, cols), constraint, kernels);
                        checkDouble(random, Shape.of(cols, rows), constraint, kernels);
                    }
                }
            }
        }
    }

    @Test
    void steadyStateCallsAllocateNoScratch() {
        // Scratch is per thread and reused: after warm-up a call allocates far less than one norm's worth of the
        // 2048-4096 norms below (SmallCallTest holds calls on the calling thread to nothing at all).
        for (Shape shape : List.of(Shape.of(2048, 256), Shape.of(64, 4096), Shape.of(4096, 64))) {
            for (int axis = 0; axis < 2; axis++) {
                float[] data = new float[shape.size()];
                java.util.Arrays.fill(data, 0.5f);
                Tensor t = Tensor.of(data, shape);
                MaxNorm c = new MaxNorm(2, axis);
                long perCall = SteadyState.bytesPerCall(() -> c.apply(t, ONE), 1023);
                assertTrue(perCall < 1024, shape + " axis " + axis + " allocates " + perCall + " bytes per call");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void randomShapesAndAxisSetsMatchTheReference(Loops loops) {
        ArrayNormKernels kernels = new ArrayNormKernels(loops);
        Random random = new Random(11);
        for (int n = 0; n < 300; n++) {
            NormConstraintAccuracyTest.Case tc = NormConstraintAccuracyTest.Case.random(random);
            checkFloat(random, tc.shape(), tc.constraint(), kernels);
            checkDouble(random, tc.shape(), tc.constraint(), kernels);
        }
    }

    @Test
    void elementwiseConstraintsSplitAcrossThreadsGiveTheSameBits() {
        Random random = new Random(9);
        for (int size : SIZES) {
            float[] input = new float[size * 37];
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) random.nextGaussian();
            }
            for (Constraint c : List.of(NonNeg.INSTANCE, new Clip(-0.5, 0.5), new WeightClip(0.25))) {
                float[] one = input.clone();
                c.apply(Tensor.of(one, Shape.of(one.length)), ONE);
                float[] split = input.clone();
                c.apply(Tensor.of(split, Shape.of(split.length)), SPLIT);
                assertArrayEquals(one, split, c::toString);
                float[] expected = c.applied(input, Shape.of(input.length)); // reference: the copy on one thread
                assertArrayEquals(expected, split, c::toString);
            }
        }
    }

    private static void checkFloat(Random random, Shape shape, NormConstraint c, ArrayNormKernels kernels) {
        float[] input = new float[shape.size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) (random.nextGaussian() * 3);
        }
        float[] reference = input.clone();
        NormKernel.reference(view(Tensor.of(reference, shape)), reduced(c, shape), factor(c),
                ApplyOptions.KERAS_EPSILON);
        boolean[] reduced = reduced(c, shape);
        float[] one = input.clone();
        NormKernel.project(view(Tensor.of(one, shape)), reduced, factor(c), ONE, kernels);
        float[] split = input.clone();
        NormKernel.project(view(Tensor.of(split, shape)), reduced, factor(c), SPLIT, kernels);
        assertArrayEquals(one, split, () -> c + " on " + shape + ": thread count changed the bits");
        for (int i = 0; i < input.length; i++) {
            int at = i;
            assertTrue(Math.abs(one[i] - reference[i]) <= 1e-6 * Math.abs(reference[i]) + Float.MIN_NORMAL,
                    () -> c + " on " + shape + " element " + at + ": " + one[at] + " vs reference " + reference[at]);
        }
    }

    private static void checkDouble(Random random, Shape shape, NormConstraint c, ArrayNormKernels kernels) {
        double[] input = new double[shape.size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextGaussian() * 3;
        }
        double[] reference = input.clone();
        NormKernel.reference(view(Tensor.of(reference, shape)), reduced(c, shape), factor(c),
                ApplyOptions.KERAS_EPSILON);
        boolean[] reduced = reduced(c, shape);
        double[] one = input.clone();
        NormKernel.project(view(Tensor.of(one, shape)), reduced, factor(c), ONE, kernels);
        double[] split = input.clone();
        NormKernel.project(view(Tensor.of(split, shape)), reduced, factor(c), SPLIT, kernels);
        assertArrayEquals(one, split, () -> c + " on " + shape + ": thread count changed the bits");
        for (int i = 0; i < input.length; i++) {
            int at = i;
            assertTrue(Math.abs(one[i] - reference[i]) <= 1e-12 * Math.abs(reference[i]) + Double.MIN_NORMAL,
                    () -> c + " on " + shape + " element " + at + ": " + one[at] + " vs reference " + reference[at]);
        }
    }

    private static NormConstraint withAxis(NormConstraint c, Axis axis) {
        if (c instanceof MaxNorm m) {
            return new MaxNorm(m.getMaxValue(), axis);
        }
        if (c instanceof MinMaxNorm m) {
            return new MinMaxNorm(m.getMinValue(), m.getMaxValue(), m.getRate(), axis);
        }
        return new UnitNorm(axis);
    }
}
