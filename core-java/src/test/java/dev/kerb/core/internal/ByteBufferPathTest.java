package dev.kerb.core.internal;

import static dev.kerb.core.KernelAccess.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.DType;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.Shape;
import dev.kerb.core.Tensor;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which path a native-order {@code ByteBuffer} takes: in place where the loops can load from it (the scalar loops
 * always; the Vector API loops through {@code fromByteBuffer} on JDK 16 to 19, and through {@code fromMemorySegment}
 * on JDK 22+ for direct buffers when the jar's {@code META-INF/versions/22} classes load), staged through tiles
 * otherwise. On Temurin 25 the Vector API loops once failed at the first call with NoSuchMethodError.
 */
class ByteBufferPathTest {
    /** Set by the build's JDK 25 execution only, which runs against the jar: the segment loops must run there. */
    private static final String SEGMENTS_PROPERTY = "kerb.test.segments";
    private static final String VERSIONED = "/META-INF/versions/22/";

    @Test
    void inPlaceExactlyWhenTheDefaultLoopsCanLoadFromTheByteBuffer() {
        for (ByteBuffer bytes : List.of(ByteBuffer.allocateDirect(16), ByteBuffer.allocate(16))) {
            bytes.order(ByteOrder.nativeOrder());
            boolean expected = !Loops.DEFAULT.vectorized() || hasByteBufferLoads()
                    || segmentLoopsLoaded() && bytes.isDirect();
            String what = (bytes.isDirect() ? "direct" : "heap") + ", JDK " + Runtime.version() + ", "
                    + vectorBufferLoops();
            assertEquals(expected, Loops.DEFAULT.buffersInPlace(bytes), what);
            Tensor t = Tensor.of(bytes, DType.FLOAT32, Shape.of(2, 2));
            if (expected) {
                assertInstanceOf(FloatBytesTensor.class, view(t), what);
            } else {
                assertInstanceOf(FloatBufferTensor.class, view(t), what);
            }
            new MaxNorm(1).apply(t);   // runs, whichever path
        }
    }

    @Test
    void theVersionedSegmentLoopsLoadOnJdk22AndLaterFromTheJarAndRunInPlace() {
        if (Runtime.version().feature() < 22) {
            assertFalse(segmentLoopsLoaded(), "JDK " + Runtime.version() + " loaded " + vectorBufferLoops());
        }
        if (!Boolean.getBoolean(SEGMENTS_PROPERTY)) {
            return; // the JDK 17 executions, from target/classes
        }
        assertTrue(Runtime.version().feature() >= 22, "the segment execution runs on JDK 22+: " + Runtime.version());
        assertTrue(Loops.DEFAULT.vectorized(), "the segment execution runs with jdk.incubator.vector");
        assertTrue(segmentLoopsLoaded(), "VectorBufferLoops came from " + vectorBufferLoops() + ", not the jar's "
                + "META-INF/versions/22: is the jar built with the jdk25 profile and Multi-Release: true?");
        assertEquals("dev.kerb.core.internal.VectorBufferLoops", Loops.DEFAULT.buffers().getClass().getName());
        ByteBuffer bytes = ByteBuffer.allocateDirect(1 + 4 * 2 * 37).order(ByteOrder.nativeOrder()).position(1);
        assertTrue(Loops.DEFAULT.buffersInPlace(bytes));
        for (int i = 0; i < 37; i++) {
            bytes.putFloat(1 + 4 * i, 3f).putFloat(1 + 4 * (37 + i), 4f); // every column's norm is 5
        }
        Tensor t = Tensor.of(bytes, DType.FLOAT32, Shape.of(2, 37));
        assertInstanceOf(FloatBytesTensor.class, view(t));
        new MaxNorm(2, 0).apply(t, ApplyOptions.DEFAULT.withThreads(1));
        for (int i = 0; i < 37; i++) {
            assertEquals(1.2f, bytes.getFloat(1 + 4 * i), 1e-6f);
            assertEquals(1.6f, bytes.getFloat(1 + 4 * (37 + i)), 1e-6f);
        }
    }

    /** Returns where this JVM finds {@code VectorBufferLoops}' class file. */
    private static URL vectorBufferLoops() {
        return ByteBufferPathTest.class.getClassLoader().getResource("dev/kerb/core/internal/VectorBufferLoops.class");
    }

    private static boolean segmentLoopsLoaded() {
        return Loops.DEFAULT.vectorized() && vectorBufferLoops().toString().contains(VERSIONED);
    }

    private static boolean hasByteBufferLoads() {
        try {
            Class.forName("jdk.incubator.vector.FloatVector").getMethod("fromByteBuffer",
                    Class.forName("jdk.incubator.vector.VectorSpecies"), ByteBuffer.class, int.class, ByteOrder.class);
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
