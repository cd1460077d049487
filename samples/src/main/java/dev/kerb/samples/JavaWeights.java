package dev.kerb.samples;

import dev.kerb.model.AppliedConstraint;
import dev.kerb.model.weights.ConstraintCheck;
import dev.kerb.model.weights.WeightsFile;
import dev.kerb.testdata.KerasCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The weights inside a Keras file, from Java: check a model's constraints against them and constrain a copy. */
public final class JavaWeights {
    private JavaWeights() {
    }

    /**
     * Checks the INNDiE UnitNorm model from the corpus, saved before any training step, so its kernel is not yet unit
     * norm, then writes a copy with the constraint applied and checks that.
     *
     * @param args the corpus folder (default the repository's {@code testdata/keras-corpus}, see {@link KerasCorpus})
     *     and the output folder
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path corpus = args.length > 0 ? Path.of(args[0]) : KerasCorpus.dir();
        Path out = Path.of(args.length > 1 ? args[1] : "samples/target/showcase");
        Files.createDirectories(out);
        Path constrained = out.resolve("inndie-unitnorm.constrained.h5");
        try (WeightsFile file = WeightsFile.open(corpus.resolve("inndie-tfkeras2.2.4-dense-sequential-unitnorm.h5"))) {
            print("before", file.check());
            List<AppliedConstraint> applied = file.constrain(constrained);
            System.out.println("Java: constrained " + applied.get(0).getWeights() + " into " + constrained.getFileName());
        }
        try (WeightsFile file = WeightsFile.open(constrained)) {
            print("after", file.check());
        }
    }

    private static void print(String when, List<ConstraintCheck> checks) {
        for (ConstraintCheck check : checks) {
            System.out.printf(Locale.ROOT, "Java: %s: %s %s, largest norm %.6f, holds: %b%n", when, check.getWeight(),
                    check.getConstraint().getConstraint(), check.getMeasures().get("largest_norm"), check.getHolds());
        }
    }
}
