package dev.kerb.bench;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.Axis;
import dev.kerb.core.Constraint;
import dev.kerb.core.DType;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.NonNeg;
import dev.kerb.core.Shape;
import dev.kerb.core.Tensor;
import dev.kerb.core.UnitNorm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The same constraint on the same values in a {@code float[]}/{@code double[]} tensor, a direct native-order
 * {@code ByteBuffer} tensor (as DJL's {@code NDArray.toByteBuffer(true)} gives) and a direct {@code FloatBuffer}/
 * {@code DoubleBuffer} tensor, in the same run (JMH varies the alphabetically last parameter, {@link #workload},
 * fastest, so one storage's cases run back to back). Run with the Vector API, e.g.
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.openjdk.jmh.Main
 * BufferKernelBenchmark -jvmArgsAppend "--add-modules jdk.incubator.vector" -f 1 -wi 3 -i 5 -w 1 -r 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BufferKernelBenchmark {
    /**
     * {@code dense_cols}: 784x512 MaxNorm axis 0 (a Dense kernel, column norms); {@code torch_rows}: 512x784 MaxNorm
     * axis 1 (the same in PyTorch's layout, row norms); {@code embedding_rows}: 10000x128 MaxNorm axis 1;
     * {@code conv_unitnorm}: 3x3x64x128 UnitNorm axes [0, 1, 2]; {@code vector_nonneg}: NonNeg on 1M elements.
     */
    @Param({"dense_cols", "torch_rows", "embedding_rows", "conv_unitnorm", "vector_nonneg"})
    public String workload;

    /** {@code float32} or {@code float64}. */
    @Param({"float32", "float64"})
    public String dtype;

    /** {@code array}, {@code bytes} (direct, native order) or {@code typed} (a direct FloatBuffer/DoubleBuffer). */
    @Param({"array", "bytes", "typed"})
    public String storage;

    private Tensor tensor;
    private Constraint constraint;
    private final ApplyOptions options = ApplyOptions.DEFAULT;

    /** Allocates and fills the tensor once per trial. */
    @Setup
    public void setUp() {
        Shape shape;
        switch (workload) {
            case "dense_cols" -> {
                shape = Shape.of(784, 512);
                constraint = new MaxNorm(2, 0);
            }
            case "torch_rows" -> {
                shape = Shape.of(512, 784);
                constraint = new MaxNorm(2, 1);
            }
            case "embedding_rows" -> {
                shape = Shape.of(10_000, 128);
                constraint = new MaxNorm(1, 1);
            }
            case "conv_unitnorm" -> {
                shape = Shape.of(3, 3, 64, 128);
                constraint = new UnitNorm(Axis.list(0, 1, 2));
            }
            case "vector_nonneg" -> {
                shape = Shape.of(1 << 20);
                constraint = NonNeg.INSTANCE;
            }
            default -> throw new IllegalArgumentException("no workload " + workload);
        }
        boolean f32 = dtype.equals("float32");
        int n = shape.size();
        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer bytes = ByteBuffer.allocateDirect(n * (f32 ? Float.BYTES : Double.BYTES))
                .order(ByteOrder.nativeOrder());
        float[] floats = new float[f32 ? n : 0];
        double[] doubles = new double[f32 ? 0 : n];
        for (int i = 0; i < n; i++) {
            double w = (random.nextDouble() - 0.5) * 0.1;
            if (f32) {
                floats[i] = (float) w;
                bytes.putFloat(i * Float.BYTES, (float) w);
            } else {
                doubles[i] = w;
                bytes.putDouble(i * Double.BYTES, w);
            }
        }
        tensor = switch (storage) {
            case "array" -> f32 ? Tensor.of(floats, shape) : Tensor.of(doubles, shape);
            case "bytes" -> Tensor.of(bytes, f32 ? DType.FLOAT32 : DType.FLOAT64, shape);
            case "typed" -> f32 ? Tensor.of(bytes.asFloatBuffer(), shape) : Tensor.of(bytes.asDoubleBuffer(), shape);
            default -> throw new IllegalArgumentException("no storage " + storage);
        };
    }

    /** Applies the constraint in place; the weights reach a fixed point, so repeated calls stay representative. */
    @Benchmark
    public void constrain() {
        constraint.apply(tensor, options);
    }
}
