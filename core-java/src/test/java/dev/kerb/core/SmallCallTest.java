package dev.kerb.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The small-call path a training loop takes every step: each norm constraint caches the layout of the last shape it
 * saw, and a call below the parallel threshold runs on the calling thread without building a task. The cache must
 * never serve one shape's layout to another, and a steady-state call must allocate nothing.
 */
class SmallCallTest {
    /** Shapes that a cache keyed by size, rank or the reduced count alone would confuse. */
    private static final List<Shape> SHAPES = List.of(Shape.of(64, 64), Shape.of(4096), Shape.of(16, 256),
            Shape.of(256, 16), Shape.of(3, 3, 16, 16), Shape.of(16, 3, 3, 16), Shape.of(1, 64, 1, 64), Shape.of(4, 4));

    private static final List<Supplier<NormConstraint>> CONSTRAINTS = List.of(() -> new MaxNorm(1.5, 0),
            () -> new MaxNorm(2, -1), () -> new UnitNorm(Axis.list(0, 1)), () -> new MinMaxNorm(0.5, 1.0, 0.7, 0),
            () -> new UnitNorm(Axis.all()));

    @Test
    void aConstraintMovingBetweenShapesGivesTheBitsOfAFreshConstraintOnEach() {
        Random random = new Random(19);
        for (Supplier<NormConstraint> make : CONSTRAINTS) {
            NormConstraint shared = make.get();
            for (int step = 0; step < 40; step++) {
                Shape shape = SHAPES.get(random.nextInt(SHAPES.size()));
                float[] input = gaussian(random, shape.size());
                float[] viaShared = input.clone();
                float[] viaFresh = input.clone();
                NormConstraint fresh = make.get();
                boolean fits = fits(fresh, shape);
                if (!fits) {
                    assertThrows(IllegalArgumentException.class, () -> shared.apply(Tensor.of(viaShared, shape)));
                    assertArrayEquals(input, viaShared, shared + " changed " + shape + " before refusing it");
                    continue;
                }
                shared.apply(Tensor.of(viaShared, shape));
                fresh.apply(Tensor.of(viaFresh, shape));
                assertArrayEquals(viaFresh, viaShared, shared + " on " + shape + " at step " + step);
            }
        }
    }

    @Test
    void threadsSharingAConstraintOnTheirOwnShapesEachGetTheirShapesResult() throws Exception {
        MaxNorm shared = new MaxNorm(1.0, 0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Shape shape = SHAPES.get(t);
                long seed = t;
                runs.add(pool.submit(() -> {
                    float[] input = gaussian(new Random(seed), shape.size());
                    float[] expected = input.clone();
                    new MaxNorm(1.0, 0).apply(Tensor.of(expected, shape));
                    for (int i = 0; i < 2000; i++) {
                        float[] data = input.clone();
                        shared.apply(Tensor.of(data, shape));
                        assertArrayEquals(expected, data, shape + " at call " + i);
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void steadyStateSmallCallsAllocateNothing() {
        List<Object[]> cases = List.of(
                new Object[] {new MaxNorm(2, 0), Shape.of(64, 64)},
                new Object[] {new UnitNorm(Axis.list(0, 1, 2)), Shape.of(3, 3, 16, 16)},
                new Object[] {new MaxNorm(1, 1), Shape.of(512, 64)});
        for (Object[] c : cases) {
            NormConstraint constraint = (NormConstraint) c[0];
            Shape shape = (Shape) c[1];
            ByteBuffer bytes = ByteBuffer.allocateDirect(shape.size() * Float.BYTES).order(ByteOrder.nativeOrder());
            for (Tensor t : List.of(Tensor.of(gaussian(new Random(3), shape.size()), shape),
                    Tensor.of(new double[shape.size()], shape), Tensor.of(bytes, DType.FLOAT32, shape))) {
                // Steady state: once the JIT has compiled the loops, some round of 1000 calls allocates nothing.
                long perCall = SteadyState.bytesPerCall(() -> constraint.apply(t), 0);
                assertEquals(0, perCall, constraint + " on " + shape + " " + t.getClass().getSimpleName()
                        + ": bytes allocated per call after 20 s of calls");
            }
        }
    }

    private static boolean fits(NormConstraint c, Shape shape) {
        try {
            c.check(shape);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * 2);
        }
        return values;
    }
}
