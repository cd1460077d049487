package dev.kerb.samples.djl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.kerb.core.MaxNorm;
import dev.kerb.djl.DjlConstraints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains a 784-512-512-10 MLP on Fashion-MNIST twice, with dropout and Keras' {@code MaxNorm(c)} on both hidden
 * kernels (the pairing of Srivastava et al., 2014, who used c = 3 to 4 with SGD at high learning rates; here c = 2,
 * which this network's units reach), and with dropout alone, printing each epoch's test accuracy
 * and each hidden layer's largest unit norm.
 *
 * <p>Reads Debian's {@code dataset-fashion-mnist} from {@code /usr/share/datasets/fashion-mnist} when it is there, the
 * repository's 6,000/1,000-image subset otherwise, or the directory given with {@code --data}. Runs offline: DJL's
 * PyTorch comes from the classpath and unpacks next to the jar. Arguments:
 * {@code [--epochs N] [--data DIR] [--max-norm C] [--learning-rate LR]}.
 */
public final class FashionMnistMaxNorm {
    static final int BATCH = 64;
    static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");
    static final Path SUBSET = Path.of("samples-djl/data/fashion-mnist-subset");

    private FashionMnistMaxNorm() {
    }

    /** Runs the sample; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("FashionMnistMaxNorm: " + e.getMessage() + "; usage: " + Options.USAGE);
            return;
        }
        int epochs = options.epochs();
        double maxNorm = options.maxNorm();
        float learningRate = options.learningRate();
        Path data = options.data();
        DjlOffline.configure();
        try (NDManager manager = NDManager.newBaseManager()) {
            FashionMnist mnist = FashionMnist.read(data, manager);
            System.out.printf(Locale.ROOT, "Fashion-MNIST from %s: %d training and %d test images; MLP 784-512-512-10, "
                    + "dropout 0.5, SGD (learning rate %s, momentum 0.9), batch %d, %d epochs%n", data,
                    mnist.trainCount(), mnist.testCount(), learningRate, BATCH, epochs);
            double with = train(mnist, epochs, learningRate, maxNorm);
            double without = train(mnist, epochs, learningRate, 0);
            System.out.printf(Locale.ROOT, "test accuracy: %.1f%% with MaxNorm(%s) and dropout, %.1f%% with dropout "
                    + "alone%n", 100 * with, maxNorm, 100 * without);
        }
    }

    /** Trains one network, with Keras' MaxNorm([maxNorm]) on both hidden kernels unless it is 0; returns its accuracy. */
    static double train(FashionMnist mnist, int epochs, float learningRate, double maxNorm) throws Exception {
        boolean constrained = maxNorm > 0;
        Engine.getInstance().setRandomSeed(1234);
        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(512).build()).add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(512).build()).add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(10).build());
        DjlConstraints.Builder builder = DjlConstraints.builder(net);
        if (constrained) {
            // Keras' MaxNorm(c): axis 0 of a Dense kernel (in, out), each unit's incoming weights; axis 1 in DJL.
            builder.attach(net.getChildren().get(0).getValue(), "weight", new MaxNorm(maxNorm))
                    .attach(net.getChildren().get(3).getValue(), "weight", new MaxNorm(maxNorm));
        }
        DjlConstraints constraints = builder.build();
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(learningRate)).optMomentum(0.9f).build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(constraints.wrap(sgd));   // each parameter's constraint runs right after its update
        String name = constrained ? "MaxNorm + dropout" : "dropout alone    ";
        double accuracy = 0;
        try (Model model = Model.newInstance("fashion-mnist")) {
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, 784));
                ArrayDataset train = mnist.train(BATCH);
                for (int epoch = 1; epoch <= epochs; epoch++) {
                    for (Batch batch : trainer.iterateDataset(train)) {
                        try (batch) {
                            EasyTrain.trainBatch(trainer, batch);
                            trainer.step();
                        }
                    }
                    accuracy = accuracy(trainer, mnist.test(BATCH));
                    System.out.printf(Locale.ROOT, "%s  epoch %2d  test accuracy %.1f%%  largest unit norm: "
                            + "hidden 1 %.3f, hidden 2 %.3f%n", name, epoch, 100 * accuracy,
                            largestUnitNorm(net, 0), largestUnitNorm(net, 3));
                }
            }
        }
        return accuracy;
    }

    /** Returns the largest L2 norm of a Linear child's output units (rows of DJL's (out, in) weight). */
    static double largestUnitNorm(SequentialBlock net, int child) {
        NDArray weight = net.getChildren().get(child).getValue().getParameters().get("weight").getArray();
        try (NDArray norms = weight.square().sum(new int[] {1}).sqrt()) {
            return norms.max().getFloat();
        }
    }

    private static double accuracy(Trainer trainer, ArrayDataset test) throws Exception {
        long correct = 0;
        long total = 0;
        for (Batch batch : trainer.iterateDataset(test)) {
            try (batch) {
                NDList out = trainer.evaluate(batch.getData());
                NDArray predicted = out.singletonOrThrow().argMax(1);
                NDArray labels = batch.getLabels().singletonOrThrow().toType(predicted.getDataType(), false);
                correct += predicted.eq(labels).countNonzero().getLong();
                total += labels.size();
            }
        }
        return (double) correct / total;
    }

    /** The command line: epochs, the max-norm bound (0 for none), the learning rate and the data directory. */
    record Options(int epochs, double maxNorm, float learningRate, Path data) {
        static final String USAGE = "[--epochs N] [--data DIR] [--max-norm C] [--learning-rate LR]";

        /** Parses the arguments; throws IllegalArgumentException naming the argument that is wrong. */
        static Options parse(String... args) {
            int epochs = 10;
            double maxNorm = 2.0;
            float learningRate = 0.05f;
            Path data = Files.isDirectory(DEBIAN) ? DEBIAN : SUBSET;
            for (int i = 0; i < args.length; i += 2) {
                String name = args[i];
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[i + 1];
                try {
                    switch (name) {
                        case "--epochs" -> epochs = Integer.parseInt(value);
                        case "--data" -> data = Path.of(value);
                        case "--max-norm" -> maxNorm = Double.parseDouble(value);
                        case "--learning-rate" -> learningRate = Float.parseFloat(value);
                        default -> throw new IllegalArgumentException("unknown argument " + name);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " " + value + " is not a number");
                }
            }
            if (epochs < 1 || maxNorm < 0 || !(learningRate > 0)) {
                throw new IllegalArgumentException("expected epochs >= 1, max-norm >= 0 and learning-rate > 0");
            }
            return new Options(epochs, maxNorm, learningRate, data);
        }
    }

    /** Returns the lines a run prints, for tests: the same as {@link #main} without exiting. */
    static List<String> lines(String... args) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        var previous = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            main(args);
        } finally {
            System.setOut(previous);
        }
        return new ArrayList<>(out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList());
    }
}
