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
 * after step: each three JMH iterations time the next case of {@link #CASES}, its constraint, then its floor (an
 * in-place scale of the same bytes), then its read pass (a read of the same bytes that writes nothing), so that with
 * {@code 3 * 20 * CASES.size()} measured iterations each case is measured 20 times, with every other case run in
 * between, and each round's constraint can be set against the machine's speed that moment. A fault that makes the JIT
 * compile a kernel badly once other kernels have run shows here as slow rounds, where a benchmark that runs one
 * workload per fork would never see it; and the ratios of adjacent rounds move less with the machine than those of
 * separate forks. {@link StabilityMain} runs it and reports each case's median and worst round and its median ratios.
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

    /** Iterations per round of a case: constraint, floor, read pass. */
    static final int PARTS = 3;

    /** The floor's factor, a field so that the JIT cannot fold the multiply away. */
    public double one = 1.0;

    private final ApplyOptions options = ApplyOptions.DEFAULT;
    private final List<Object> data = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private int iteration = -1;
    private Case current;
    private Object values;
    private Tensor tensor;
    private int part;

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
     * Moves to the next part: iteration {@code i}, warm-up included, times case {@code (i / PARTS) % CASES.size()},
     * its constraint, floor or read pass as {@code i % PARTS} is 0, 1 or 2.
     */
    @Setup(Level.Iteration)
    public void next() {
        iteration++;
        int c = (iteration / PARTS) % CASES.size();
        current = CASES.get(c);
        values = data.get(c);
        tensor = tensors.get(c);
        part = iteration % PARTS;
    }

    /**
     * Applies the current case's constraint in place, or runs its floor or read pass.
     *
     * @return the read pass's sum, so that its reads cannot be optimized away (0 for the other parts)
     */
    @Benchmark
    public double run() {
        if (part == 0) {
            current.workload.run(tensor, options);
            return 0;
        }
        if (part == 1) {
            Workload.floor(values, one, options);
            return 0;
        }
        return Workload.read(values, options);
    }
}
