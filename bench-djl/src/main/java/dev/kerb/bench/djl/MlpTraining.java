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
import java.util.function.BiFunction;

/**
 * The benchmarks' training: a 784-512-512-10 MLP, batches of 64 with random labels, Adam; Kerb's {@code MaxNorm(3)}
 * on both hidden kernels and {@code NonNeg} on the first hidden bias when asked for.
 */
final class MlpTraining implements AutoCloseable {
    /** Batches cycled: one batch repeated would be fitted and its gradients would sink into subnormal numbers. */
    private static final int BATCHES = 64;

    final SequentialBlock net = new SequentialBlock()
            .add(Linear.builder().setUnits(512).build()).add(Activation.reluBlock())
            .add(Linear.builder().setUnits(512).build()).add(Activation.reluBlock())
            .add(Linear.builder().setUnits(10).build());
    private final NDManager manager;
    private final Model model;
    private final Trainer trainer;
    private final Batch[] batches = new Batch[BATCHES];
    private int next;

    /** Builds the network and its trainer; {@code optimizer} turns the network and Adam into the trainer's optimizer. */
    MlpTraining(BiFunction<SequentialBlock, Optimizer, Optimizer> optimizer) {
        Offline.configure();
        Engine.getInstance().setRandomSeed(42);
        manager = NDManager.newBaseManager();
        model = Model.newInstance("mlp");
        model.setBlock(net);
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer.apply(net, Optimizer.adam().build())));
        trainer.initialize(new Shape(64, 784));
        for (int i = 0; i < BATCHES; i++) {
            NDArray x = manager.randomNormal(new Shape(64, 784));
            NDArray y = manager.randomInteger(0, 10, new Shape(64), DataType.INT32).toType(DataType.FLOAT32, false);
            batches[i] = new Batch(manager, new NDList(x), new NDList(y), 64, null, null, i, BATCHES);
        }
    }

    /** Returns {@code delegate} with Kerb's constraints on {@code net}. */
    static Optimizer withKerb(SequentialBlock net, Optimizer delegate) {
        Block hidden1 = net.getChildren().get(0).getValue();
        Block hidden2 = net.getChildren().get(2).getValue();
        return DjlConstraints.builder(net)
                .attach(hidden1, "weight", new MaxNorm(3)).attach(hidden2, "weight", new MaxNorm(3))
                .attach(hidden1, "bias", NonNeg.INSTANCE).build().wrap(delegate);
    }

    /** One step on the next batch: forward, loss, backward, then the optimizer over every parameter. */
    void step() {
        EasyTrain.trainBatch(trainer, batches[next]);
        trainer.step();
        next = (next + 1) % BATCHES;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
        manager.close();
    }
}
