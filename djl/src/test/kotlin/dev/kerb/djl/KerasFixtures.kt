package dev.kerb.djl

import ai.djl.ndarray.NDList
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.double
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.listDirectoryEntries
import kotlin.io.path.nameWithoutExtension
import kotlin.math.abs

/**
 * The fixtures Keras 3.15.1 wrote with `src/test/resources/keras3.15.1/make_djl_fixtures.py`: a model per case
 * (`.keras`, with its weights) and its inputs and Keras' `predict` outputs (`.json`).
 */
internal object KerasFixtures {
    val ROOT: Path = Path.of(checkNotNull(KerasFixtures::class.java.getResource("/keras3.15.1/make_djl_fixtures.py"))
        .toURI()).parent

    /** One array of a fixture: its shape and values, row-major. */
    class Array(val name: String?, val shape: List<Long>, val data: DoubleArray) {
        fun on(manager: NDManager) = manager.create(data.map { it.toFloat() }.toFloatArray(), Shape(shape))
    }

    /** The cases of folder [kind] (`layers`, `models`, `training`), by name. */
    fun cases(kind: String): List<String> =
        ROOT.resolve(kind).listDirectoryEntries("*.json").map { it.nameWithoutExtension }.sorted()

    fun json(kind: String, case: String): JsonObject =
        Json.parseToJsonElement(Files.readString(ROOT.resolve(kind).resolve("$case.json"))).jsonObject

    fun arrays(json: JsonObject, key: String): List<Array> = json.getValue(key).jsonArray.map { element ->
        val obj = element.jsonObject
        Array(obj["name"]?.jsonPrimitive?.content, obj.getValue("shape").jsonArray.map { it.jsonPrimitive.int.toLong() },
            obj.getValue("data").jsonArray.map { it.jsonPrimitive.double }.toDoubleArray())
    }

    fun ndList(manager: NDManager, arrays: List<Array>) = NDList(arrays.map { it.on(manager) })

    /** The largest difference between [actual] and [expected], relative to [expected]'s largest magnitude. */
    fun relativeError(actual: DoubleArray, expected: DoubleArray): Double {
        val scale = maxOf(expected.maxOfOrNull { abs(it) } ?: 0.0, 1e-30)
        return actual.indices.maxOfOrNull { abs(actual[it] - expected[it]) / scale } ?: 0.0
    }
}
