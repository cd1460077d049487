package dev.kerb.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The repository's corpus of real Keras model files ({@code testdata/keras-corpus}, described file by file in its
 * {@code SOURCES.md}), located once for every test and sample.
 *
 * <p>The folder is the system property {@value #PROPERTY} when set (the build sets it for every test), otherwise
 * {@value #DEFAULT_DIR} under the working directory, which is where the README's commands run.
 */
public final class KerasCorpus {
    /** The system property that names the corpus folder. */
    public static final String PROPERTY = "kerb.corpus.dir";
    /** The corpus folder relative to the repository root. */
    public static final String DEFAULT_DIR = "testdata/keras-corpus";

    private KerasCorpus() {
    }

    /**
     * Returns the corpus folder.
     *
     * @throws IllegalStateException if the folder does not exist, naming where it was looked for
     */
    public static Path dir() {
        return dir(System.getProperty(PROPERTY));
    }

    static Path dir(String configured) {
        Path dir = Path.of(configured != null ? configured : DEFAULT_DIR).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("Keras corpus folder " + dir + " does not exist; run from the repository"
                    + " root or set -D" + PROPERTY + "=<repository>/" + DEFAULT_DIR);
        }
        return dir;
    }

    /**
     * Returns the corpus file with this name.
     *
     * @param name a file name listed in the corpus' {@code SOURCES.md}
     * @throws IllegalStateException if the folder or the file is missing, naming the file
     */
    public static Path file(String name) {
        Path file = dir().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Keras corpus file " + file + " is missing (see " + DEFAULT_DIR
                    + "/SOURCES.md)");
        }
        return file;
    }

    /**
     * Returns the names of the corpus' model files ({@code .json}, {@code .h5}, {@code .keras}), sorted.
     *
     * @throws IllegalStateException if the folder is missing
     * @throws UncheckedIOException if the folder cannot be listed
     */
    public static List<String> modelFiles() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".json") || n.endsWith(".h5") || n.endsWith(".keras"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
