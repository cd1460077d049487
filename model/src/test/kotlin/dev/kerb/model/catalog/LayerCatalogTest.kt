package dev.kerb.model.catalog

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.int
import kotlinx.serialization.json.intOrNull
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long

/**
 * Every catalog fact against Keras 3.15.1: `catalog/keras-layers.json`, which `make_catalog_fixtures.py` (beside it)
 * wrote from Keras itself, gives for each layer class and config the output shapes, the variables (path, shape,
 * trainable, governing constraint key), the parameter counts, and Keras' error for inputs it refuses.
 */
class LayerCatalogTest : FunSpec({
    val fixtures = Json.parseToJsonElement(LayerCatalogTest::class.java.getResource("/catalog/keras-layers.json")!!.readText())
    val cases = fixtures.jsonObject.getValue("cases").jsonArray.map { it.jsonObject }

    fun dims(element: kotlinx.serialization.json.JsonElement): Dims = element.jsonArray.map { (it as? JsonPrimitive)?.intOrNull }

    val only = System.getProperty("kerb.catalog.only")?.split(',')?.toSet()
    for (case in cases) {
        val id = case.getValue("id").jsonPrimitive.content
        val layer = case["layer"] as? JsonObject ?: continue // Keras refused the constructor: nothing to check
        val className = layer.getValue("class_name").jsonPrimitive.content
        if (only != null && className !in only) continue
        val args = LayerArgs(className, layer["config"] as? JsonObject ?: JsonObject(emptyMap()))
        val inputs = case.getValue("inputs").jsonArray.map(::dims)
        test(id) {
            val type = LayerCatalog.type(className) ?: error("the catalog does not model $className")
            val error = (case["error"] as? JsonPrimitive)?.content
            if (error != null) {
                val misfit = shouldThrow<ShapeMisfit> { LayerCatalog.call(type, args, inputs) }
                misfit.message shouldBe kerasReason(error)
                return@test
            }
            withClue("outputs") { LayerCatalog.call(type, args, inputs) shouldBe case.getValue("outputs").jsonArray.map(::dims) }
            val expected = case.getValue("variables").jsonArray.map { it.jsonObject }.map { v ->
                listOf(v.getValue("path").jsonPrimitive.content.substringAfter("/"), dims(v.getValue("shape")),
                    v.getValue("trainable").jsonPrimitive.content.toBoolean(),
                    (v["constraint_key"] as? JsonPrimitive)?.takeUnless { it is JsonNull }?.content)
            }
            val got = type.weights(args, inputs).flatten().map { (path, v) -> listOf(path, v.shape, v.trainable, v.constraintKey) }
            withClue("variables (path, shape, trainable, constraint key)") { got.sortedBy { it[0].toString() } shouldBe expected.sortedBy { it[0].toString() } }
            withClue("variable order, trainable first") { got.map { it[2] }.sortedByDescending { it as Boolean } shouldBe got.map { it[2] } }
            val weights = type.weights(args, inputs).flatten().map { it.second }
            withClue("params") { weights.sumOf { it.size!! } shouldBe case.getValue("params").jsonPrimitive.long }
            withClue("trainable params") {
                weights.filter { it.trainable }.sumOf { it.size!! } shouldBe case.getValue("trainable_params").jsonPrimitive.long
            }
            withClue("every governing key is an argument Keras 3.15.1's class takes (keras3-arguments.json)") {
                governingKeys(className, type.weights(args, inputs)).filter { (owner, key) ->
                    key !in LayerCatalog.ARGUMENTS_BY_LAYER.getValue(owner)
                } shouldBe emptyList()
            }
            (case["saved_vars"] as? JsonObject)?.let { saved ->
                withClue("saved variable groups") { savedGroups(type.weights(args, inputs)) shouldBe
                    saved.mapValues { (_, names) -> names.jsonArray.map { it.jsonPrimitive.content } }
                        .filterValues { it.isNotEmpty() } }
            }
        }
    }
})

/**
 * Each variable's constraint, initializer and regularizer keys, with the class whose config holds them: a part's own
 * class, or the enclosing layer's for a cell Keras does not export (ConvLSTM's cell takes the ConvLSTM's config).
 */
internal fun governingKeys(className: String, weights: LayerWeights): List<Pair<String, String>> =
    weights.variables.flatMap { v ->
        listOfNotNull(v.constraintKey, v.initializerKey, v.regularizerKey).map { className to it }
    } + weights.parts.flatMap { part ->
        governingKeys(if (part.className in LayerCatalog.ARGUMENTS_BY_LAYER) part.className else className, part.weights)
    }

/** The `vars` groups a `.keras` weights file holds for a layer: `vars`, `cell/vars`, ... with variable names in order. */
internal fun savedGroups(weights: LayerWeights, prefix: String = ""): Map<String, List<String>> {
    val out = LinkedHashMap<String, List<String>>()
    if (weights.variables.isNotEmpty()) out["${prefix}vars"] = weights.variables.map { it.name }
    for (part in weights.parts) out += savedGroups(part.weights, "$prefix${part.attribute}/")
    return out
}

/** Keras' reason in an error it raised, without the wrapping `Layer.call()` adds (whose tensor names vary). */
internal fun kerasReason(error: String): String = error.substringAfter(": ").let { message ->
    Regex("^Exception encountered when calling [^\n]*\n\n\u001b\\[1m(.*)\u001b\\[0m\n\nArguments received by .*$",
        RegexOption.DOT_MATCHES_ALL).find(message)?.groupValues?.get(1) ?: message
}
