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
 * after step: each pair of JMH iterations times the next case of {@link #CASES}, its constraint and then its floor
 * (an in-place scale of the same bytes), so that with {@code 2 * 20 * CASES.size()} measured iterations each case is
 * measured 20 times, with every other case run in between, and each round's constraint can be set against the
 * machine's speed that moment. A fault that makes the
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
        /** Returns {@code float32} or {@code float64}. */
        String dtypeName() {
            return dtype == DType.FLOAT32 ? "float32" : "float64";
        }
    }

    /** The cases in the order they run: every workload in float32, then in float64. */
    static final List<Case> CASES = cases();

    /** The floor's factor, a field so that the JIT cannot fold the multiply away. */
    public double one = 1.0;

    private final ApplyOptions options = ApplyOptions.DEFAULT;
    private final List<Object> data = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private int iteration = -1;
    private Case current;
    private Object values;
    private Tensor tensor;
    private boolean floor;

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
            Object values = c.workload.newData(c.dtype, 42);
            data.add(values);
            tensors.add(c.workload.tensor(values));
        }
    }

    /**
     * Moves to the next part: iteration {@code i}, warm-up included, times case {@code (i / 2) % CASES.size()}, its
     * constraint when {@code i} is even and its floor when odd.
     */
    @Setup(Level.Iteration)
    public void next() {
        iteration++;
        int c = (iteration / 2) % CASES.size();
        current = CASES.get(c);
        values = data.get(c);
        tensor = tensors.get(c);
        floor = iteration % 2 == 1;
    }

    /** Applies the current case's constraint in place, or runs its floor. */
    @Benchmark
    public void run() {
        if (floor) {
            Workload.floor(values, one, options);
        } else {
            current.workload.run(tensor, options);
        }
    }
}
