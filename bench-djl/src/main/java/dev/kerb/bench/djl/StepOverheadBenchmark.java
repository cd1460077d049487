package dev.kerb.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What Kerb's constraints add to a training step of {@link MlpTraining}, measured in pairs: one JVM, one network, the
 * same Adam state, Kerb's projections on in every other iteration and off in the rest. Step times differ far more
 * from one JVM to the next than the constraints cost (bench/RESULTS.md), so only iterations of the same fork are
 * compared. At the end of each fork it prints the median
 * step with the constraints on and off and their ratio; the JMH score mixes both halves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StepOverheadBenchmark {
    private MlpTraining training;
    private Switch optimizer;
    private final List<Double> on = new ArrayList<>();
    private final List<Double> off = new ArrayList<>();
    private long iterationStart;
    private long steps;

    /** Builds the network and the switchable optimizer. */
    @Setup(Level.Trial)
    public void setUp() {
        training = new MlpTraining((net, adam) -> optimizer = new Switch(adam, MlpTraining.withKerb(net, adam)));
    }

    /** Turns the constraints on for one iteration, off for the next. */
    @Setup(Level.Iteration)
    public void toggle() {
        optimizer.applying = !optimizer.applying;
        steps = 0;
        iterationStart = System.nanoTime();
    }

    /** Records a measurement iteration's mean step time under its setting. */
    @TearDown(Level.Iteration)
    public void record(IterationParams iteration) {
        double micros = (System.nanoTime() - iterationStart) / 1e3 / Math.max(1, steps);
        if (iteration.getType() == IterationType.MEASUREMENT) {
            (optimizer.applying ? on : off).add(micros);
        }
    }

    /** Prints the fork's paired result and closes the training. */
    @TearDown(Level.Trial)
    public void report() {
        double with = median(on);
        double without = median(off);
        System.out.printf(Locale.ROOT, "%nstep overhead, this fork: %.0f us with Kerb's constraints, %.0f us without "
                + "(medians of %d and %d iterations), ratio %.4f%n", with, without, on.size(), off.size(),
                with / without);
        training.close();
    }

    /** One step, with or without the constraints as this iteration has them. */
    @Benchmark
    public void step() {
        training.step();
        steps++;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n == 0 ? Double.NaN : (sorted.get((n - 1) / 2) + sorted.get(n / 2)) / 2;
    }

    /** Adam with Kerb's projections, or Adam alone: the same Adam and its state either way. */
    private static final class Switch extends Optimizer {
        private final Optimizer plain;
        private final Optimizer constrained;
        private boolean applying;

        Switch(Optimizer plain, Optimizer constrained) {
            super(new NdArrayConstraints.Unused());
            this.plain = plain;
            this.constrained = constrained;
        }

        @Override
        public void update(String parameterId, NDArray weight, NDArray grad) {
            (applying ? constrained : plain).update(parameterId, weight, grad);
        }
    }
}
