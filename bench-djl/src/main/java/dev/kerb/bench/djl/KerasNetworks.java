package dev.kerb.bench.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.kerb.djl.KerasDjl;
import dev.kerb.djl.KerasModel;
import dev.kerb.model.ModelSpec;

/**
 * The same network twice: built by Kerb from a Keras config (arrays in Keras' layouts) and written by hand with DJL's
 * blocks (PyTorch's layouts, as a DJL user writes it), each with its own trainer of the same loss (DJL's softmax
 * cross-entropy on logits) and optimizer (DJL's SGD), so a step differs only in how the network computes.
 */
final class KerasNetworks implements AutoCloseable {
    /** The networks compared: an MLP, a small CNN and an LSTM classifier. */
    enum Kind { MLP, CNN, LSTM }

    private static final int BATCH = 64;

    private final NDManager manager;
    private final KerasModel kerb;
    private final Model hand;
    private final Trainer kerbTrainer;
    private final Trainer handTrainer;
    private final NDList kerbInput;
    private final NDList handInput;
    private final NDList labels;

    KerasNetworks(Kind kind) {
        Offline.configure(); // before the engine starts: PyTorch's default thread pools are 40x slower here
        Engine.getInstance().setRandomSeed(42);
        manager = NDManager.newBaseManager();
        ModelSpec spec = ModelSpec.parse(config(kind));
        kerb = KerasDjl.model(spec, spec.initialWeights(1));
        hand = Model.newInstance("hand");
        hand.setBlock(handWritten(kind));
        Shape keras = switch (kind) {
            case MLP -> new Shape(BATCH, 256);
            case CNN -> new Shape(BATCH, 28, 28, 1);
            case LSTM -> new Shape(BATCH, 20, 16);
        };
        Shape torch = kind == Kind.CNN ? new Shape(BATCH, 1, 28, 28) : keras;
        kerbInput = new NDList(manager.randomNormal(keras));
        handInput = new NDList(manager.randomNormal(torch));
        labels = new NDList(manager.randomInteger(0, 10, new Shape(BATCH), DataType.INT32).toType(DataType.FLOAT32, false));
        kerbTrainer = trainer(kerb.getModel(), keras);
        handTrainer = trainer(hand, torch);
    }

    private static Trainer trainer(Model model, Shape input) {
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build()));
        trainer.initialize(input);
        return trainer;
    }

    /** One training step of the Kerb-built network, or of the hand-written one, its intermediates closed after. */
    void step(boolean kerbBuilt) {
        Trainer trainer = kerbBuilt ? kerbTrainer : handTrainer;
        try (NDScope ignored = new NDScope()) {
            // A new list each call: DJL's LSTM block appends its zero states to the list it is given.
            NDList input = new NDList(kerbBuilt ? kerbInput : handInput);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(input);
                collector.backward(trainer.getLoss().evaluate(labels, predictions));
            }
            trainer.step();
        }
    }

    /** One prediction of a batch by the Kerb-built network, or by the hand-written one; returns a value of it. */
    float predict(boolean kerbBuilt) {
        try (NDScope ignored = new NDScope()) {
            NDList input = new NDList(kerbBuilt ? kerbInput : handInput);
            NDArray out = kerbBuilt ? kerb.predict(input).head()
                    : hand.getBlock().forward(new ParameterStore(manager, false), input, false).head();
            NDScope.register(out);
            return out.getFloat(0, 0);
        }
    }

    private static Block handWritten(Kind kind) {
        return switch (kind) {
            case MLP -> new SequentialBlock()
                    .add(Linear.builder().setUnits(256).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(256).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(10).build());
            case CNN -> new SequentialBlock()
                    .add(Conv2d.builder().setFilters(16).setKernelShape(new Shape(3, 3)).build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(10).build());
            case LSTM -> new SequentialBlock()
                    .add(LSTM.builder().setStateSize(32).setNumLayers(1).optBatchFirst(true).build())
                    .add(x -> new NDList(x.head().get(":, -1, :")))
                    .add(Linear.builder().setUnits(10).build());
        };
    }

    /** The Keras configs of the same networks, logits out. */
    private static String config(Kind kind) {
        String layers = switch (kind) {
            case MLP -> input(256) + dense(256, "relu") + "," + dense(256, "relu") + "," + dense(10, "linear");
            case CNN -> input(28, 28, 1) + """
                    {"class_name": "Conv2D", "config": {"filters": 16, "kernel_size": [3, 3], "activation": "relu"}},
                    {"class_name": "MaxPooling2D", "config": {"pool_size": [2, 2]}},
                    {"class_name": "Flatten", "config": {}},""" + dense(10, "linear");
            case LSTM -> input(20, 16) + """
                    {"class_name": "LSTM", "config": {"units": 32}},""" + dense(10, "linear");
        };
        return "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"net\", \"layers\": [" + layers + "]}}";
    }

    private static String input(int... shape) {
        StringBuilder dims = new StringBuilder("null");
        for (int d : shape) {
            dims.append(", ").append(d);
        }
        return "{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [" + dims + "]}},";
    }

    private static String dense(int units, String activation) {
        return "{\"class_name\": \"Dense\", \"config\": {\"units\": " + units + ", \"activation\": \"" + activation
                + "\"}}";
    }

    @Override
    public void close() {
        kerbTrainer.close();
        handTrainer.close();
        kerb.close();
        hand.close();
        manager.close();
    }
}
