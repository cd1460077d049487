package dev.kerb.bench.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * A network built by {@code KerasDjl.model} against the same network written by hand with DJL's blocks, in pairs as
 * {@link StepOverheadBenchmark} measures: one JVM, the Kerb-built network in every other iteration and the hand-written
 * one in the rest, so JVM-to-JVM spread cancels. At the end of each fork it prints both medians and their ratio (Kerb
 * over hand-written) for a training step and for a prediction; the JMH score mixes both halves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KerasModelBenchmark {
    /** The network: {@code MLP}, {@code CNN} or {@code LSTM}. */
    @Param({"MLP", "CNN", "LSTM"})
    public String network;

    private KerasNetworks networks;
    private boolean kerbBuilt;
    private final List<Double> kerbStep = new ArrayList<>();
    private final List<Double> handStep = new ArrayList<>();
    private final List<Double> kerbPredict = new ArrayList<>();
    private final List<Double> handPredict = new ArrayList<>();
    private long iterationStart;
    private long calls;
    private boolean predicting;

    /** Builds both networks. */
    @Setup(Level.Trial)
    public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) {
        networks = new KerasNetworks(KerasNetworks.Kind.valueOf(network));
        predicting = params.getBenchmark().endsWith("predict");
    }

    /** Switches to the other network for this iteration. */
    @Setup(Level.Iteration)
    public void toggle() {
        kerbBuilt = !kerbBuilt;
        calls = 0;
        iterationStart = System.nanoTime();
    }

    /** Records a measurement iteration's mean call time under its network. */
    @TearDown(Level.Iteration)
    public void record(IterationParams iteration) {
        double micros = (System.nanoTime() - iterationStart) / 1e3 / Math.max(1, calls);
        if (iteration.getType() == IterationType.MEASUREMENT) {
            (predicting ? (kerbBuilt ? kerbPredict : handPredict) : (kerbBuilt ? kerbStep : handStep)).add(micros);
        }
    }

    /** Prints the fork's paired result and closes the networks. */
    @TearDown(Level.Trial)
    public void report() {
        List<Double> kerb = predicting ? kerbPredict : kerbStep;
        List<Double> hand = predicting ? handPredict : handStep;
        System.out.printf(Locale.ROOT, "%n%s %s, this fork: %.0f us built by Kerb, %.0f us written by hand (medians of %d "
                + "and %d iterations), ratio %.3f%n", network, predicting ? "predict" : "step", median(kerb), median(hand),
                kerb.size(), hand.size(), median(kerb) / median(hand));
        networks.close();
    }

    /** One training step of this iteration's network. */
    @Benchmark
    public void step() {
        networks.step(kerbBuilt);
        calls++;
    }

    /** One prediction of a batch by this iteration's network. */
    @Benchmark
    public float predict() {
        calls++;
        return networks.predict(kerbBuilt);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n == 0 ? Double.NaN : (sorted.get((n - 1) / 2) + sorted.get(n / 2)) / 2;
    }
}
