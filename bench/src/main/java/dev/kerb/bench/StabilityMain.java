package dev.kerb.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link StabilityBenchmark} in one fork and prints, per case: the median and the slowest of its rounds and
 * their ratio; the same ratio for its floor; the slowest round's constraint-over-floor ratio against that ratio's
 * median; the medians of the constraint-over-floor and read-over-floor ratios, each taken from adjacent iterations;
 * and the most bytes a call allocated in any round, which the kernels never do unless the JIT has compiled a Vector
 * API loop without its intrinsics ({@code case dtype rounds median_us worst_us worst_ratio floor_worst_ratio
 * worst_floor_ratio floor_ratio read_ratio most_bytes_op}).
 */
public final class StabilityMain {
    private StabilityMain() {
    }

    /**
     * Runs the stability benchmark.
     *
     * @param args {@code --rounds N} (default 20), then JMH options, which override the defaults (1 fork, one warm-up
     *             round, iterations of 200 ms)
     * @throws RunnerException            if JMH fails
     * @throws CommandLineOptionException if an option is not JMH's
     * @throws NumberFormatException      if {@code --rounds} is not a number
     */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        int rounds = 20;
        if (args.length >= 2 && args[0].equals("--rounds")) {
            rounds = Integer.parseInt(args[1]);
            args = Arrays.copyOfRange(args, 2, args.length);
        }
        int cases = StabilityBenchmark.CASES.size();
        CommandLineOptions given = new CommandLineOptions(args);
        ChainedOptionsBuilder options = new OptionsBuilder().parent(given)
                .include(StabilityBenchmark.class.getName())
                .forks(1)
                .warmupIterations(StabilityBenchmark.PARTS * cases)
                .warmupTime(TimeValue.milliseconds(200))
                .measurementIterations(StabilityBenchmark.PARTS * rounds * cases)
                .measurementTime(TimeValue.milliseconds(200))
                .addProfiler(org.openjdk.jmh.profile.GCProfiler.class)
                .jvmArgsAppend(BenchMain.withGiven(given, "-Xmx6g", "--add-modules", "jdk.incubator.vector",
                        "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,dev.kerb.workloads.VectorFloorLoop::*"));
        for (RunResult result : new Runner(options.build()).run()) {
            System.out.println();
            System.out.print(table(new ArrayList<>(result.getBenchmarkResults().iterator().next().getIterationResults())));
        }
    }

    /**
     * Returns the table of the measured iterations, iterations {@code 3k}, {@code 3k + 1} and {@code 3k + 2} being the
     * constraint, the floor and the read pass of case {@code k % CASES.size()}.
     */
    static String table(List<IterationResult> iterations) {
        int cases = StabilityBenchmark.CASES.size();
        int parts = StabilityBenchmark.PARTS;
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%-22s %-8s %6s %12s %12s %11s %17s %16s %11s %10s %14s%n", "case", "dtype", "rounds", "median_us",
                "worst_us", "worst_ratio", "floor_worst_ratio", "worst_floor_ratio", "floor_ratio", "read_ratio",
                "most_bytes_op"));
        for (int c = 0; c < cases; c++) {
            List<Double> times = new ArrayList<>();
            List<Double> floors = new ArrayList<>();
            List<Double> overFloor = new ArrayList<>();
            List<Double> readOverFloor = new ArrayList<>();
            double mostBytes = 0;
            for (int i = parts * c; i + parts - 1 < iterations.size(); i += parts * cases) {
                IterationResult r = iterations.get(i);
                double time = r.getPrimaryResult().getScore();
                double floor = iterations.get(i + 1).getPrimaryResult().getScore();
                times.add(time);
                floors.add(floor);
                overFloor.add(time / floor);
                readOverFloor.add(iterations.get(i + 2).getPrimaryResult().getScore() / floor);
                org.openjdk.jmh.results.Result<?> bytes = r.getSecondaryResults().get("gc.alloc.rate.norm");
                if (bytes != null) {
                    mostBytes = Math.max(mostBytes, bytes.getScore());
                }
            }
            double median = median(times);
            double worst = java.util.Collections.max(times);
            // The floor's own slowest round: how much the machine alone moves a loop that does nothing but stream.
            double floorWorst = java.util.Collections.max(floors) / median(floors);
            // The slowest round's share of the machine's speed that moment: its constraint over its floor, against
            // the median of that ratio. Noise from other tenants of the machine slows the floor too.
            double worstOverFloor = java.util.Collections.max(overFloor) / median(overFloor);
            StabilityBenchmark.Case label = StabilityBenchmark.CASES.get(c);
            out.append(String.format(Locale.ROOT, "%-22s %-8s %6d %12.3f %12.3f %11.2f %17.2f %16.2f %11.2f %10.2f %14.0f%n",
                    label.workload().name(), label.dtypeName(), times.size(), median, worst, worst / median, floorWorst,
                    worstOverFloor, median(overFloor), median(readOverFloor), mostBytes));
        }
        return out.toString();
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
