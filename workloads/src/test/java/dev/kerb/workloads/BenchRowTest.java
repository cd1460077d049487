package dev.kerb.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kerb.core.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark table's arithmetic and layout, shared by the JMH suite and {@code kerb bench}. */
class BenchRowTest {
    @Test
    void bandwidthIsTheFloorsBytesOverTheConstraintsTime() {
        // 4096 x 4096 float32: the floor moves 2 * 64 MiB = 134217728 bytes.
        BenchRow row = BenchRow.of(Workload.named("dense_maxnorm"), DType.FLOAT32, 8.0, 2.0, 0.75);
        assertEquals("dense_maxnorm", row.workload());
        assertEquals("float32", row.dtype());
        assertEquals(8.0, row.ms());
        assertEquals(134217728 / 8e6, row.gbps(), 1e-9);
        assertEquals(2.0, row.floorRatio());
        assertEquals(0.75, row.readRatio());
    }

    @Test
    void theTableHasAHeaderAndOneLinePerRow() {
        BenchRow row = BenchRow.of(Workload.named("vector_nonneg"), DType.FLOAT64, 2.5, 1.25, 0.5);
        BenchRow small = BenchRow.of(Workload.named("small_dense_maxnorm"), DType.FLOAT32, 0.00079461, 2.25, 0.9);
        List<String> lines = BenchRow.table(List.of(row, small)).lines().toList();
        assertEquals(List.of("workload", "dtype", "ms", "gbps", "floor_ratio", "read_ratio"),
                List.of(lines.get(0).trim().split("\\s+")));
        assertEquals(List.of("vector_nonneg", "float64", "2.500", "107.4", "1.25", "0.50"),
                List.of(lines.get(1).trim().split("\\s+")));
        // A call under a microsecond keeps four significant digits: 64 x 64 float32, 32768 bytes in 0.79461 us.
        assertEquals(List.of("small_dense_maxnorm", "float32", "0.0007946", "41.2", "2.25", "0.90"),
                List.of(lines.get(2).trim().split("\\s+")));
        assertEquals(3, lines.size());
    }
}
