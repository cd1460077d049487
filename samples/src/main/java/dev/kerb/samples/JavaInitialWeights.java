package dev.kerb.samples;

import dev.kerb.core.Tensor;
import dev.kerb.model.ModelSpec;
import dev.kerb.model.Weights;
import dev.kerb.testdata.KerasCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Weights for a model from a config, from Java: draw the initial ones, replace one, and write a {@code .keras} file. */
public final class JavaInitialWeights {
    private JavaInitialWeights() {
    }

    /**
     * Reads KotlinDL's LeNet config (tf.keras 2.2.4 JSON, no weights) from the corpus, draws its initial weights with
     * seed 7, sets the last layer's bias to a tenth, and writes it as a Keras 3 {@code .keras} archive.
     *
     * @param args the corpus folder (default the repository's {@code testdata/keras-corpus}, see {@link KerasCorpus})
     *     and the output folder
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path corpus = args.length > 0 ? Path.of(args[0]) : KerasCorpus.dir();
        Path out = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "samples/target/showcase"));
        ModelSpec spec = ModelSpec.read(corpus.resolve("kotlindl-tfkeras2.2.4-lenet-sequential-maxnorm-kernel-bias.json"));
        Weights weights = spec.initialWeights(7);
        String last = weights.getNames().get(weights.getNames().size() - 1);
        float[] tenth = new float[weights.shape(last).size()];
        Arrays.fill(tenth, 0.1f);
        weights = weights.with(last, Tensor.of(tenth, weights.shape(last)));
        Path target = out.resolve("lenet.keras");
        spec.write(target, weights);
        System.out.println("Java: wrote " + weights.getNames().size() + " variables to " + target.getFileName()
                + "; " + last + " = " + weights.get(last).get(0) + " (shape " + weights.shape(last) + ")");
    }
}
