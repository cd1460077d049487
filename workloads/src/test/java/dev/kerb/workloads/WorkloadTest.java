package dev.kerb.workloads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The workloads of the performance issue, and a floor that moves the bytes but keeps the values. */
class WorkloadTest {
    @Test
    void theWorkloadsAreTheIssuesTable() {
        assertEquals(List.of("dense_maxnorm", "dense_minmaxnorm", "conv_unitnorm", "embedding_maxnorm", "vector_nonneg"),
                Workload.LARGE.stream().map(Workload::name).toList());
        assertEquals(2L * 4096 * 4096 * 4, Workload.named("dense_maxnorm").bytesMoved(DType.FLOAT32));
        assertEquals(2L * 1_000_000 * 64 * 8, Workload.named("embedding_maxnorm").bytesMoved(DType.FLOAT64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.named("x"));
        assertEquals("no workload 'x'; expected one of [dense_maxnorm, dense_minmaxnorm, conv_unitnorm, "
                + "embedding_maxnorm, vector_nonneg, small_dense_maxnorm, small_conv_unitnorm]", e.getMessage());
    }

    @Test
    void theFloorKeepsTheValuesOnEveryThreadCount() {
        Workload w = Workload.named("small_dense_maxnorm");
        float[] data = (float[]) w.newData(DType.FLOAT32, 1);
        float[] before = data.clone();
        Workload.floor(data, 1.0, ApplyOptions.DEFAULT.withThreads(2).withParallelThreshold(1));
        assertArrayEquals(before, data);
        double[] doubles = (double[]) w.newData(DType.FLOAT64, 1);
        double[] copy = doubles.clone();
        Workload.floor(doubles, 1.0, ApplyOptions.DEFAULT);
        assertArrayEquals(copy, doubles);
    }

    @Test
    void bothFloorLoopsScaleExactlyTheirRange() {
        for (FloorLoop loop : List.of(FloorLoop.INSTANCE, new FloorLoop.Scalar())) {
            for (int len : new int[] {0, 1, 3, 4, 7, 63, 64, 65, 257, 1031}) {
                float[] f = new float[len + 10];
                double[] d = new double[len + 10];
                java.util.Arrays.fill(f, 1f);
                java.util.Arrays.fill(d, 1.0);
                loop.scale(f, 5, 5 + len, 2f);
                loop.scale(d, 5, 5 + len, 2.0);
                for (int i = 0; i < f.length; i++) {
                    float expected = i >= 5 && i < 5 + len ? 2f : 1f;
                    assertEquals(expected, f[i], loop + " float len " + len + " at " + i);
                    assertEquals(expected, d[i], loop + " double len " + len + " at " + i);
                }
            }
        }
        assertEquals("VectorFloorLoop", FloorLoop.INSTANCE.getClass().getSimpleName(), "tests run with the module");
    }

    @Test
    void theReadPassSumsTheSquaresAndKeepsTheValues() {
        for (FloorLoop loop : List.of(FloorLoop.INSTANCE, new FloorLoop.Scalar())) {
            for (int len : new int[] {0, 1, 3, 4, 7, 63, 64, 65, 257, 1031}) {
                float[] f = new float[len + 10];
                double[] d = new double[len + 10];
                java.util.Arrays.fill(f, 3f); // outside the range: counted only if the loop overruns it
                java.util.Arrays.fill(d, 3.0);
                double expected = 0;
                for (int i = 5; i < 5 + len; i++) {
                    f[i] = (i % 7) * 0.5f - 1; // exact in float32, as are their squares and sums here
                    d[i] = f[i];
                    expected += d[i] * d[i];
                }
                float[] fBefore = f.clone();
                double[] dBefore = d.clone();
                assertEquals(expected, loop.sumOfSquares(f, 5, 5 + len), loop + " float len " + len);
                assertEquals(expected, loop.sumOfSquares(d, 5, 5 + len), loop + " double len " + len);
                assertArrayEquals(fBefore, f);
                assertArrayEquals(dBefore, d);
            }
        }
        Workload w = Workload.named("small_dense_maxnorm");
        double[] data = (double[]) w.newData(DType.FLOAT64, 1);
        double expected = 0;
        for (double x : data) {
            expected += x * x;
        }
        // Two ranges on the pool, and one on the calling thread (below the default threshold).
        for (ApplyOptions options : List.of(ApplyOptions.DEFAULT.withThreads(2).withParallelThreshold(1),
                ApplyOptions.DEFAULT)) {
            assertEquals(expected, Workload.read(data, options), 1e-12 * expected, options.toString());
        }
    }

    @Test
    void runningAWorkloadConstrainsIt() {
        Workload w = Workload.named("small_dense_maxnorm");
        double[] data = (double[]) w.newData(DType.FLOAT64, 1);
        for (int i = 0; i < data.length; i++) {
            data[i] *= 100; // column norms well above MaxNorm's 2
        }
        w.run(w.tensor(data), ApplyOptions.DEFAULT);
        for (int c = 0; c < 64; c++) {
            double sum = 0;
            for (int r = 0; r < 64; r++) {
                sum += data[r * 64 + c] * data[r * 64 + c];
            }
            assertEquals(2.0, Math.sqrt(sum), 1e-6);
        }
    }
}
