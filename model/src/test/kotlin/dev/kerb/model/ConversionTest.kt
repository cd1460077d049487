package dev.kerb.model

import dev.kerb.model.convert.KerasClasses
import dev.kerb.model.io.KerasJson
import dev.kerb.registry.ConfigException
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.registry.ConstraintFormat
import dev.kerb.testdata.KerasCorpus
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** Conversion between Keras generations keeps every constraint and carries unknown content across unchanged. */
class ConversionTest : FunSpec({
    val files = KerasCorpus.modelFiles()
    val registry = ConstraintRegistry.defaultRegistry()

    /** (layer name, key, the constraint's Keras 3 dict), keys renamed as Keras 2 renamed Keras 1's. */
    fun constraintsOf(spec: ModelSpec): List<Triple<String, String, JsonElement>> = spec.constraints().map {
        val key = mapOf("W_constraint" to "kernel_constraint", "b_constraint" to "bias_constraint")[it.key] ?: it.key
        Triple(it.layer.substringAfterLast('/'), key,
            KerasJson.toElement(registry.serialize(it.constraint, ConstraintFormat.KERAS_3)))
    }

    test("every corpus file converts both ways and back with its constraints identical") {
        files.size shouldBe 27
        for (file in files) {
            val spec = ModelSpec.read(KerasCorpus.file(file))
            val expected = constraintsOf(spec)
            expected.size shouldNotBe 0
            for (chain in listOf(listOf(ModelFormat.KERAS_3, ModelFormat.KERAS_2, ModelFormat.KERAS_3),
                    listOf(ModelFormat.KERAS_2, ModelFormat.KERAS_3, ModelFormat.KERAS_2))) {
                var current = spec
                for (target in chain) {
                    current = current.to(target)
                    val actual = constraintsOf(current)
                    actual.map { it.first to it.second } shouldContainExactly expected.map { it.first to it.second }
                    expected.zip(actual).forEach { (e, a) -> assertSameJson(e.third, a.third, "$file $chain ${e.first}") }
                }
            }
        }
    }

    test("every layer and object keeps its config through Keras 3 and back, but for the keys reported dropped") {
        val droppedLine = Regex("key '(.+)' of (\\w+) is not a Keras 3 argument")
        for (file in files.filter { !it.startsWith("dl4j-keras1") }) {
            val spec = ModelSpec.read(KerasCorpus.file(file))
            for (chain in listOf(listOf(ModelFormat.KERAS_3, ModelFormat.KERAS_2), listOf(ModelFormat.KERAS_2, ModelFormat.KERAS_3))) {
                var current = spec
                val dropped = HashSet<Pair<String, String>>() // (class, key)
                for (target in chain) {
                    val conversion = current.convert(target)
                    conversion.warnings.mapNotNull { droppedLine.find(it) }.forEach { dropped += it.groupValues[2] to it.groupValues[1] }
                    current = ModelSpec.parse(conversion.spec.toJson())
                }
                fun canonical(e: JsonElement) = canonical(e, dropped)
                val after = current.layers().associate { it.path to it }
                for (layer in spec.layers()) {
                    val other = after.getValue(layer.path)
                    // Keras 2 writes a registered class as package>Name, Keras 3 as Name with registered_name.
                    other.className.substringAfter('>') shouldBe layer.className.substringAfter('>')
                    val input = layer.className == "InputLayer"
                    for ((key, value) in layer.config) {
                        if (key in FORMAT_KEYS || key == "dtype" || (key == "batch_input_shape" && !input)) continue
                        if (layer.className.substringAfter('>') to key in dropped) continue
                        val otherKey = if (key == "batch_input_shape") "batch_shape" else key
                        val otherValue = other.config[otherKey] ?: other.config.getValue("batch_input_shape")
                        // tf.keras wrote BatchNormalization's axis as [n]; Keras 3 takes n.
                        fun axis(v: JsonElement) = if (key == "axis" && v is JsonArray && v.size == 1) v[0] else v
                        assertSameJson(canonical(axis(value)), canonical(axis(otherValue)), "$file $chain ${layer.path}.$key",
                            keyOrder = false)
                    }
                }
            }
        }
    }

    test("Keras 2 to Keras 3 writes what Keras 3 writes: the same model saved by Keras 2.4 and by Keras 3.14") {
        val converted = ModelSpec.read(KerasCorpus.file("hls4ml-qkeras-keras2.4-qdense-sequential-custom-clip-kernel-bias.json"))
            .to(ModelFormat.KERAS_3).model
        val real = ModelSpec.read(KerasCorpus.file("hls4ml-qkeras-keras3.14-qdense-sequential-registered-clip.config.json")).model
        fun JsonObject.obj(key: String) = getValue(key) as JsonObject
        converted.keys shouldBe real.keys - setOf("build_config", "compile_config")
        for (key in listOf("module", "class_name", "registered_name")) converted[key] shouldBe real[key]
        converted.obj("config").keys shouldBe real.obj("config").keys
        assertSameJson(withoutSharing(real.obj("config").obj("dtype")), converted.obj("config").obj("dtype"))
        val realLayers = real.obj("config").getValue("layers") as JsonArray
        val layers = converted.obj("config").getValue("layers") as JsonArray
        layers.size shouldBe realLayers.size
        for ((r, c) in realLayers.map { it as JsonObject }.zip(layers.map { it as JsonObject })) {
            c.keys shouldBe r.keys - "build_config"
            c["class_name"] shouldBe r["class_name"]
            val rc = r.obj("config")
            val cc = c.obj("config")
            if (r["module"] == JsonPrimitive("keras.layers")) {
                c["module"] shouldBe r["module"]
                c["registered_name"] shouldBe JsonNull
            }
            if (r["class_name"] == JsonPrimitive("InputLayer")) assertSameJson(rc, cc) // batch_shape, optional, ...
            cc.keys shouldBe rc.keys - "quantization_config" // a Keras 3 Dense key Keras 2 never had
            rc["dtype"]?.let { assertSameJson(withoutSharing(it), cc.getValue("dtype")) }
            for (key in rc.keys.filter { it.endsWith("_constraint") }) {
                assertSameJson(withoutSharing(rc.getValue(key)), cc.getValue(key), key) // module qkeras.qlayers, qkeras>Clip
            }
            for (key in rc.keys.filter { rc[it] is JsonObject && "class_name" in rc.obj(it) }) {
                cc.obj(key).keys shouldBe rc.obj(key).keys - "shared_object_id" // four-key form everywhere
            }
        }
    }

    test("built-in layers and objects converted to Keras 3 use only arguments Keras 3.15.1 accepts") {
        // Keras 3 builds a layer as cls(**config) and refuses unknown keys; the tables come from Keras 3.15.1.
        fun check(e: JsonElement, file: String) {
            when (e) {
                is JsonObject -> {
                    val className = (e["class_name"] as? JsonPrimitive)?.content
                    val config = e["config"] as? JsonObject
                    val accepted = className?.let { KerasClasses.LAYERS[it] ?: KerasClasses.objectArguments(it) }
                    if (config != null && accepted != null && e["module"] != JsonNull) {
                        (config.keys - accepted - "layers").shouldBeEmpty()
                    }
                    e.values.forEach { check(it, file) }
                }
                is JsonArray -> e.forEach { check(it, file) }
                else -> {}
            }
        }
        for (file in files) check(ModelSpec.read(KerasCorpus.file(file)).to(ModelFormat.KERAS_3).model, file)
        val eeg = ModelSpec.read(KerasCorpus.file("artigence-eegnet-tfkeras2.5-functional-depthwise-maxnorm.model_config.json"))
            .convert(ModelFormat.KERAS_3).warnings
        eeg shouldContain "key 'groups' of DepthwiseConv2D is not a Keras 3 argument (in depthwise_conv2d); dropped"
    }

    test("Keras 2 Functional nodes become args and kwargs with __keras_tensor__ references") {
        val source = ModelSpec.read(KerasCorpus.file("artigence-eegnet-tfkeras2.5-functional-depthwise-maxnorm.model_config.json"))
        val inputShape = source.layer("input_1").config.getValue("batch_input_shape")
        val eeg = source.to(ModelFormat.KERAS_3).model
        eeg["module"] shouldBe JsonPrimitive("keras.src.models.functional")
        eeg["registered_name"] shouldBe JsonPrimitive("Functional")
        val config = eeg.getValue("config") as JsonObject
        (config.getValue("input_layers") as JsonArray)[0] shouldBe JsonPrimitive("input_1") // one input: a bare triple
        val second = (config.getValue("layers") as JsonArray)[1] as JsonObject
        val node = (second.getValue("inbound_nodes") as JsonArray).single() as JsonObject
        node.keys shouldBe setOf("args", "kwargs")
        val tensor = (node.getValue("args") as JsonArray).single() as JsonObject
        tensor.toString() shouldBe """{"class_name":"__keras_tensor__","config":{"shape":$inputShape,""" +
            """"dtype":"float32","keras_history":["input_1",0,0]}}"""
    }

    test("classes Kerb does not know get one warning each, naming where they are") {
        val warnings = ModelSpec.read(KerasCorpus.file("hls4ml-qkeras-keras3.14-qdense-sequential-registered-clip.keras"))
            .convert(ModelFormat.KERAS_2).warnings
        warnings.map { it.substringAfter("class '").substringBefore("'") } shouldContainExactly
            listOf("qkeras>QDense", "qkeras>QInitializer", "qkeras>quantized_bits", "qkeras>QActivation",
                "qkeras>quantized_relu")
        warnings[0] shouldBe "class 'qkeras>QDense' is not a Keras built-in (in fc1, fc2, fc3, output); carried " +
            "across with its config unchanged"
    }

    test("converting to the format a file is in changes nothing") {
        for (file in files) {
            val spec = ModelSpec.read(KerasCorpus.file(file))
            if (spec.format !in Conversion.TARGETS) continue
            val same = spec.convert(spec.format)
            same.warnings.shouldBeEmpty()
            same.spec.toJson() shouldBe spec.toJson()
        }
    }

    test("a value of the wrong kind fails with its JSON path, what was expected and what was found") {
        val keras2 = """{"class_name": "Sequential", "keras_version": "2.4.0", "backend": "tensorflow", "config": """
        val keras3 = """{"module": "keras", "class_name": "Sequential", "registered_name": null, "config": """
        val cases = listOf(
            Triple(keras2 + """{"name": "s", "layers": 5}}""", ModelFormat.KERAS_3,
                "the KERAS_2 model Sequential is not well formed: config.layers: expected a list, got 5"),
            Triple(keras2 + """{"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d"}}, 7]}}""",
                ModelFormat.KERAS_3, "the KERAS_2 model Sequential is not well formed: config.layers[1]: expected " +
                    "an object, got 7"),
            Triple(keras2 + """{"name": "s", "layers": [{"class_name": "Sequential", "config": {"layers": "x"}}]}}""",
                ModelFormat.KERAS_3, "the KERAS_2 model Sequential is not well formed: " +
                    "config.layers[0].config.layers: expected a list, got \"x\""),
            Triple(keras3 + """{"name": "s", "layers": [{"config": {"name": "d"}}]}}""", ModelFormat.KERAS_2,
                "the KERAS_3 model Sequential is not well formed: config.layers[0].class_name: expected a string, " +
                    "got nothing"),
            Triple(keras3 + """{"name": "s", "layers": [{"class_name": "Dense", "config": [1, 2]}]}}""",
                ModelFormat.KERAS_2, "the KERAS_3 model Sequential is not well formed: config.layers[0].config: " +
                    "expected an object, got [1,2]"),
            Triple("""{"class_name": "Sequential", "keras_version": "1.2.2", "config": [{"class_name": 3}]}""",
                ModelFormat.KERAS_2, "the KERAS_1 model Sequential is not well formed: config[0].class_name: " +
                    "expected a string, got 3"),
        )
        for ((text, target, message) in cases) {
            shouldThrow<ConfigException> { ModelSpec.parse(text).convert(target) }.message shouldBe message
        }
    }

    test("only Keras 3 and Keras 2 are targets") {
        shouldThrow<IllegalArgumentException> { ModelSpec.read(KerasCorpus.file(files[0])).convert(ModelFormat.TFJS) }.message shouldBe
            "Kerb converts models to KERAS_3 or KERAS_2, not TFJS"
    }
})

/** Drops Keras 3's per-save `shared_object_id`, which identifies Python objects, not config. */
private fun withoutSharing(e: JsonElement): JsonElement = when (e) {
    is JsonObject -> JsonObject(e.filterKeys { it != "shared_object_id" }.mapValues { withoutSharing(it.value) })
    is JsonArray -> JsonArray(e.map(::withoutSharing))
    else -> e
}

/**
 * A layer config with the generation's own shapes taken out: objects as (short class name, config), dtype
 * policies as their names, the input shape under one key, and Keras 3-only defaults dropped.
 */
private fun canonical(e: JsonElement, dropped: Set<Pair<String, String>>, owner: String = ""): JsonElement = when {
    e is JsonObject && e["class_name"] is JsonPrimitive && "config" in e -> {
        val className = (e["class_name"] as JsonPrimitive).content.substringAfter('>')
        if (className == "DTypePolicy" || className == "Policy") ((e["config"] as JsonObject)["name"] ?: JsonNull)
        else JsonObject(mapOf("class" to JsonPrimitive(className),
            "config" to canonical(e.getValue("config"), dropped, className)))
    }
    e is JsonObject -> JsonObject(e.filterKeys { it !in FORMAT_KEYS && owner to it !in dropped }
        .mapKeys { (k, _) -> if (k == "batch_input_shape") "batch_shape" else k }
        .mapValues { canonical(it.value, dropped) })
    e is JsonArray -> JsonArray(e.map { canonical(it, dropped) })
    else -> e
}

private val FORMAT_KEYS = setOf("shared_object_id", "__passive_serialization__", "optional", "quantization_config")
