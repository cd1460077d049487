package dev.kerb.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Which loops run: the Vector API ones when the module is present, and a warning with the fix when they are asked
 * for ({@code -Dkerb.vectorApi=true}, which the build's test execution without the module sets) but absent.
 */
class VectorApiSelectionTest {
    @Test
    void askingForTheVectorApiWithoutItsModuleWarnsOnceWithTheFix() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        List<LogRecord> records = new ArrayList<>();
        Logger logger = Logger.getLogger("dev.kerb.core");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            assertEquals(present, Loops.vector().isPresent());
        } finally {
            logger.removeHandler(capture);
        }
        List<LogRecord> warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
        if (present) {
            assertEquals(List.of(), warnings);
        } else {
            assertTrue(Boolean.getBoolean(Loops.VECTOR_PROPERTY), "the execution without the module asks for it");
            assertEquals(1, warnings.size(), () -> "warnings: " + warnings);
            assertEquals("Kerb: the Vector API is not available, so the scalar kernels run; pass --add-modules "
                    + "jdk.incubator.vector to the java command to use the Vector API kernels",
                    warnings.get(0).getMessage());
        }
    }
}
