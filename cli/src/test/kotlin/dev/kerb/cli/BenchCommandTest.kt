package dev.kerb.cli

import dev.kerb.core.DType
import dev.kerb.model.io.KerasJson
import dev.kerb.workloads.BenchRow
import dev.kerb.workloads.Workload
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.inspectors.forAll
import io.kotest.matchers.string.shouldStartWith

/** `kerb bench`: its table and JSON shapes and its bad input (timings themselves are the JMH suite's business). */
class BenchCommandTest : FunSpec({
    test("--json prints workload, dtype, ms, gbps, floor_ratio and read_ratio for each workload and dtype") {
        val (status, out, err) = kerb("bench", "--json", "--runs", "1", "--warmup", "0",
            "--warmup-ms", "0", "--workload", "small_dense_maxnorm", "--workload", "small_conv_unitnorm")
        err shouldBe ""
        status shouldBe 0
        val rows = KerasJson.parse(out) as List<*>
        rows.map { (it as Map<*, *>).keys.toList() }.distinct() shouldBe
            listOf(listOf("workload", "dtype", "ms", "gbps", "floor_ratio", "read_ratio"))
        rows.map { (it as Map<*, *>)["workload"] to it["dtype"] } shouldBe listOf(
            "small_dense_maxnorm" to "float32", "small_dense_maxnorm" to "float64",
            "small_conv_unitnorm" to "float32", "small_conv_unitnorm" to "float64")
        for (key in listOf("ms", "gbps", "floor_ratio", "read_ratio")) {
            rows.map { ((it as Map<*, *>)[key] as Number).toDouble() }.forAll { it shouldBeGreaterThan 0.0 }
        }
    }

    test("--json keeps the time of a call under a microsecond to five significant digits") {
        // 64 x 64 float32: the floor moves 32768 bytes, 41.24 GB/s in 0.79461234 us.
        val row = BenchRow.of(Workload.named("small_dense_maxnorm"), DType.FLOAT32, 0.00079461234, 2.34567, 0.91234)
        BenchCommand.jsonRow(row) shouldBe mapOf("workload" to "small_dense_maxnorm", "dtype" to "float32",
            "ms" to 0.00079461, "gbps" to 41.24, "floor_ratio" to 2.346, "read_ratio" to 0.912)
    }

    test("the table has a header and a row per workload") {
        val (status, out, _) = kerb("bench", "--runs", "1", "--warmup", "0", "--warmup-ms", "0", "--dtype", "float64",
            "--workload", "small_dense_maxnorm")
        status shouldBe 0
        out.lines()[0].split(Regex("\\s+")) shouldBe listOf("workload", "dtype", "ms", "gbps", "floor_ratio", "read_ratio")
        out.lines()[1] shouldStartWith "small_dense_maxnorm    float64"
    }

    test("bad options are bad input") {
        kerb("bench", "--dtype", "float16").let { (status, _, err) ->
            status shouldBe 2
            err shouldBe "kerb bench: --dtype is 'float16'; expected float32, float64 or both\n"
        }
        kerb("bench", "--workload", "nope").let { (status, _, err) ->
            status shouldBe 2
            err shouldStartWith "kerb bench: no workload 'nope'; expected one of [dense_maxnorm,"
        }
        kerb("bench", "--warmup-ms", "-1").let { (status, _, err) ->
            status shouldBe 2
            err shouldBe "kerb bench: --runs must be at least 1, --warmup and --warmup-ms at least 0\n"
        }
    }

    test("warm-up runs at least --warmup times and at least --warmup-ms long, whichever ends later") {
        var now = 0L
        val clock = { now } // each call of the body takes 100 ns on this clock
        BenchCommand.warmUp(calls = 3, nanos = 1_000, clock = clock) { now += 100 } shouldBe 10
        now = 0
        BenchCommand.warmUp(calls = 30, nanos = 1_000, clock = clock) { now += 100 } shouldBe 30
        now = 0
        BenchCommand.warmUp(calls = 0, nanos = 0, clock = clock) { now += 100 } shouldBe 0
    }
})
