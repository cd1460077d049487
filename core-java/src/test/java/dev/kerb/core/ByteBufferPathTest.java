package dev.kerb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Which path a native-order {@code ByteBuffer} takes: in place where the loops can load from it (the scalar loops
 * always; the Vector API's {@code fromByteBuffer} exists in JDK 16 to 19 only), staged through tiles otherwise. On
 * Temurin 25 the Vector API loops once failed at the first call with NoSuchMethodError; now they stage.
 */
class ByteBufferPathTest {
    @Test
    void inPlaceExactlyWhenTheDefaultLoopsCanLoadFromAByteBuffer() throws Exception {
        boolean vectorLoads = hasMethod("jdk.incubator.vector.FloatVector");
        boolean expected = !Loops.DEFAULT.vectorized() || vectorLoads;
        assertEquals(expected, Loops.DEFAULT.buffersInPlace(), "JDK " + Runtime.version());
        ByteBuffer bytes = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        Tensor t = Tensor.of(bytes, DType.FLOAT32, Shape.of(2, 2));
        if (expected) {
            assertInstanceOf(FloatBytesTensor.class, t);
        } else {
            assertInstanceOf(FloatBufferTensor.class, t);
        }
        new MaxNorm(1).apply(t);   // runs, whichever path
    }

    private static boolean hasMethod(String vectorClass) {
        try {
            Class.forName(vectorClass).getMethod("fromByteBuffer", Class.forName("jdk.incubator.vector.VectorSpecies"),
                    ByteBuffer.class, int.class, ByteOrder.class);
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
