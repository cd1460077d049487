package dev.kerb.samples;

import dev.kerb.core.MaxNorm;
import dev.kerb.core.Shape;
import dev.kerb.core.Tensor;
import dev.kerb.model.ModelConstraint;
import dev.kerb.model.LayerSummary;
import dev.kerb.model.ModelSpec;
import dev.kerb.model.ModelSummary;
import dev.kerb.testdata.KerasCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Editing a Keras model config from Java: read any generation, change one constraint, write the same format. */
public final class JavaModelEditing {
    private JavaModelEditing() {
    }

    /**
     * Reads the INNDiE MaxNorm model from the corpus, caps its kernel at 1.5, writes it to the output folder,
     * applies the cap to a kernel and summarizes the model.
     *
     * @param args the corpus folder (default the repository's {@code testdata/keras-corpus}, see {@link KerasCorpus})
     *     and the output folder
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path corpus = args.length > 0 ? Path.of(args[0]) : KerasCorpus.dir();
        Path out = Path.of(args.length > 1 ? args[1] : "samples/target/showcase");
        ModelSpec spec = ModelSpec.read(corpus.resolve("inndie-tfkeras2.2.4-dense-sequential-maxnorm.model_config.json"));
        ModelSpec capped = spec.withConstraint("dense_6", "kernel_constraint", new MaxNorm(1.5));
        Files.createDirectories(out);
        Files.writeString(out.resolve("inndie.capped.json"), capped.toJson());
        for (ModelConstraint c : capped.constraints()) {
            System.out.println("Java: " + c.getLayer() + " " + c.getKey() + " is now " + c.getConstraint());
        }
        // The model's constraints on its weights, named as Keras names variables: a Dense(1) on one input.
        float[] kernel = {3f};
        capped.applyConstraints(Map.of("dense_6/kernel", Tensor.of(kernel, Shape.of(1, 1))));
        System.out.printf(Locale.ROOT, "Java: dense_6/kernel after the cap: %.6f%n", kernel[0]);
        // What the model computes, as Keras' model.summary() shows it.
        ModelSummary summary = capped.summary();
        LayerSummary dense = summary.getLayers().get(0);
        System.out.println("Java: " + dense.getName() + " outputs " + dense.getOutputShapes() + " with "
            + dense.getParams() + " parameters; the model has " + summary.getTotalParams());
    }
}
