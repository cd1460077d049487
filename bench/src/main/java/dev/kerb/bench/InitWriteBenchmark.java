package dev.kerb.bench;

import dev.kerb.model.ModelSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Initializing and writing a model of 100M float32 parameters (a {@code Dense(10000)} on 10,000 inputs: a Glorot
 * uniform kernel and a zero bias) as a {@code .keras} archive and as a legacy {@code .h5}, against writing the same
 * number of bytes with a plain {@code FileChannel}, with and without forcing them to disk as Kerb's atomic writes do,
 * in one run. Run with a heap smaller than the model to show that memory holds chunks, not the model:
 * {@code java -jar bench/target/benchmarks.jar InitWriteBenchmark -f 1 -wi 2 -i 5 -jvmArgsAppend -Xmx256m}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class InitWriteBenchmark {
    private static final int UNITS = 10_000;
    private static final long BYTES = 4L * UNITS * (UNITS + 1);

    private Path dir;
    private ModelSpec spec;
    private final ByteBuffer block = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);

    /** Makes the model and a block of random bytes for the plain writes. */
    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("kerb-init-write");
        spec = ModelSpec.parse("{\"class_name\": \"Sequential\", \"config\": {\"name\": \"big\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, " + UNITS + "]}},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", \"units\": " + UNITS + "}}]}}");
        SplittableRandom random = new SplittableRandom(1);
        while (block.hasRemaining()) block.putFloat((float) random.nextDouble());
        block.flip();
    }

    /** Removes what a run wrote, so that each writes a new file as the first save of a model does. */
    @TearDown(Level.Invocation)
    public void removeOutputs() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) Files.delete(file);
        }
    }

    /** Removes the folder. */
    @TearDown
    public void tearDown() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) Files.delete(file);
        }
        Files.delete(dir);
    }

    /** Kerb: initial weights drawn and written as a {@code .keras} archive, flushed to disk and moved into place. */
    @Benchmark
    public void keras() {
        spec.write(dir.resolve("big.keras"), spec.initialWeights(1));
    }

    /** Kerb: the same as a legacy {@code .h5}. */
    @Benchmark
    public void legacyH5() {
        spec.write(dir.resolve("big.h5"), spec.initialWeights(1));
    }

    /** The same number of bytes through a plain {@code FileChannel}, left in the page cache. */
    @Benchmark
    public void fileChannel() throws IOException {
        plain(false);
    }

    /** The same number of bytes through a plain {@code FileChannel}, then forced to disk. */
    @Benchmark
    public void fileChannelForced() throws IOException {
        plain(true);
    }

    private void plain(boolean force) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve("plain.bin"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            for (long written = 0; written < BYTES; ) {
                ByteBuffer chunk = block.duplicate();
                chunk.limit((int) Math.min(chunk.capacity(), BYTES - written));
                while (chunk.hasRemaining()) written += channel.write(chunk);
            }
            if (force) channel.force(true);
        }
    }
}
