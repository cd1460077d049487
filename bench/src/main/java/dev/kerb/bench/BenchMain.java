package dev.kerb.bench;

import dev.kerb.core.DType;
import dev.kerb.workloads.BenchRow;
import dev.kerb.workloads.Workload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.CommandLineOptionException;

/**
 * Runs {@link ProjectionBenchmark} with JMH and prints one table ({@link BenchRow}): workload, dtype, ms, GB/s and
 * the ratios of the constraint and of the read pass to the floor measured in the same run. JMH's own options may be passed through (e.g. {@code -p workload=dense_maxnorm}).
 */
public final class BenchMain {
    private BenchMain() {
    }

    /**
     * Runs the benchmarks.
     *
     * @param args JMH command-line options, which override the defaults (1 fork, 3 warm-up iterations of 1 s, 5
     *             measured iterations of 2 s)
     * @throws RunnerException            if JMH fails
     * @throws CommandLineOptionException if an option is not JMH's
     */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions given = new CommandLineOptions(args);
        ChainedOptionsBuilder options = new org.openjdk.jmh.runner.options.OptionsBuilder().parent(given)
                .include(ProjectionBenchmark.class.getSimpleName())
                // The floor's loops stay out of their callers, as in ./kerb bench (see the README): inlined, JDK 17's C2
                // sometimes compiled them without the Vector API intrinsics.
                .jvmArgsAppend(withGiven(given, "-Xmx4g", "--add-modules", "jdk.incubator.vector",
                        "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,dev.kerb.workloads.VectorFloorLoop::*"));
        if (!given.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!given.getWarmupIterations().hasValue()) {
            options.warmupIterations(3);
        }
        if (!given.getMeasurementIterations().hasValue()) {
            options.measurementIterations(5);
        }
        if (!given.getWarmupTime().hasValue()) {
            options.warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1));
        }
        if (!given.getMeasurementTime().hasValue()) {
            options.measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(2));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.print(table(results));
    }

    /**
     * Returns {@code defaults} followed by the {@code -jvmArgsAppend} given on the command line: setting the runner's
     * own arguments would otherwise replace the given ones rather than add to them.
     */
    static String[] withGiven(CommandLineOptions given, String... defaults) {
        List<String> all = new ArrayList<>(List.of(defaults));
        if (given.getJvmArgsAppend().hasValue()) {
            all.addAll(given.getJvmArgsAppend().get());
        }
        return all.toArray(String[]::new);
    }

    static String table(Collection<RunResult> results) {
        Map<String, double[]> times = new LinkedHashMap<>(); // workload|dtype -> {constraint, floor, read} in us
        for (RunResult r : results) {
            String key = r.getParams().getParam("workload") + "|" + r.getParams().getParam("dtype");
            int part = List.of("constraint", "floor", "read").indexOf(r.getParams().getParam("workloadPart"));
            times.computeIfAbsent(key, k -> new double[3])[part] = r.getPrimaryResult().getScore();
        }
        List<BenchRow> rows = new ArrayList<>();
        times.forEach((key, t) -> {
            String[] parts = key.split("\\|");
            DType dtype = parts[1].equals("float32") ? DType.FLOAT32 : DType.FLOAT64;
            rows.add(BenchRow.of(Workload.named(parts[0]), dtype, t[0] / 1000, t[0] / t[1], t[2] / t[1]));
        });
        return BenchRow.table(rows);
    }
}
