package dev.kerb.workloads;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.Axis;
import dev.kerb.core.Constraint;
import dev.kerb.core.DType;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.MinMaxNorm;
import dev.kerb.core.NonNeg;
import dev.kerb.core.Shape;
import dev.kerb.core.Tensor;
import dev.kerb.core.UnitNorm;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One benchmark workload: a constraint on a tensor of a given shape, and the floor it is measured against, an
 * in-place scale of the same bytes (one read and one write of each element). Not thread-safe.
 *
 * @param name       the workload name, e.g. {@code dense_maxnorm}
 * @param shape      the tensor shape
 * @param constraint the constraint applied
 */
public record Workload(String name, Shape shape, Constraint constraint) {
    /** The large workloads of the performance targets, in order. */
    public static final List<Workload> LARGE = List.of(
            new Workload("dense_maxnorm", Shape.of(4096, 4096), new MaxNorm(2, 0)),
            new Workload("dense_minmaxnorm", Shape.of(4096, 4096), new MinMaxNorm(0.5, 1.0, 0.5, 0)),
            new Workload("conv_unitnorm", Shape.of(3, 3, 512, 512), new UnitNorm(Axis.list(0, 1, 2))),
            new Workload("embedding_maxnorm", Shape.of(1_000_000, 64), new MaxNorm(1, 1)),
            new Workload("vector_nonneg", Shape.of(16_777_216), NonNeg.INSTANCE));

    /** The small workloads, where call overhead dominates. */
    public static final List<Workload> SMALL = List.of(
            new Workload("small_dense_maxnorm", Shape.of(64, 64), new MaxNorm(2, 0)),
            new Workload("small_conv_unitnorm", Shape.of(3, 3, 16, 16), new UnitNorm(Axis.list(0, 1, 2))));

    /**
     * Returns the workload with this name.
     *
     * @throws IllegalArgumentException if there is none; the message lists the names
     */
    public static Workload named(String name) {
        return java.util.stream.Stream.concat(LARGE.stream(), SMALL.stream()).filter(w -> w.name.equals(name))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no workload '" + name + "'; expected "
                        + "one of " + java.util.stream.Stream.concat(LARGE.stream(), SMALL.stream())
                        .map(Workload::name).toList()));
    }

    /** Returns the bytes one pass reads and writes: the tensor twice. */
    public long bytesMoved(DType dtype) {
        return 2L * shape.size() * (dtype == DType.FLOAT32 ? Float.BYTES : Double.BYTES);
    }

    /** Returns a fresh {@code float[]} or {@code double[]} of this workload's size, filled with small weights. */
    public Object newData(DType dtype, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = shape.size();
        if (dtype == DType.FLOAT32) {
            float[] data = new float[n];
            for (int i = 0; i < n; i++) {
                data[i] = (float) ((random.nextDouble() - 0.5) * 0.1);
            }
            return data;
        }
        double[] data = new double[n];
        for (int i = 0; i < n; i++) {
            data[i] = (random.nextDouble() - 0.5) * 0.1;
        }
        return data;
    }

    /** Returns a tensor view of data made by {@link #newData}. */
    public Tensor tensor(Object data) {
        return data instanceof float[] f ? Tensor.of(f, shape) : Tensor.of((double[]) data, shape);
    }

    /** Applies the constraint. The weights shrink toward a fixed point, so repeated runs stay representative. */
    public void run(Tensor tensor, ApplyOptions options) {
        constraint.apply(tensor, options);
    }

    /** Returns how many calls one timed measurement makes, so that small tensors are timed over ~1M elements. */
    public int callsPerMeasurement() {
        return Math.max(1, (1 << 20) / Math.max(1, shape.size()));
    }

    /**
     * Runs the floor: multiplies every element in place by {@code factor}, one read and one write of each, split
     * into as many contiguous ranges as the kernels use threads, on the common pool, so that the floor gets the
     * machine's whole memory bandwidth too; each range runs {@link FloorLoop}. Callers pass 1 from a field the JIT
     * cannot fold.
     */
    public static void floor(Object data, double factor, ApplyOptions options) {
        overRanges(data, options, (from, to) -> {
            if (data instanceof float[] f) {
                FloorLoop.INSTANCE.scale(f, from, to, (float) factor);
            } else {
                FloorLoop.INSTANCE.scale((double[]) data, from, to, factor);
            }
            return 0;
        });
    }

    /**
     * Runs the read pass: reads every element once and writes nothing, over the same ranges and threads as
     * {@link #floor}. A column norm must read a tensor through before its first write, so on a tensor that does not
     * stay in cache it costs at least this pass plus the floor.
     *
     * @return the sum of the squares, so that the reads cannot be optimized away
     */
    public static double read(Object data, ApplyOptions options) {
        return overRanges(data, options, (from, to) -> data instanceof float[] f
                ? FloorLoop.INSTANCE.sumOfSquares(f, from, to)
                : FloorLoop.INSTANCE.sumOfSquares((double[]) data, from, to));
    }

    /** A pass over {@code [from, to)} of a workload's data. */
    private interface RangePass {
        double run(int from, int to);
    }

    /**
     * Runs {@code pass} over one contiguous range per kernel thread, on the common pool; returns the sum. A tensor
     * below the parallel threshold runs on the calling thread with no stream, as the kernels run it, so that a small
     * call's floor is the bare pass.
     */
    private static double overRanges(Object data, ApplyOptions options, RangePass pass) {
        int n = data instanceof float[] f ? f.length : ((double[]) data).length;
        int tasks = n < options.parallelThreshold() ? 1 : options.threads();
        if (tasks == 1) {
            return pass.run(0, n);
        }
        return java.util.stream.IntStream.range(0, tasks).parallel()
                .mapToDouble(t -> pass.run((int) ((long) n * t / tasks), (int) ((long) n * (t + 1) / tasks))).sum();
    }
}
