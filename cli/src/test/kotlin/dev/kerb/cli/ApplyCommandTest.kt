package dev.kerb.cli

import dev.kerb.core.ApplyOptions
import dev.kerb.core.Constraint
import dev.kerb.core.Tensor
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.registry.ConstraintType
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.optional.shouldBeEmpty
import io.kotest.matchers.paths.shouldNotExist
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import java.nio.file.Files
import java.nio.file.Path
import kotlin.math.abs

/** `kerb apply` end to end, through the same entry point as `main`, on `.npy` files the test writes. */
class ApplyCommandTest : FunSpec({
    fun fixture(name: String): Path = Path.of(ApplyCommandTest::class.java.getResource("/npy/$name")!!.toURI())

    fun copyOf(name: String, dir: Path): Path = Files.copy(fixture(name), dir.resolve(name))

    fun assertClose(expected: DoubleArray, actual: DoubleArray, rtol: Double) {
        actual.size shouldBe expected.size
        for (i in expected.indices) {
            val ok = abs(actual[i] - expected[i]) <= rtol * abs(expected[i])
            if (!ok) throw AssertionError("element $i: expected ${expected[i]} but got ${actual[i]}")
        }
    }

    fun doubles(path: Path): DoubleArray = when (val a = Npy.read(path)) {
        is NpyArray.Float32 -> DoubleArray(a.data.size) { a.data[it].toDouble() }
        is NpyArray.Float64 -> a.data
    }

    test("a Keras 3 dict on float64 matches NumPy's evaluation of the Keras formula") {
        val dir = tempdir().toPath()
        val output = dir.resolve("out.npy")
        val spec = """{"module": "keras.constraints", "class_name": "MaxNorm", "config": {"max_value": 2, """ +
            """"axis": [0, 2]}, "registered_name": null}"""
        val run = kerb("apply", "--constraint", spec, "--input", fixture("f8_3d.npy").toString(),
            "--output", output.toString())
        run.status shouldBe 0
        run.err shouldBe ""
        run.out shouldStartWith "MaxNorm(max_value=2, axis=[0, 2]) applied to float64 [2, 3, 4] from "
        Npy.read(output).shape.dims().toList() shouldBe listOf(2, 3, 4)
        assertClose(doubles(fixture("f8_3d_maxnorm2_axis02.expected.npy")), doubles(output), 1e-12)
    }

    test("a Keras 2 dict from @file on float32, written over its own input") {
        val dir = tempdir().toPath()
        val array = copyOf("f4_v1.npy", dir)
        val specFile = dir.resolve("unit.json")
        Files.writeString(specFile, """{"class_name": "UnitNorm", "config": {"axis": -1}}""")
        val run = kerb("apply", "-c", "@$specFile", "-i", array.toString(), "-o", array.toString())
        run.status shouldBe 0
        Npy.read(array).shouldBeInstanceOf<NpyArray.Float32>()
        assertClose(doubles(fixture("f4_unitnorm_axis-1.expected.npy")), doubles(array), 1e-6)
    }

    test("a registry name applies the defaults; 0-d and zero-size arrays work") {
        val dir = tempdir().toPath()
        val out = dir.resolve("scalar.npy")
        kerb("apply", "-c", "non_neg", "-i", fixture("f8_scalar.npy").toString(), "-o", out.toString())
            .status shouldBe 0
        doubles(out).toList() shouldBe listOf(0.0)
        val empty = dir.resolve("empty.npy")
        kerb("apply", "-c", "max_norm", "-i", fixture("f4_empty.npy").toString(), "-o", empty.toString())
            .status shouldBe 0
        Npy.read(empty).shape.dims().toList() shouldBe listOf(0, 4)
    }

    test("a zero-size array with dimensions whose product overflows an int applies, written over itself unchanged") {
        val file = copyOf("f4_empty_large.npy", tempdir().toPath())
        val before = Files.readAllBytes(file)
        for (spec in listOf("max_norm", """{"class_name": "UnitNorm", "config": {"axis": 2}}""", "non_neg")) {
            val (status, _, err) = kerb("apply", "-c", spec, "-i", file.toString(), "-o", file.toString())
            err shouldBe ""
            status shouldBe 0
            Files.readAllBytes(file) shouldBe before
        }
    }

    context("bad input prints one line, exits 2 and changes nothing") {
        val cases = mapOf(
            "unknown constraint" to (listOf("-c", "max_nrom") to
                "kerb apply: Could not interpret constraint identifier 'max_nrom': no constraint is registered " +
                "under that name (did you mean 'max_norm'?). Registered names: "),
            "malformed JSON" to (listOf("-c", """{"class_name": "MaxNorm",""") to "kerb apply: malformed JSON: "),
            "bad config value" to (listOf("-c", """{"class_name": "MaxNorm", "config": {"max_value": "two"}}""") to
                "kerb apply: MaxNorm config key 'max_value' is \"two\"; expected a finite number"),
            "axis out of range" to (listOf("-c", """{"class_name": "MaxNorm", "config": {"axis": 2}}""") to
                "kerb apply: axis 2 is out of range for rank 2 (shape [3, 4]); expected an axis in [-2, 2)"),
            "unregistered constraint" to (listOf("-c", """{"class_name": "MaxNrom", "config": {}}""") to
                "kerb apply: constraint 'MaxNrom' is not registered, so Kerb cannot apply it (did you mean " +
                "'MaxNorm'?); register a ConstraintType named 'MaxNrom'"),
            "missing spec file" to (listOf("-c", "@/nonexistent/spec.json") to
                "kerb apply: constraint file /nonexistent/spec.json does not exist"),
        )
        for ((name, case) in cases) {
            test(name) {
                val dir = tempdir().toPath()
                val array = copyOf("f4_v1.npy", dir)
                val before = Files.readAllBytes(array)
                val run = kerb("apply", *case.first.toTypedArray(), "-i", array.toString(), "-o", array.toString())
                run.status shouldBe 2
                run.err.lines().filter { it.isNotEmpty() } shouldHaveSize 1
                run.err shouldStartWith case.second
                Files.readAllBytes(array).toList() shouldBe before.toList()
                Files.list(dir).use { it.count() } shouldBe 1L
            }
        }
    }

    test("unsupported files are bad input and no output is created") {
        val dir = tempdir().toPath()
        for ((name, message) in listOf(
            "f4_fortran.npy" to "is in Fortran (column-major) order",
            "f4_bigendian.npy" to "has dtype '>f4'",
            "i4.npy" to "has dtype '<i4'",
        )) {
            val out = dir.resolve("out-$name")
            val run = kerb("apply", "-c", "max_norm", "-i", fixture(name).toString(), "-o", out.toString())
            run.status shouldBe 2
            run.err shouldContain message
            out.shouldNotExist()
        }
        val missing = kerb("apply", "-c", "max_norm", "-i", dir.resolve("nope.npy").toString(), "-o", "x.npy")
        missing.status shouldBe 2
        missing.err shouldBe "kerb apply: no such file or directory: ${dir.resolve("nope.npy")}\n"
    }

    test("usage errors exit 2 with one line") {
        val run = kerb("apply", "-c", "max_norm")
        run.status shouldBe 2
        run.err shouldBe "kerb apply: Missing required options: '--input=IN.npy', '--output=OUT.npy' " +
            "(see 'kerb apply --help')\n"
        kerb().status shouldBe 2
        kerb("frobnicate").status shouldBe 2
    }

    test("an internal fault exits 1 with one line and no stack trace") {
        class Broken : Constraint {
            override fun apply(weights: Tensor, options: ApplyOptions): Unit = throw IllegalStateException("boom")
            override fun getConfig(): Map<String, Any> = emptyMap()
        }
        class Rejecting : Constraint { // a bug: apply refuses what check accepted
            override fun apply(weights: Tensor, options: ApplyOptions): Unit = throw IllegalArgumentException("no")
            override fun getConfig(): Map<String, Any> = emptyMap()
        }
        val registry = ConstraintRegistry.defaultRegistry().with(
            ConstraintType.builder("KerbTestBroken", Broken::class.java).factory { Broken() }.build(),
            ConstraintType.builder("KerbTestRejecting", Rejecting::class.java).factory { Rejecting() }.build())
        val dir = tempdir().toPath()
        val array = copyOf("f4_v1.npy", dir)
        for ((name, error) in listOf("KerbTestBroken" to "java.lang.IllegalStateException: boom",
                "KerbTestRejecting" to "java.lang.IllegalArgumentException: no")) {
            val run = kerbWith(registry, "apply", "-c", name, "-i", array.toString(), "-o", dir.resolve("o.npy").toString())
            run.status shouldBe 1
            run.err shouldBe "kerb apply: internal error: $error\n"
        }
        ConstraintRegistry.defaultRegistry().lookup("KerbTestBroken").shouldBeEmpty()
    }
})
