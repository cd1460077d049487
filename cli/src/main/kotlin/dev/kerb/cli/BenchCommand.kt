package dev.kerb.cli

import dev.kerb.core.ApplyOptions
import dev.kerb.core.DType
import dev.kerb.core.Tensor
import dev.kerb.model.io.KerasJson
import dev.kerb.workloads.BenchRow
import dev.kerb.workloads.Workload
import picocli.CommandLine
import picocli.CommandLine.Command
import picocli.CommandLine.Option
import java.math.BigDecimal
import java.math.MathContext
import java.util.Locale
import java.util.concurrent.Callable

/** `kerb bench`: a quick look at the kernels' speed on this machine, without JMH. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = ["Time each workload's constraint against the memory floor (an in-place scale of the same " +
        "bytes) and a read pass (a read of the same bytes), median of several runs after warm-up. For rigorous " +
        "numbers use the JMH suite (java -jar bench/target/benchmarks.jar)."],
)
internal class BenchCommand : Callable<Int> {
    @Option(names = ["--json"], description = ["Print a JSON array of {workload, dtype, ms, gbps, floor_ratio, read_ratio}."])
    var json: Boolean = false

    @Option(names = ["--runs"], paramLabel = "N", description = ["Timed runs per measurement (default: \${DEFAULT-VALUE})."])
    var runs: Int = 7

    @Option(names = ["--warmup"], paramLabel = "N", description = ["Warm-up runs, at least (default: \${DEFAULT-VALUE})."])
    var warmup: Int = 5

    @Option(names = ["--warmup-ms"], paramLabel = "MS",
        description = ["Warm up each workload and dtype for at least this long, before its constraint and again " +
            "before its read pass, so the JIT has compiled the loops before timing (default: \${DEFAULT-VALUE})."])
    var warmupMillis: Long = 1000

    @Option(names = ["--threads"], paramLabel = "N", description = ["Threads per tensor (default: all cores)."])
    var threads: Int = 0

    @Option(names = ["--workload"], paramLabel = "NAME", description = ["Run only these workloads (repeatable)."])
    var only: List<String> = emptyList()

    @Option(names = ["--dtype"], paramLabel = "DTYPE", description = ["float32, float64 or both (default)."])
    var dtype: String = "both"

    @CommandLine.Spec
    lateinit var commandSpec: CommandLine.Model.CommandSpec

    override fun call(): Int {
        if (runs < 1 || warmup < 0 || warmupMillis < 0) {
            throw BadInputException("--runs must be at least 1, --warmup and --warmup-ms at least 0")
        }
        val dtypes = when (dtype) {
            "float32" -> listOf(DType.FLOAT32)
            "float64" -> listOf(DType.FLOAT64)
            "both" -> listOf(DType.FLOAT32, DType.FLOAT64)
            else -> throw BadInputException("--dtype is '$dtype'; expected float32, float64 or both")
        }
        val workloads = if (only.isEmpty()) Workload.LARGE + Workload.SMALL else only.map { name ->
            try {
                Workload.named(name)
            } catch (e: IllegalArgumentException) {
                throw BadInputException(e.message ?: name)
            }
        }
        val options = if (threads > 0) ApplyOptions.DEFAULT.withThreads(threads) else ApplyOptions.DEFAULT
        val cases = workloads.flatMap { w -> dtypes.map { d -> w to d } }
        // Every constraint first, then every read pass: on JDK 17, read passes timed between the constraints made C2
        // compile the row kernel without some Vector API intrinsics in about a third of the runs (3x slower).
        val constraints = cases.map { (w, d) -> measure(w, d, options) { _, tensor -> w.run(tensor, options) } }
        val reads = cases.map { (w, d) -> measure(w, d, options) { data, _ -> sink += Workload.read(data, options) } }
        val rows = cases.indices.map { i ->
            val (w, d) = cases[i]
            BenchRow.of(w, d, constraints[i].first / 1e6, constraints[i].first / constraints[i].second,
                reads[i].first / reads[i].second)
        }
        val out = commandSpec.commandLine().out
        if (json) {
            out.println(KerasJson.write(rows.map(::jsonRow), prettyPrint = true))
        } else {
            out.print(BenchRow.table(rows))
        }
        out.flush()
        return Kerb.OK
    }

    /**
     * Returns the median nanoseconds per call of [part] and of the floor on a fresh copy of the workload's data,
     * timed alternately after the warm-up.
     */
    private fun measure(w: Workload, dtype: DType, options: ApplyOptions, part: (Any, Tensor) -> Unit):
        Pair<Double, Double> {
        val data = w.newData(dtype, 42)
        val tensor = w.tensor(data)
        val calls = w.callsPerMeasurement()
        val times = LongArray(runs)
        val floor = LongArray(runs)
        warmUp(warmup, warmupMillis * 1_000_000) {
            part(data, tensor)
            Workload.floor(data, one, options)
        }
        for (i in 0 until runs) { // interleaved, so both see the same machine state
            times[i] = timed { repeat(calls) { part(data, tensor) } } / calls
            floor[i] = timed { repeat(calls) { Workload.floor(data, one, options) } } / calls
        }
        return median(times) to median(floor)
    }

    private inline fun timed(block: () -> Unit): Long {
        val start = System.nanoTime()
        block()
        return System.nanoTime() - start
    }

    private fun median(values: LongArray): Double = values.sorted().let { s ->
        if (s.size % 2 == 1) s[s.size / 2].toDouble() else (s[s.size / 2 - 1] + s[s.size / 2]) / 2.0
    }

    companion object {
        /**
         * Returns one `--json` row: milliseconds to five significant digits (a call under a microsecond keeps them),
         * GB/s to two decimals, the ratios to three.
         */
        internal fun jsonRow(r: BenchRow): Map<String, Any> =
            BenchRow.COLUMNS.zip(listOf(r.workload(), r.dtype(), significant(r.ms(), 5), round(r.gbps(), 2),
                round(r.floorRatio(), 3), round(r.readRatio(), 3))).toMap(LinkedHashMap())

        private fun round(value: Double, digits: Int): Double =
            String.format(Locale.ROOT, "%.${digits}f", value).toDouble()

        private fun significant(value: Double, digits: Int): Double =
            BigDecimal(value).round(MathContext(digits)).toDouble()

        /**
         * Runs [body] at least [calls] times and until [nanos] have passed on [clock], so that the JIT has compiled
         * what is timed next; returns how many times it ran.
         */
        fun warmUp(calls: Int, nanos: Long, clock: () -> Long = System::nanoTime, body: () -> Unit): Int {
            val end = clock() + nanos
            var count = 0
            while (count < calls || clock() < end) {
                body()
                count++
            }
            return count
        }

        /** The floor's factor, read from a field so that the JIT cannot fold the multiply away. */
        @Volatile
        @JvmStatic
        var one: Double = 1.0

        /** Where the read pass's sums go, so that the JIT cannot drop the reads. */
        @Volatile
        @JvmStatic
        var sink: Double = 0.0
    }
}
