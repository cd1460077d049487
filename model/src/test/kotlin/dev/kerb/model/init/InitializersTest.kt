package dev.kerb.model.init

import dev.kerb.core.DType
import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.model.catalog.LayerCatalog
import dev.kerb.registry.ConfigException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.double
import kotlinx.serialization.json.int
import kotlinx.serialization.json.intOrNull
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.util.SplittableRandom
import kotlin.math.abs
import kotlin.math.sqrt

/**
 * Every initializer against Keras 3.15.1's own samples: `init/keras3.15.1/initializer-fixtures.json`, which
 * `make_initializer_fixtures.py` (beside it) wrote, gives for each initializer, shape and dtype the mean, variance and
 * bounds of Keras' pooled draws (and Orthogonal's distance from orthogonality, Identity's values, Keras' errors), and
 * the fans Keras computes for plain shapes and for the kernels of real layers.
 */
class InitializersTest : FunSpec({
    val fixtures = Json.parseToJsonElement(InitializersTest::class.java
        .getResource("/init/keras3.15.1/initializer-fixtures.json")!!.readText()).jsonObject
    val registry = InitializerRegistry.builtins()

    fun ints(element: JsonElement?): IntArray = element!!.jsonArray.map { it.jsonPrimitive.int }.toIntArray()
    fun intList(element: JsonElement?): List<Int>? = (element as? JsonArray)?.map { it.jsonPrimitive.int }

    /** Draws [draws] tensors of [shape] as Keras' pooled draws did, each from its own stream. */
    fun draw(initializer: Initializer, shape: IntArray, dtype: DType, draws: Int): DoubleArray {
        val size = shape.fold(1) { n, d -> n * d }
        val out = DoubleArray(size * draws)
        repeat(draws) { d ->
            val tensor = if (dtype == DType.FLOAT32) Tensor.of(FloatArray(size), Shape.of(*shape))
                else Tensor.of(DoubleArray(size), Shape.of(*shape))
            initializer.initialize(tensor, SplittableRandom(d.toLong()))
            for (i in 0 until size) out[d * size + i] = tensor.get(i)
        }
        return out
    }

    for (case in fixtures.getValue("samples").jsonArray.map { it.jsonObject }) {
        val config = case.getValue("config").jsonObject
        val className = config.getValue("class_name").jsonPrimitive.content
        val shape = ints(case["shape"])
        val dtype = if ((case["dtype"] as? JsonPrimitive)?.content == "float64") DType.FLOAT64 else DType.FLOAT32
        // Identity's config drops its gain (Keras 3.15.1), so the constructor's arguments are the config to read.
        val dict = JsonObject(mapOf("class_name" to JsonPrimitive(className), "config" to case.getValue("arguments")))
        test("$className ${case["arguments"]} ${shape.toList()} $dtype") {
            val initializer = registry.fromJson(dict, "test")
            val error = (case["error"] as? JsonPrimitive)?.content
            if (error != null) {
                val e = shouldThrow<IllegalArgumentException> { draw(initializer, shape, dtype, 1) }
                e.message shouldBe error
                return@test
            }
            val draws = case.getValue("draws").jsonPrimitive.int
            val values = draw(initializer, shape, dtype, draws)
            (case["values"] as? JsonArray)?.let { expected ->
                values.toList() shouldBe flatten(expected)
            }
            val n = values.size
            val mean = values.average()
            val variance = values.sumOf { (it - mean) * (it - mean) } / n
            val kerasMean = case.getValue("mean").jsonPrimitive.double
            val kerasVariance = case.getValue("variance").jsonPrimitive.double
            // Two estimates of one mean differ by at most 6 standard errors of their difference; the same for the
            // variance, whose standard error is at most sqrt(2/n) relative for these distributions.
            withClue("mean") { mean shouldBe (kerasMean plusOrMinus 6 * sqrt(2 * kerasVariance / n) + 1e-12) }
            withClue("variance") { variance shouldBe (kerasVariance plusOrMinus 6 * sqrt(2.0 / n) * kerasVariance + 1e-12) }
            val kerasMin = case.getValue("min").jsonPrimitive.double
            val kerasMax = case.getValue("max").jsonPrimitive.double
            // Normal draws and the entries of a random orthogonal matrix have no bound both samples reach.
            val unbounded = className == "RandomNormal" || className == "Orthogonal" ||
                config.toString().contains("untruncated_normal")
            if (!unbounded) {
                // Bounded distributions: both sample ranges reach within 2% of the bounds.
                val range = kerasMax - kerasMin
                withClue("min") { values.min() shouldBe (kerasMin plusOrMinus 0.02 * range + 1e-12) }
                withClue("max") { values.max() shouldBe (kerasMax plusOrMinus 0.02 * range + 1e-12) }
            }
            (case["orthogonality"] as? JsonPrimitive)?.takeUnless { it is JsonNull }?.double?.let { keras ->
                val gain = (case.getValue("arguments").jsonObject["gain"] as? JsonPrimitive)?.double ?: 1.0
                val worst = (0 until draws).maxOf { d -> orthogonality(values, d, shape, gain) }
                withClue("orthogonality, Keras ${keras}") { worst shouldBeLessThan maxOf(1e-5, 10 * keras) }
            }
        }
    }

    for (case in fixtures.getValue("shape_fans").jsonArray.map { it.jsonObject }) {
        val shape = ints(case["shape"])
        test("fans of ${shape.toList()} ${case["input_axes"]} ${case["output_axes"]}") {
            fans(shape, intList(case["input_axes"]), intList(case["output_axes"])) shouldBe
                (case.getValue("fan_in").jsonPrimitive.int.toLong() to case.getValue("fan_out").jsonPrimitive.int.toLong())
        }
    }

    for (case in fixtures.getValue("layer_fans").jsonArray.map { it.jsonObject }) {
        val className = case.getValue("class_name").jsonPrimitive.content
        val config = case.getValue("config").jsonObject
        val input = case.getValue("input_shape").jsonArray.map { (it as? JsonPrimitive)?.intOrNull }
        test("fans of $className ${config["name"]}'s variables") {
            val kerb = LayerCatalog.variables(className, config, listOf(input))!!.associate { (path, v) -> path to v.shape }
            // Keras' recurrent layers also hold a seed generator's state, which is not a weight Kerb writes.
            for (variable in case.getValue("variables").jsonArray.map { it.jsonObject }
                .filter { !it.getValue("path").jsonPrimitive.content.contains("seed_generator") }) {
                val path = variable.getValue("path").jsonPrimitive.content
                val shape = ints(variable["shape"])
                withClue(path) {
                    kerb[path] shouldBe shape.toList()
                    fans(shape) shouldBe (variable.getValue("fan_in").jsonPrimitive.int.toLong() to
                        variable.getValue("fan_out").jsonPrimitive.int.toLong())
                }
            }
        }
    }

    test("a large Orthogonal, whose reflections run on every core, is orthogonal and the same for the same seed") {
        val shape = intArrayOf(500, 300)
        val orthogonal = registry.get(mapOf("class_name" to "Orthogonal", "config" to mapOf("gain" to 1.0)))
        val values = draw(orthogonal, shape, DType.FLOAT64, 1)
        orthogonality(values, 0, shape, 1.0) shouldBeLessThan 1e-12
        draw(orthogonal, shape, DType.FLOAT64, 1).toList() shouldBe values.toList()
    }

    test("names of every generation resolve to the same initializer") {
        val shape = intArrayOf(40, 30)
        fun values(identifier: Any?) = draw(registry.get(identifier), shape, DType.FLOAT64, 1).toList()
        val keras3 = values(mapOf("module" to "keras.initializers", "class_name" to "GlorotUniform",
            "config" to mapOf("seed" to null), "registered_name" to null))
        values("glorot_uniform") shouldBe keras3
        values("glorotUniform") shouldBe keras3
        values(mapOf("className" to "VarianceScaling", "config" to mapOf("scale" to 1.0, "mode" to "fanAvg",
            "distribution" to "uniform"))) shouldBe keras3
        values(mapOf("class_name" to "VarianceScaling", "config" to mapOf("scale" to 1.0, "mode" to "fan_avg",
            "distribution" to "uniform", "seed" to null))) shouldBe keras3
        values("Zeros") shouldBe values("zero")
        values("uniform") shouldBe values(mapOf("class_name" to "RandomUniform", "config" to emptyMap<String, Any>()))
    }

    test("an unknown initializer is named with how to register one, and a registered one resolves") {
        val e = shouldThrow<ConfigException> { registry.get(mapOf("class_name" to "Halves",
            "registered_name" to "my_pkg>Halves", "config" to emptyMap<String, Any>()), "layer 'd' kernel_initializer") }
        e.message shouldBe "layer 'd' kernel_initializer: unknown initializer 'Halves'; register it with " +
            "InitializerRegistry.defaultRegistry().register(\"my_pkg>Halves\", factory)"
        val custom = InitializerRegistry.builtins().register("my_pkg>Halves") { config ->
            Initializer { values, _ -> for (i in 0 until values.size()) values.set(i, config["value"] as Double) }
        }
        val values = draw(custom.get(mapOf("class_name" to "Halves", "registered_name" to "my_pkg>Halves",
            "config" to mapOf("value" to 0.5))), intArrayOf(3), DType.FLOAT32, 1)
        values.toList() shouldBe listOf(0.5, 0.5, 0.5)
        shouldThrow<IllegalArgumentException> { custom.register("my_pkg>Halves") { Initializer { _, _ -> } } }
            .message shouldContain "already registered"
    }

    test("a config Keras refuses is refused with Keras' reason") {
        shouldThrow<ConfigException> { registry.get(mapOf("class_name" to "VarianceScaling",
            "config" to mapOf("scale" to -1.0))) }.message shouldBe
            "initializer: VarianceScaling: Argument `scale` must be positive float. Received: scale=-1.0"
        shouldThrow<ConfigException> { registry.get(mapOf("class_name" to "VarianceScaling",
            "config" to mapOf("mode" to "fan_sum"))) }.message shouldContain "Invalid `mode` argument: fan_sum"
    }
})

private fun flatten(element: JsonElement): List<Double> =
    if (element is JsonArray) element.flatMap(::flatten) else listOf(element.jsonPrimitive.double)

/** The largest entry of |M'M / gain² - I| (or of MM' for a wide M) of draw [d] viewed as Keras views it. */
private fun orthogonality(values: DoubleArray, d: Int, shape: IntArray, gain: Double): Double {
    val cols = shape.last()
    val rows = shape.fold(1) { n, x -> n * x } / cols
    val offset = d * rows * cols
    fun m(r: Int, c: Int) = values[offset + r * cols + c]
    val tall = rows >= cols
    val k = if (tall) cols else rows
    var worst = 0.0
    for (i in 0 until k) for (j in 0 until k) {
        var dot = 0.0
        if (tall) for (r in 0 until rows) dot += m(r, i) * m(r, j) else for (c in 0 until cols) dot += m(i, c) * m(j, c)
        worst = maxOf(worst, abs(dot / (gain * gain) - if (i == j) 1.0 else 0.0))
    }
    return worst
}
