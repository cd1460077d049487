package dev.kerb.bench.djl;

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

/**
 * One training step of {@link MlpTraining} with no constraint, with Kerb's, and with the same projections written in
 * DJL's own NDArray ops ({@link NdArrayConstraints}). Step times differ by up to 2x between JVMs, so compare these
 * only for the order of magnitude; {@link StepOverheadBenchmark} measures Kerb's overhead in pairs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainingStepBenchmark {
    /** {@code none}, {@code kerb} or {@code djl-ops}. */
    @Param({"none", "kerb", "djl-ops"})
    public String constraints;

    private MlpTraining training;

    /** Builds the network, its trainer and the batches. */
    @Setup(Level.Trial)
    public void setUp() {
        training = new MlpTraining((net, adam) -> switch (constraints) {
            case "none" -> adam;
            case "kerb" -> MlpTraining.withKerb(net, adam);
            case "djl-ops" -> new NdArrayConstraints(adam, net, 3f);
            default -> throw new IllegalArgumentException(constraints);
        });
    }

    /** Closes the trainer, the model and the data. */
    @TearDown(Level.Trial)
    public void tearDown() {
        training.close();
    }

    /** One step. */
    @Benchmark
    public void step() {
        training.step();
    }
}
