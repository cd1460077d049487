package dev.kerb.bench.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.NonNeg;
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
 * One training step (forward, backward, Adam update) of a 784-512-512-10 MLP on a batch of 64, with no constraint,
 * with Kerb's {@code MaxNorm(3)} on both hidden kernels and {@code NonNeg} on the first hidden bias, and with the same
 * projections written in DJL's own NDArray ops (the formula of Keras' {@code MaxNorm.__call__}); the three are one
 * benchmark with a {@link #constraints} parameter, so they run back to back in the same JVM run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainingStepBenchmark {
    /** {@code none}, {@code kerb} or {@code djl-ops}. */
    @Param({"none", "kerb", "djl-ops"})
    public String constraints;

    private NDManager manager;
    private Model model;
    private Trainer trainer;
    private Batch batch;

    /** Builds the network, its trainer and one batch of random data. */
    @Setup(Level.Trial)
    public void setUp() {
        Offline.configure();
        Engine.getInstance().setRandomSeed(42);
        manager = NDManager.newBaseManager();
        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(512).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(512).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
        Block hidden1 = net.getChildren().get(0).getValue();
        Block hidden2 = net.getChildren().get(2).getValue();
        Optimizer adam = Optimizer.adam().build();
        Optimizer optimizer = switch (constraints) {
            case "none" -> adam;
            case "kerb" -> DjlConstraints.builder(net)
                    .attach(hidden1, "weight", new MaxNorm(3)).attach(hidden2, "weight", new MaxNorm(3))
                    .attach(hidden1, "bias", NonNeg.INSTANCE).build().wrap(adam);
            case "djl-ops" -> new NdArrayConstraints(adam, net, 3f);
            default -> throw new IllegalArgumentException(constraints);
        };
        model = Model.newInstance("mlp");
        model.setBlock(net);
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer));
        trainer.initialize(new Shape(64, 784));
        NDArray x = manager.randomNormal(new Shape(64, 784));
        NDArray y = manager.randomInteger(0, 10, new Shape(64), DataType.INT32).toType(DataType.FLOAT32, false);
        batch = new Batch(manager, new NDList(x), new NDList(y), 64, null, null, 0, 1);
    }

    /** Closes the trainer, the model and the data. */
    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        model.close();
        manager.close();
    }

    /** One step: forward, loss, backward, then the (constrained) optimizer over every parameter. */
    @Benchmark
    public void step() {
        EasyTrain.trainBatch(trainer, batch);
        trainer.step();
    }
}
