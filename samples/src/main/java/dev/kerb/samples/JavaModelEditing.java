package dev.kerb.samples;

import dev.kerb.core.MaxNorm;
import dev.kerb.model.ModelConstraint;
import dev.kerb.model.ModelSpec;
import dev.kerb.testdata.KerasCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Editing a Keras model config from Java: read any generation, change one constraint, write the same format. */
public final class JavaModelEditing {
    private JavaModelEditing() {
    }

    /**
     * Reads the INNDiE MaxNorm model from the corpus, caps its kernel at 1.5 and writes it to the output folder.
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
    }
}
