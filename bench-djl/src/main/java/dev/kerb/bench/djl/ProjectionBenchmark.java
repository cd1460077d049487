package dev.kerb.bench.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.optimizer.Optimizer;
import dev.kerb.core.MaxNorm;
import dev.kerb.djl.DjlConstraints;
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
 * The projection alone: Keras' {@code MaxNorm(3)} on a DJL {@code Linear} weight of 512 x 784 (the MLP's first hidden
 * layer), through Kerb's optimizer hook (in place on the tensor's memory) or through DJL's NDArray ops; the delegate
 * optimizer does nothing, so only the projection is timed. Values are drawn so that every row is above the bound,
 * and the weight is refilled before each call, outside the timing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProjectionBenchmark {
    /** {@code kerb} or {@code djl-ops}. */
    @Param({"kerb", "djl-ops"})
    public String implementation;

    private NDManager manager;
    private NDArray weight;
    private NDArray original;
    private NDArray grad;
    private String id;
    private Optimizer optimizer;

    /** Builds the weight and the two optimizers. */
    @Setup(Level.Trial)
    public void setUp() {
        Offline.configure();
        manager = NDManager.newBaseManager();
        Linear linear = Linear.builder().setUnits(512).build();
        linear.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 784));
        var parameter = linear.getParameters().get("weight");
        weight = parameter.getArray();
        id = parameter.getId();
        original = manager.randomNormal(0f, 1f, weight.getShape(), weight.getDataType());
        grad = manager.zeros(weight.getShape());
        Optimizer nothing = new Optimizer(new NdArrayConstraints.Unused()) {
            @Override
            public void update(String parameterId, NDArray w, NDArray g) {
            }
        };
        optimizer = implementation.equals("kerb")
                ? DjlConstraints.builder(linear).attach(linear, "weight", new MaxNorm(3)).build().wrap(nothing)
                : new NdArrayConstraints(nothing, wrapAsFirstLayer(linear), 3f);
    }

    /** Puts the violating values back before each call. */
    @Setup(Level.Invocation)
    public void refill() {
        weight.set(original.toByteBuffer());
    }

    /** Closes the arrays. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /** One projection of the 512 x 784 weight. */
    @Benchmark
    public NDArray project() {
        optimizer.update(id, weight, grad);
        return weight;
    }

    /** A block whose first Linear is this one, named as NdArrayConstraints expects. */
    private static ai.djl.nn.SequentialBlock wrapAsFirstLayer(Linear linear) {
        return new ai.djl.nn.SequentialBlock().add(linear).add(ai.djl.nn.Activation.reluBlock())
                .add(Linear.builder().setUnits(1).build());
    }
}
