package dev.kerb.workloads;

import dev.kerb.core.DType;
import java.util.List;
import java.util.Locale;

/**
 * One row of the benchmark table, as both the JMH suite and {@code kerb bench} print it.
 *
 * @param workload   the workload name
 * @param dtype      {@code float32} or {@code float64}
 * @param ms         the constraint's time per call, in milliseconds
 * @param gbps       the bytes the floor moves (one read and one write of the tensor) per second of the constraint
 * @param floorRatio the constraint's time over the floor's (an in-place scale of the same bytes)
 * @param readRatio  the read pass's time over the floor's: a column norm reads the tensor twice, so where the
 *                   tensor does not stay in cache it cannot cost less than {@code 1 + readRatio} floors
 */
public record BenchRow(String workload, String dtype, double ms, double gbps, double floorRatio, double readRatio) {
    /** The table's header, its column names as the JSON output names them. */
    public static final List<String> COLUMNS = List.of("workload", "dtype", "ms", "gbps", "floor_ratio",
            "read_ratio");

    /** Returns the row for one workload and dtype: the constraint's milliseconds per call and the two ratios. */
    public static BenchRow of(Workload w, DType dtype, double ms, double floorRatio, double readRatio) {
        return new BenchRow(w.name(), dtype == DType.FLOAT32 ? "float32" : "float64", ms,
                w.bytesMoved(dtype) / (ms * 1e6), floorRatio, readRatio);
    }

    /**
     * Returns the rows as a text table with a header line, one line per row; milliseconds to four significant digits,
     * so that a call of under a microsecond keeps them too.
     */
    public static String table(List<BenchRow> rows) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-22s %-8s %10s %8s %12s %11s%n",
                (Object[]) COLUMNS.toArray(new String[0])));
        for (BenchRow r : rows) {
            out.append(String.format(Locale.ROOT, "%-22s %-8s %10.4g %8.1f %12.2f %11.2f%n", r.workload, r.dtype,
                    r.ms, r.gbps, r.floorRatio, r.readRatio));
        }
        return out.toString();
    }
}
