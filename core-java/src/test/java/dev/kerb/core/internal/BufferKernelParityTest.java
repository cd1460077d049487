package dev.kerb.core.internal;

import static dev.kerb.core.KernelAccess.factor;
import static dev.kerb.core.KernelAccess.reduced;
import static dev.kerb.core.KernelAccess.view;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.Axis;
import dev.kerb.core.Constraint;
import dev.kerb.core.DType;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The buffer kernels ({@link BufferNormKernels}) against the array kernels, which {@link KernelParityTest} holds to
 * the reference: for every storage ({@code ByteBuffer} views and {@code FloatBuffer}/{@code DoubleBuffer} views
 * without an array, heap and direct, both byte orders), shape, axis set, constraint and dtype, the buffer's values
 * after a constraint are bit for bit the array's with the same {@link Loops}, on one thread and split across three.
 * Runs on every {@link Loops} implementation this JVM has ({@link LoopImplementations}).
 */
class BufferKernelParityTest {
    private static final int[] SIZES = {1, 7, 8, 15, 16, 17, 31, 33, 1023, 4097};
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);
    private static final ApplyOptions SPLIT = ApplyOptions.DEFAULT.withThreads(3).withExecutor(POOL)
            .withParallelThreshold(1);
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

    /** How a tensor's values are stored; each is made with a few bytes before the view and after it. */
    enum Storage {
        BYTES_HEAP, BYTES_DIRECT, TYPED_HEAP_VIEW, TYPED_DIRECT;

        static final int PAD = 3; // bytes before the view (ByteBuffer views) and after it

        /** Returns a view holding {@code values} in this storage and order, over a buffer with padding around it. */
        Tensor of(double[] values, DType dtype, Shape shape, ByteOrder order) {
            int eb = dtype == DType.FLOAT32 ? Float.BYTES : Double.BYTES;
            int lead = this == BYTES_HEAP || this == BYTES_DIRECT ? PAD : eb; // typed views start one element in
            int capacity = lead + values.length * eb + PAD;
            ByteBuffer bytes = (this == BYTES_HEAP || this == TYPED_HEAP_VIEW ? ByteBuffer.allocate(capacity)
                    : ByteBuffer.allocateDirect(capacity)).order(order);
            for (int i = 0; i < capacity; i++) {
                bytes.put(i, (byte) 0x5A);
            }
            for (int i = 0; i < values.length; i++) {
                if (dtype == DType.FLOAT32) {
                    bytes.putFloat(lead + i * eb, (float) values[i]);
                } else {
                    bytes.putDouble(lead + i * eb, values[i]);
                }
            }
            if (this == BYTES_HEAP || this == BYTES_DIRECT) {
                Tensor t = Tensor.of(bytes.position(lead), dtype, shape);
                bytes.position(0).order(order == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                return t; // later changes to the buffer's position and order do not move the view
            }
            Tensor t = dtype == DType.FLOAT32 ? Tensor.of(bytes.asFloatBuffer().position(1), shape)
                    : Tensor.of(bytes.asDoubleBuffer().position(1), shape);
            assertTrue(view(t) instanceof BufferTensor, "a typed view without an array takes the buffer kernels");
            return t;
        }
    }

    private static final ByteOrder[] ORDERS = {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN};

    @ParameterizedTest
    @MethodSource("implementations")
    void boundarySizesGiveTheArrayKernelsBitsForBothLayoutsEveryStorageAndThreadCount(Loops loops) {
        Kernels k = new Kernels(loops);
        Random random = new Random(5);
        for (int rows : SIZES) {
            for (int cols : new int[] {1, 7, 16, 33}) {
                for (boolean reduceRows : new boolean[] {true, false}) {
                    for (NormConstraint c : CONSTRAINTS) {
                        NormConstraint constraint = withAxis(c, Axis.of(reduceRows ? 0 : 1));
                        for (Shape shape : List.of(Shape.of(rows, cols), Shape.of(cols, rows))) {
                            for (DType dtype : DType.values()) {
                                Storage storage = Storage.values()[random.nextInt(4)];
                                check(k, random, shape, constraint, dtype, storage, ORDERS[random.nextInt(2)]);
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void everyStorageAndOrderGivesTheArrayKernelsBits(Loops loops) {
        Kernels k = new Kernels(loops);
        Random random = new Random(6);
        List<Shape> shapes = List.of(Shape.of(1023, 33), Shape.of(33, 1023), Shape.of(4097, 17), Shape.of(17, 4097),
                Shape.of(3, 3, 8, 16), Shape.of(4097));
        for (Shape shape : shapes) {
            for (Storage storage : Storage.values()) {
                for (ByteOrder order : ORDERS) {
                    for (DType dtype : DType.values()) {
                        for (NormConstraint c : CONSTRAINTS) {
                            check(k, random, shape, withAxis(c, Axis.of(0)), dtype, storage, order);
                            check(k, random, shape, withAxis(c, Axis.of(-1)), dtype, storage, order);
                        }
                        check(k, random, shape, new UnitNorm(Axis.all()), dtype, storage, order);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void randomShapesAndAxisSetsGiveTheArrayKernelsBits(Loops loops) {
        Kernels k = new Kernels(loops);
        Random random = new Random(11);
        for (int n = 0; n < 200; n++) {
            NormConstraintAccuracyTest.Case tc = NormConstraintAccuracyTest.Case.random(random);
            Storage storage = Storage.values()[random.nextInt(4)];
            for (DType dtype : DType.values()) {
                check(k, random, tc.shape(), tc.constraint(), dtype, storage, ORDERS[random.nextInt(2)]);
            }
        }
        for (int n = 0; n < 60; n++) { // larger shapes, so that the fast paths and threads get real work
            int rank = 1 + random.nextInt(3);
            int[] dims = new int[rank];
            int[] axes = new int[rank];
            int count = 0;
            for (int d = 0; d < rank; d++) {
                dims[d] = 1 + random.nextInt(random.nextBoolean() ? 9 : 700);
                if (random.nextBoolean()) {
                    axes[count++] = d;
                }
            }
            Axis axis = count == 0 ? Axis.all() : Axis.list(java.util.Arrays.copyOf(axes, count));
            NormConstraint c = withAxis(CONSTRAINTS.get(random.nextInt(3)), axis);
            Storage storage = Storage.values()[random.nextInt(4)];
            for (DType dtype : DType.values()) {
                check(k, random, Shape.of(dims), c, dtype, storage, ORDERS[random.nextInt(2)]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void columnNormsOverAMebibyteGiveTheArrayBits(Loops loops) {
        // From 1 MiB the array loops scale rows from four quarters, the buffer loops four adjacent rows; 1027 and 515
        // rows leave three over.
        Kernels k = new Kernels(loops);
        Random random = new Random(8);
        for (Storage storage : Storage.values()) {
            for (ByteOrder order : ORDERS) {
                check(k, random, Shape.of(1027, 257), new MaxNorm(1.5, 0), DType.FLOAT32, storage, order);
                check(k, random, Shape.of(515, 257), new UnitNorm(0), DType.FLOAT64, storage, order);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void clampingGivesTheArrayLoopsBitsIncludingNaNAndSignedZero(Loops loops) {
        BufferNormKernels k = new BufferNormKernels(loops);
        Random random = new Random(4);
        double[] specials = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1e-45};
        for (int size : new int[] {1, 7, 8, 15, 16, 17, 31, 33, 1023, 4097, 70_000}) {
            double[] input = new double[size];
            for (int i = 0; i < size; i++) {
                input[i] = i % 11 == 0 ? specials[i % specials.length] : random.nextGaussian();
            }
            float[] f = toFloats(input);
            loops.clamp(f, 0, size, 0f, Float.POSITIVE_INFINITY);
            double[] d = input.clone();
            loops.clamp(d, 0, size, -0.5, 0.5);
            for (Storage storage : Storage.values()) {
                for (ByteOrder order : ORDERS) {
                    Tensor tf = storage.of(input, DType.FLOAT32, Shape.of(size), order);
                    ((BufferTensor) view(tf)).clamp(k, 0, size, 0.0, Double.POSITIVE_INFINITY);
                    assertArrayEquals(f, floats(tf), storage + " " + order + " float32, size " + size);
                    Tensor td = storage.of(input, DType.FLOAT64, Shape.of(size), order);
                    ((BufferTensor) view(td)).clamp(k, 0, size, -0.5, 0.5);
                    assertArrayEquals(d, doubles(td), storage + " " + order + " float64, size " + size);
                }
            }
        }
    }

    @Test
    void elementwiseConstraintsOnBuffersSplitAcrossThreadsGiveTheArrayBits() {
        Random random = new Random(9);
        for (int size : new int[] {1, 33, 4097, 300_000}) {
            double[] input = new double[size];
            for (int i = 0; i < size; i++) {
                input[i] = random.nextGaussian();
            }
            for (Constraint c : List.of(NonNeg.INSTANCE, new Clip(-0.5, 0.5), new WeightClip(0.25))) {
                float[] f = toFloats(input);
                c.apply(Tensor.of(f, Shape.of(size)), ONE);
                double[] d = input.clone();
                c.apply(Tensor.of(d, Shape.of(size)), ONE);
                for (Storage storage : Storage.values()) {
                    Tensor tf = storage.of(input, DType.FLOAT32, Shape.of(size), ByteOrder.nativeOrder());
                    c.apply(tf, SPLIT);
                    assertArrayEquals(f, floats(tf), c + " " + storage);
                    Tensor td = storage.of(input, DType.FLOAT64, Shape.of(size), ByteOrder.BIG_ENDIAN);
                    c.apply(td, SPLIT);
                    assertArrayEquals(d, doubles(td), c + " " + storage);
                }
            }
        }
    }

    @Test
    void aByteBufferViewStartsAtThePositionWritesThroughAndLeavesOtherBytesAlone() {
        for (ByteBuffer bytes : List.of(ByteBuffer.allocate(64), ByteBuffer.allocateDirect(64))) {
            for (int i = 0; i < 64; i++) {
                bytes.put(i, (byte) i);
            }
            bytes.order(ByteOrder.LITTLE_ENDIAN).position(5); // not a multiple of 4
            bytes.putFloat(5, 3f).putFloat(9, 4f).putFloat(13, -1f).putFloat(17, 0f);
            Tensor t = Tensor.of(bytes, DType.FLOAT32, Shape.of(2, 2));
            assertEquals(3.0, t.get(0));
            assertEquals(-1.0, t.get(2));
            bytes.position(0).order(ByteOrder.BIG_ENDIAN); // the view keeps its start and its order
            new MaxNorm(1, 1).apply(t, ONE);
            NonNeg.INSTANCE.apply(t, ONE);
            bytes.order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(3f / 5, bytes.getFloat(5), 1e-7);
            assertEquals(4f / 5, bytes.getFloat(9), 1e-7);
            assertEquals(0f, bytes.getFloat(13));
            assertEquals(0f, bytes.getFloat(17));
            for (int i = 0; i < 64; i++) {
                if (i < 5 || i >= 21) {
                    assertEquals((byte) i, bytes.get(i), "byte " + i + " is outside the view");
                }
            }
            t.set(3, 2.5);
            assertEquals(2.5f, bytes.getFloat(17));
            ByteBuffer doubles = bytes.duplicate().order(ByteOrder.BIG_ENDIAN).position(40);
            Tensor d = Tensor.of(doubles, DType.FLOAT64, Shape.of(3));
            d.set(0, 1.25);
            assertEquals(1.25, bytes.duplicate().order(ByteOrder.BIG_ENDIAN).getDouble(40));
            assertEquals(DType.FLOAT64, d.dtype());
        }
    }

    @Test
    void readOnlyBuffersAndTooFewBytesAreRefusedInOneLine() {
        ByteBuffer bytes = ByteBuffer.allocateDirect(20).position(5);
        IllegalArgumentException readOnly = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(bytes.asReadOnlyBuffer(), DType.FLOAT32, Shape.of(2)));
        assertEquals("the ByteBuffer for shape [2] is read-only; constraints apply in place and need a writable "
                + "buffer", readOnly.getMessage());
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(bytes, DType.FLOAT64, Shape.of(2)));
        assertEquals("the ByteBuffer has 15 bytes remaining, fewer than the 16 that 2 float64 elements of shape [2] "
                + "need", tooFew.getMessage());
        assertEquals(3, Tensor.of(bytes, DType.FLOAT32, Shape.of(3)).size(), "12 of the 15 bytes remaining");
    }

    @Test
    void steadyStateCallsAllocateNoScratch() {
        for (Storage storage : List.of(Storage.BYTES_DIRECT, Storage.TYPED_DIRECT)) {
            for (Shape shape : List.of(Shape.of(2048, 256), Shape.of(64, 4096), Shape.of(4096, 64))) {
                for (int axis = 0; axis < 2; axis++) {
                    double[] values = new double[shape.size()];
                    java.util.Arrays.fill(values, 0.5);
                    Tensor t = storage.of(values, DType.FLOAT32, shape, ByteOrder.nativeOrder());
                    MaxNorm c = new MaxNorm(2, axis);
                    long perCall = SteadyState.bytesPerCall(() -> c.apply(t, ONE), 1023);
                    assertTrue(perCall < 1024, storage + " " + shape + " axis " + axis + " allocates " + perCall
                            + " bytes per call");
                }
            }
        }
    }

    /** The array kernels and the buffer kernels on one implementation of the loops. */
    private record Kernels(ArrayNormKernels arrays, BufferNormKernels buffers) {
        Kernels(Loops loops) {
            this(new ArrayNormKernels(loops), new BufferNormKernels(loops));
        }
    }

    private static void check(Kernels k, Random random, Shape shape, NormConstraint c, DType dtype, Storage storage,
            ByteOrder order) {
        double[] input = new double[shape.size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextInt(16) == 0 ? 0.0 : random.nextGaussian() * 3;
        }
        boolean[] reduced = reduced(c, shape);
        String what = c + " on " + shape + " " + dtype + " " + storage + " " + order;
        for (ApplyOptions options : List.of(ONE, SPLIT)) {
            Tensor buffer = storage.of(input, dtype, shape, order);
            NormKernel.project(view(buffer), reduced, factor(c), options, k.arrays(), k.buffers());
            if (dtype == DType.FLOAT32) {
                float[] expected = toFloats(input);
                NormKernel.project(view(Tensor.of(expected, shape)), reduced, factor(c), ONE, k.arrays(), k.buffers());
                assertArrayEquals(expected, floats(buffer), () -> what + " threads " + options.threads());
            } else {
                double[] expected = input.clone();
                NormKernel.project(view(Tensor.of(expected, shape)), reduced, factor(c), ONE, k.arrays(), k.buffers());
                assertArrayEquals(expected, doubles(buffer), () -> what + " threads " + options.threads());
            }
        }
    }

    private static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    private static float[] floats(Tensor t) {
        float[] f = new float[t.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) t.get(i);
        }
        return f;
    }

    private static double[] doubles(Tensor t) {
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.get(i);
        }
        return d;
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
