package dev.kerb.model.summary

import dev.kerb.model.ModelSpec
import dev.kerb.registry.ConfigException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe

/**
 * Layers a config leaves unnamed get the names Keras 3.15.1 gives them on loading, so each has variables of its own;
 * a model whose layers share a name is refused, as Keras refuses it.
 */
class LayerNamesTest : FunSpec({
    fun dense(units: Int, name: String? = null) =
        """{"class_name": "Dense", "config": {${name?.let { "\"name\": \"$it\", " } ?: ""}"units": $units}}"""

    fun sequential(name: String?, vararg layers: String) =
        """{"class_name": "Sequential", "config": {"name": ${name?.let { "\"$it\"" }}, "layers": [${layers.joinToString()}]}}"""

    val input = """{"class_name": "InputLayer", "config": {"batch_shape": [null, 4]}}"""

    test("unnamed layers are named and numbered in the order Keras creates them") {
        // Keras 3.15.1 loads this config as model 'sequential' with layers dense, sequential_1 (holding dense_1) and
        // dense_2, and weight paths sequential/dense/kernel, ..., sequential/sequential_1/dense_1/kernel, ....
        val spec = ModelSpec.parse(sequential(null, input, dense(3), sequential(null, dense(5)), dense(2)))
        spec.summary().name shouldBe "sequential"
        spec.summary().layers.map { it.name } shouldContainExactly listOf("dense", "sequential_1", "dense_2")
        val weights = spec.initialWeights(0)
        weights.names shouldContainExactly listOf("dense/kernel", "dense/bias", "sequential_1/dense_1/kernel",
            "sequential_1/dense_1/bias", "dense_2/kernel", "dense_2/bias")
        weights.shape("dense_2/kernel").dims().toList() shouldBe listOf(5, 2)
    }

    test("a name a layer gives itself is kept and not counted") {
        val spec = ModelSpec.parse(sequential("net", input, dense(3, "dense_1"), dense(2)))
        spec.initialWeights(0).names shouldContainExactly listOf("dense_1/kernel", "dense_1/bias", "dense/kernel",
            "dense/bias")
    }

    test("layers sharing a name are refused, naming the model and the name") {
        val spec = ModelSpec.parse(sequential("net", input, dense(3, "d"), dense(2, "d")))
        shouldThrow<ConfigException> { spec.initialWeights(0) }.message shouldBe
            "model 'net' has 2 layers named 'd'; Keras requires each layer of a model to have a name of its own"
        shouldThrow<ConfigException> { CallGraph.of(spec) }.message shouldBe
            "model 'net' has 2 layers named 'd'; Keras requires each layer of a model to have a name of its own"
    }
})
