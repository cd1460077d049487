package dev.kerb.cli

import dev.kerb.model.io.KerasJson
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain
import java.nio.file.Files
import java.nio.file.Path

/**
 * Defects found by running Kerb against models Keras 3.15.1 built and saved (`models/keras3.15.1/make_fixtures.py`),
 * each checked by hand against Keras 3.15.1: what Kerb writes there, Keras loads.
 */
class KerasFidelityTest : FunSpec({
    fun model(name: String): String =
        Path.of(KerasFidelityTest::class.java.getResource("/models/$name")!!.toURI()).toString()

    fun json(path: Path): Any? = KerasJson.parse(Files.readString(path))

    @Suppress("UNCHECKED_CAST")
    fun layer(document: Any?, name: String): Map<String, Any?> =
        ((document as Map<String, Any?>)["config"] as Map<String, Any?>)["layers"].let { layers ->
            (layers as List<Map<String, Any?>>).single { (it["config"] as Map<*, *>)["name"] == name }
        }

    fun tensor(history: List<Any>) = mapOf("class_name" to "__keras_tensor__",
        "config" to mapOf("shape" to listOf(null, 3, 2), "dtype" to "float32", "keras_history" to history))

    for (file in listOf("keras3.15.1/mha.json", "keras3.15.1/mha.keras")) {
        test("$file: attention's value stays a keyword argument through Keras 2 and back (Keras 3 loads it)") {
            val dir = tempdir().toPath()
            kerb("convert", model(file), "--to", "keras2", "-o", dir.resolve("k2.json").toString()).status shouldBe 0
            // tf.keras 2's own form for MultiHeadAttention(...)(x, x).
            layer(json(dir.resolve("k2.json")), "mha")["inbound_nodes"] shouldBe
                listOf(listOf(listOf("x", 0, 0, mapOf("value" to listOf("x", 0, 0)))))
            kerb("convert", dir.resolve("k2.json").toString(), "--to", "keras3", "-o", dir.resolve("k3.json").toString())
                .status shouldBe 0
            layer(json(dir.resolve("k3.json")), "mha")["inbound_nodes"] shouldBe
                listOf(mapOf("args" to listOf(tensor(listOf("x", 0, 0))), "kwargs" to mapOf("value" to tensor(listOf("x", 0, 0)))))
        }
    }

    val centerAround = mapOf("module" to null, "class_name" to "CenterAround", "config" to mapOf("ref_value" to 0.5),
        "registered_name" to "Custom>CenterAround")

    test("describe gives Keras 3's dict for a shared custom constraint: no shared_object_id (a Python object id)") {
        val (status, out, _) = kerb("describe", "--json", model("keras3.15.1/shared_custom.keras"))
        status shouldBe 0
        out shouldNotContain "shared_object_id"
        (KerasJson.parse(out) as List<*>).map { (it as Map<*, *>)["constraint"] } shouldBe listOf(centerAround, centerAround)
    }

    test("describe gives Keras 3's dict for a Keras 2 'package>Name' custom constraint") {
        val keras2 = tempdir().toPath().resolve("k2.json")
        kerb("convert", model("keras3.15.1/shared_custom.keras"), "--to", "keras2", "-o", keras2.toString())
        (layer(json(keras2), "d1")["config"] as Map<*, *>)["kernel_constraint"] shouldBe
            mapOf("class_name" to "Custom>CenterAround", "config" to mapOf("ref_value" to 0.5))
        val (status, out, _) = kerb("describe", "--json", keras2.toString())
        status shouldBe 0
        (KerasJson.parse(out) as List<*>).map { (it as Map<*, *>)["constraint"] } shouldBe listOf(centerAround, centerAround)
    }

    test("tf.keras' RadialConstraint goes to Keras 3 as a class Keras 3 finds in custom_objects, with a warning") {
        val keras3 = tempdir().toPath().resolve("k3.json")
        val (status, _, err) = kerb("convert", model("radial-tfkeras2.12.json"), "--to", "keras3", "-o", keras3.toString())
        status shouldBe 0
        err.lines() shouldContain "kerb convert: warning: class 'RadialConstraint' is tf.keras 2 only, not a Keras 3 " +
            "built-in (in conv2d); written with registered_name 'RadialConstraint', so Keras 3 loads it with " +
            "custom_objects={'RadialConstraint': ...}"
        (layer(json(keras3), "conv2d")["config"] as Map<*, *>)["kernel_constraint"] shouldBe mapOf("module" to null,
            "class_name" to "RadialConstraint", "config" to emptyMap<String, Any>(), "registered_name" to "RadialConstraint")
    }
})
