package dev.kerb.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The corpus is found where the build says, and a missing file is an error naming it, never a skip. */
class KerasCorpusTest {
    @Test
    void findsEveryModelFileThatSourcesMdDescribes() {
        assertEquals(27, KerasCorpus.modelFiles().size(), () -> "model files: " + KerasCorpus.modelFiles());
        assertTrue(KerasCorpus.file("SOURCES.md").endsWith("testdata/keras-corpus/SOURCES.md"));
    }

    @Test
    void aMissingFileFailsNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KerasCorpus.file("absent.h5"));
        assertEquals("Keras corpus file " + KerasCorpus.dir().resolve("absent.h5")
                + " is missing (see testdata/keras-corpus/SOURCES.md)", e.getMessage());
    }

    @Test
    void aMissingFolderFailsNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KerasCorpus.dir("/nonexistent/corpus"));
        assertEquals("Keras corpus folder /nonexistent/corpus does not exist; run from the repository root or set"
                + " -Dkerb.corpus.dir=<repository>/testdata/keras-corpus", e.getMessage());
    }
}
