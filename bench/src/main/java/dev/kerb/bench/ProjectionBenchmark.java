package dev.kerb.bench;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.DType;
import dev.kerb.core.Tensor;
import dev.kerb.workloads.Workload;
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
 * Each workload's constraint, its floor (an in-place scale over the same bytes) and its read pass (a read of the same
 * bytes that writes nothing), in the same run, so that {@link BenchMain} can report the ratios. The three are one
 * benchmark with a {@link #workloadPart} parameter rather than three benchmarks: JMH varies the alphabetically last
 * parameter fastest, so a workload's parts run back to back instead of minutes apart, and drift in the machine's
 * speed (large on shared VMs) touches them alike.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProjectionBenchmark {
    /** The workload name, see {@link Workload}. */
    @Param({"dense_maxnorm", "dense_minmaxnorm", "conv_unitnorm", "embedding_maxnorm", "vector_nonneg",
            "small_dense_maxnorm", "small_conv_unitnorm"})
    public String workload;

    /** {@code float32} or {@code float64}. */
    @Param({"float32", "float64"})
    public String dtype;

    /** {@code constraint} (the kernel), {@code floor} or {@code read}; named to sort after {@link #workload}. */
    @Param({"constraint", "floor", "read"})
    public String workloadPart;

    /** The floor's factor, a field so that the JIT cannot fold the multiply away. */
    public double one = 1.0;

    private Workload w;
    private Object data;
    private Tensor tensor;
    private Part part;
    private final ApplyOptions options = ApplyOptions.DEFAULT;

    private enum Part { CONSTRAINT, FLOOR, READ }

    /** Allocates the tensor once per trial. */
    @Setup
    public void setUp() {
        w = Workload.named(workload);
        data = w.newData(dtype.equals("float32") ? DType.FLOAT32 : DType.FLOAT64, 42);
        tensor = w.tensor(data);
        part = Part.valueOf(workloadPart.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Applies the workload's constraint in place, or runs its floor or its read pass.
     *
     * @return the read pass's sum (0 for the others), which JMH consumes
     */
    @Benchmark
    public double run() {
        switch (part) {
            case FLOOR -> Workload.floor(data, one, options);
            case READ -> {
                return Workload.read(data, options);
            }
            default -> w.run(tensor, options);
        }
        return 0;
    }
}
