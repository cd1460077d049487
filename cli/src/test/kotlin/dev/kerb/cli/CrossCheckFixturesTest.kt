package dev.kerb.cli

import dev.kerb.model.io.KerasJson
import io.kotest.assertions.fail
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path
import kotlin.math.abs

/**
 * The fixed-seed models of the Keras cross-check (`crosscheck/crosscheck.py --seed 20261129 --fixtures ...`): files
 * Keras 3.15.1 wrote and what Keras said about them, checked on any machine without Python. `describe` must list
 * exactly the constraints Keras wrote (int and float kinds kept), and `apply` must match Keras' constraint evaluated
 * in float64 (float32 within 1e-6 relative, float64 within 1e-12).
 */
class CrossCheckFixturesTest : FunSpec({
    val root = Path.of(CrossCheckFixturesTest::class.java.getResource("/crosscheck")!!.toURI())
    val models = Files.list(root).use { s -> s.filter { Files.isDirectory(it) }.sorted().toList() }

    test("the fixtures hold every layer kind of the cross-check, and constraints Keras applied") {
        models.map { it.fileName.toString().substringAfter('_') } shouldBe
            listOf("dense", "conv", "rnn", "attention", "functional", "nested", "embedding")
        models.sumOf { ((KerasJson.parse(Files.readString(it.resolve("keras.json"))) as Map<*, *>)["apply"] as List<*>).size } shouldBeGreaterThanOrEqual 20
    }

    for (model in models) {
        val keras = KerasJson.parse(Files.readString(model.resolve("keras.json"))) as Map<*, *>
        val describe = keras["describe"] as Map<*, *>
        for ((file, expected) in describe) {
            test("${model.fileName}/$file: describe lists what Keras wrote, int and float kinds kept") {
                val (status, out, err) = kerb("describe", "--json", model.resolve(file as String).toString())
                err shouldBe ""
                status shouldBe 0
                // Plain values keep Int versus Double, so 2 and 2.0 differ here as they do in Keras. Kerb names a
                // nested layer by its path (bidirectional/forward_gru); the fixture by its own name.
                val got = (KerasJson.parse(out) as List<*>).map { entry ->
                    (entry as Map<*, *>) - "layer_class" + ("layer" to (entry["layer"] as String).substringAfterLast('/'))
                }
                got shouldContainExactlyInAnyOrder (expected as List<*>)
            }
        }
        test("${model.fileName}: apply matches Keras in float64") {
            val cases = keras["apply"] as List<*>
            for (case in cases.map { it as Map<*, *> }) {
                val out = tempdir().toPath().resolve("out.npy")
                val input = model.resolve(case["input"] as String)
                val (status, _, err) = kerb("apply", "-c", KerasJson.write(case["constraint"]), "-i", input.toString(),
                    "-o", out.toString())
                if (status != 0) fail("${model.fileName} ${case["weight"]} ${case["dtype"]}: kerb apply failed: $err")
                val got = values(Npy.read(out))
                val expected = values(Npy.read(model.resolve(case["expected"] as String)))
                val rtol = (case["rtol"] as Number).toDouble()
                for (i in expected.indices) {
                    if (abs(got[i] - expected[i]) > rtol * abs(expected[i]) + 1e-300) {
                        fail("${model.fileName} ${case["weight"]} ${case["dtype"]} ${KerasJson.write(case["constraint"])} " +
                            "element $i: Keras ${expected[i]}, Kerb ${got[i]}")
                    }
                }
            }
        }
    }
})

private fun values(array: NpyArray): DoubleArray = when (array) {
    is NpyArray.Float32 -> DoubleArray(array.data.size) { array.data[it].toDouble() }
    is NpyArray.Float64 -> array.data
}
