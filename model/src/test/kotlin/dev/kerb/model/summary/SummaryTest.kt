package dev.kerb.model.summary

import dev.kerb.model.LayerSummary
import dev.kerb.model.ModelSpec
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldNotBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.double
import kotlinx.serialization.json.long

/**
 * `summary()` against Keras 3.15.1's `model.summary()` on the models of `catalog/summaries/`, which
 * `make_catalog_summaries.py` (beside them) built in Keras and summarized: the text byte for byte once Kerb's
 * constraint rows are taken out, and every row's shape, parameter counts and connections.
 */
class SummaryTest : FunSpec({
    val names = listOf("attention_block", "bilstm_timedistributed", "cnn", "constraints", "einsum_embedding",
        "float64_mlp", "long_names", "lstm_state", "mixed_float16_cnn", "mlp", "nested", "sequential_nested",
        "two_in_two_out", "unbuilt")

    fun resource(name: String): String? = SummaryTest::class.java.getResource("/catalog/summaries/$name")?.readText()

    for (name in names) {
        val spec = ModelSpec.parse(resource("$name.json")!!)
        test("$name: the text is Keras' model.summary() once the constraint rows are taken out") {
            withoutConstraintRows(spec.summary().toText()) shouldBe resource("$name.txt")
        }
        resource("$name.expanded.txt")?.let { expanded ->
            test("$name: expand_nested gives Keras' rows for the nested models' layers") {
                withoutConstraintRows(spec.summary().toText(expandNested = true)) shouldBe expanded
            }
        }
        test("$name: each row's output shape, parameter counts and connections are Keras'") {
            val keras = Json.parseToJsonElement(resource("$name.summary.json")!!).jsonObject
            val summary = spec.summary()
            val rows = keras.getValue("layers").jsonArray.map { it.jsonObject }
            summary.layers.map { it.name } shouldBe rows.map { it.getValue("name").jsonPrimitive.content }
            for ((layer, row) in summary.layers.zip(rows)) withClue(layer.name) { compare(layer, row) }
            for (key in listOf("total_params", "trainable_params", "non_trainable_params", "trainable_bytes",
                    "non_trainable_bytes")) {
                withClue(key) { totals(summary).getValue(key).toDouble() shouldBe keras.getValue(key).jsonPrimitive.double }
            }
        }
    }

    test("a class Kerb does not model leaves the shapes after it unknown, in one note naming it and the layers") {
        val layer = { cls: String, name: String, config: String ->
            """{"module": "keras.layers", "class_name": "$cls", "config": {"name": "$name"$config}, "registered_name": null}"""
        }
        val spec = ModelSpec.parse("""{"module": "keras", "class_name": "Sequential", "config": {"name": "q", "layers": [
            ${layer("InputLayer", "in", ", \"batch_shape\": [null, 8]")}, ${layer("Dense", "before", ", \"units\": 4")},
            ${layer("QDense", "quantized", ", \"units\": 3")}, ${layer("Dense", "after", ", \"units\": 2")},
            ${layer("Flatten", "flat", "")}]}, "registered_name": null}""")
        val summary = spec.summary()
        summary.notes shouldBe listOf("Kerb does not model class QDense (layer quantized); shapes after it are unknown " +
            "(after, flat)")
        summary.misfit shouldBe null
        summary.layers.map { it.outputShapes } shouldBe listOf(listOf(listOf(null, 4)), null, null, null)
        summary.layers.map { it.params } shouldBe listOf(36L, null, null, 0L)
        summary.totalParams shouldBe 36L
        summary.toText() shouldContain "│ quantized (QDense)                   │ ?                           │               ? │"
        summary.toText() shouldContain " Note: Kerb does not model class QDense (layer quantized); shapes after it are unknown"
    }

    test("a layer whose inputs do not fit is named as Keras would refuse it, and reading stays lenient") {
        val spec = ModelSpec.parse("""{"module": "keras", "class_name": "Sequential", "config": {"name": "m", "layers": [
            {"module": "keras.layers", "class_name": "InputLayer", "config": {"name": "in", "batch_shape": [null, 6]}},
            {"module": "keras.layers", "class_name": "Reshape", "config": {"name": "r", "target_shape": [4]}},
            {"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 2}}]}}""")
        val summary = spec.summary()
        summary.misfit?.message shouldBe "layer 'r' (Reshape) cannot take input (None, 6): The total size of the " +
            "tensor must be unchanged. Received: input_shape=(6,), target_shape=(4,)"
        summary.layers.map { it.outputShapes } shouldBe listOf(null, null)
        summary.toText() shouldContain " Misfit: layer 'r' (Reshape) cannot take input (None, 6)"
    }

    test("a graph 20,000 layers deep fits the stack, and a cycle ends with unknown shapes instead of hanging") {
        fun tensor(from: String) = """{"class_name": "__keras_tensor__", "config": {"shape": [null, 4], "keras_history": ["$from", 0, 0]}}"""
        fun functional(layers: List<String>, output: String) = ModelSpec.parse("""{"module": "keras", "class_name":
            "Functional", "config": {"name": "f", "layers": [{"class_name": "InputLayer", "name": "x", "config":
            {"name": "x", "batch_shape": [null, 4]}, "inbound_nodes": []}, ${layers.joinToString(", ")}],
            "input_layers": ["x", 0, 0], "output_layers": ["$output", 0, 0]}}""")
        fun relu(name: String, from: String) = """{"class_name": "ReLU", "name": "$name", "config": {"name": "$name"},
            "inbound_nodes": [{"args": [${tensor(from)}], "kwargs": {}}]}"""
        val deep = functional(List(20_000) { i -> relu("r$i", if (i == 0) "x" else "r${i - 1}") }, "r19999").summary()
        deep.layers.size shouldBe 20_001
        deep.layers.last().outputShapes shouldBe listOf(listOf(null, 4))
        val cycle = functional(listOf(relu("a", "b"), relu("b", "a")), "b").summary()
        cycle.layers.map { it.name }.toSet() shouldBe setOf("a", "b")
        cycle.layers.map { it.outputShapes } shouldBe listOf(null, null)
    }

    test("the constraint rows mark exactly the layers that carry constraints, one line per constraint") {
        val summary = ModelSpec.parse(resource("constraints.json")!!).summary()
        val marked = summary.layers.filter { it.constraints.isNotEmpty() }
        marked.shouldNotBeEmpty()
        val text = summary.toText(lineLength = 240)
        for (layer in marked) for (c in layer.constraints) text shouldContain "${SummaryText.CONSTRAINT_MARK}${c.key}: ${c.constraint}"
        text.lines().count { it.startsWith("│ ${SummaryText.CONSTRAINT_MARK}") } shouldBe marked.sumOf { it.constraints.size }
    }
})

/** The shape, counts and connections of one row against Keras' record of it. */
internal fun compare(layer: LayerSummary, row: JsonObject) {
    layer.className shouldBe row.getValue("class_name").jsonPrimitive.content
    outputShape(layer.outputShapes) shouldBe row["output_shape"]
    layer.params shouldBe row.getValue("params").jsonPrimitive.long
    layer.trainableParams shouldBe row.getValue("trainable_params").jsonPrimitive.long
    layer.nonTrainableParams shouldBe row.getValue("non_trainable_params").jsonPrimitive.long
    layer.inbound shouldBe row.getValue("inbound").jsonArray.map { it.jsonPrimitive.content }
}

internal fun outputShape(shapes: List<List<Int?>>?): JsonElement = when {
    shapes == null -> JsonNull
    shapes.size == 1 -> JsonArray(shapes[0].map { JsonPrimitive(it) })
    else -> JsonArray(shapes.map { s -> JsonArray(s.map { JsonPrimitive(it) }) })
}

internal fun totals(summary: dev.kerb.model.ModelSummary) = mapOf(
    "total_params" to summary.totalParams, "trainable_params" to summary.trainableParams,
    "non_trainable_params" to summary.nonTrainableParams, "trainable_bytes" to summary.trainableBytes,
    "non_trainable_bytes" to summary.nonTrainableBytes)

/**
 * Removes the rows Kerb adds for constraints: a table row (the lines between two rule lines) whose first cell starts
 * with the constraint mark, together with the rule line above it.
 */
internal fun withoutConstraintRows(text: String): String {
    val lines = text.split("\n")
    val out = ArrayList<String>()
    var i = 0
    while (i < lines.size) {
        if (lines[i].startsWith("├") && lines.getOrNull(i + 1)?.startsWith("│ ${SummaryText.CONSTRAINT_MARK}") == true) {
            i++
            while (i < lines.size && lines[i].startsWith("│")) i++
            continue
        }
        out += lines[i++]
    }
    return out.joinToString("\n")
}
