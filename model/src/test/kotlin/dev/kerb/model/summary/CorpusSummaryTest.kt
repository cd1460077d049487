package dev.kerb.model.summary

import dev.kerb.model.LayerSummary
import dev.kerb.model.ModelSpec
import dev.kerb.model.ModelSummary
import dev.kerb.registry.UnresolvedConstraint
import dev.kerb.testdata.KerasCorpus
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldNotBeEmpty
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.double
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long

/**
 * `summary()` of every file of the Keras corpus against Keras 3.15.1's own summary of it, as
 * `catalog/corpus-summaries.json` records it: `make_catalog_summaries.py` (beside it) converts each file with
 * `kerb convert --to keras3`, as Kerb's users do, and has Keras load that. Kerb summarizes the original file; rows,
 * class names, output shapes, parameter counts, connections and totals must be Keras'. Where Keras cannot load the file
 * because it uses a custom class, Kerb's summary must say so: a custom layer class in a note, a custom constraint class
 * among the layers' constraints.
 */
class CorpusSummaryTest : FunSpec({
    val corpus = Json.parseToJsonElement(
        CorpusSummaryTest::class.java.getResource("/catalog/corpus-summaries.json")!!.readText()).jsonObject
    val records = corpus.getValue("files").jsonArray.map { it.jsonObject }

    test("the record covers every corpus file, and Keras fails only on custom classes") {
        records.map { it.string("file") } shouldBe KerasCorpus.modelFiles()
        for (record in records.filter { "summary" !in it }) withClue(record.string("file")) {
            withClue(record["error"]) { record["custom_class"].shouldNotBeNull() }
        }
    }

    for (record in records) {
        val file = record.string("file")
        val keras = record["summary"]?.jsonObject
        if (keras != null) {
            test("$file: rows, output shapes, parameter counts and totals are Keras' after kerb convert --to keras3") {
                val summary = ModelSpec.read(KerasCorpus.file(file)).summary()
                summary.className shouldBe keras.string("class_name")
                val rows = keras.getValue("layers").jsonArray.map { it.jsonObject }
                summary.layers.map { it.name } shouldBe rows.map { it.string("name") }
                for ((layer, row) in summary.layers.zip(rows)) withClue(layer.name) { compare(layer, row) }
                for ((key, value) in totals(summary)) {
                    withClue(key) { value.toDouble() shouldBe keras.getValue(key).jsonPrimitive.double }
                }
            }
        } else {
            val custom = record.string("custom_class")
            test("$file: Keras cannot load $custom, and Kerb's summary names it") {
                val summary = ModelSpec.read(KerasCorpus.file(file)).summary()
                val word = Regex("\\b${Regex.escape(custom)}\\b")
                if (summary.allLayers().any { it.className == custom }) {
                    withClue("notes ${summary.notes}") { summary.notes.any { word.containsMatchIn(it) } shouldBe true }
                } else {
                    // A custom constraint (Kerb knows hls4ml's ZeroSomeWeights, and carries others as they are):
                    // the layers that have it list it, and every shape is known.
                    summary.allLayers().flatMap { it.constraints }.filter {
                        it.constraint.javaClass.simpleName == custom ||
                            (it.constraint as? UnresolvedConstraint)?.className() == custom
                    }.shouldNotBeEmpty()
                    summary.notes shouldBe emptyList()
                }
            }
        }
    }
})

private fun JsonObject.string(key: String): String = getValue(key).jsonPrimitive.content

private fun ModelSummary.allLayers(): List<LayerSummary> {
    fun walk(layers: List<LayerSummary>): List<LayerSummary> = layers.flatMap { listOf(it) + walk(it.layers) }
    return walk(layers)
}
