package dev.kerb.bench;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.DType;
import dev.kerb.core.Tensor;
import dev.kerb.workloads.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Every workload's constraint, in both dtypes, in turn in one JVM, as a training process constrains its weights step
 * after step: each JMH iteration times the next case of {@link #CASES}, so that with {@code 20 * CASES.size()}
 * measured iterations each case is measured 20 times, with every other case run in between. A fault that makes the
 * JIT compile a kernel badly once other kernels have run shows here as slow rounds, where a benchmark that runs one
 * workload per fork would never see it. {@link StabilityMain} runs it and reports each case's median and worst
 * round.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StabilityBenchmark {
    /** One workload in one dtype. */
    record Case(Workload workload, DType dtype) {
        String label() {
            return workload.name() + " " + (dtype == DType.FLOAT32 ? "float32" : "float64");
        }
    }

    /** The cases in the order they run: every workload in float32, then in float64. */
    static final List<Case> CASES = cases();

    private final ApplyOptions options = ApplyOptions.DEFAULT;
    private final List<Tensor> tensors = new ArrayList<>();
    private int iteration = -1;
    private Case current;
    private Tensor tensor;

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (Workload w : Workload.LARGE) {
                cases.add(new Case(w, dtype));
            }
            for (Workload w : Workload.SMALL) {
                cases.add(new Case(w, dtype));
            }
        }
        return List.copyOf(cases);
    }

    /** Allocates every case's tensor once. */
    @Setup(Level.Trial)
    public void allocate() {
        for (Case c : CASES) {
            tensors.add(c.workload.tensor(c.workload.newData(c.dtype, 42)));
        }
    }

    /** Moves to the next case: iteration {@code i}, warm-up included, times case {@code i % CASES.size()}. */
    @Setup(Level.Iteration)
    public void next() {
        iteration++;
        current = CASES.get(iteration % CASES.size());
        tensor = tensors.get(iteration % CASES.size());
    }

    /** Applies the current case's constraint in place. */
    @Benchmark
    public void run() {
        current.workload.run(tensor, options);
    }
}
