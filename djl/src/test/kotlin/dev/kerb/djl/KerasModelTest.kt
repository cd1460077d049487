package dev.kerb.djl

import ai.djl.ndarray.NDList
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.kerb.model.ModelSpec
import dev.kerb.model.Weights
import dev.kerb.registry.ConfigException
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Path

/** A Keras file trained in DJL and written back reads as it was left; misuse fails in one line naming what is wrong. */
class KerasModelTest : FunSpec() {
    private val folder = KerasFixtures.ROOT.resolve("models")

    init {
        test("a model trained in DJL and saved predicts the same after loading") {
            val dir = tempdir().toPath()
            val file = folder.resolve("cnn_sequential.keras")
            val json = KerasFixtures.json("models", "cnn_sequential")
            NDManager.newBaseManager().use { manager ->
                val x = KerasFixtures.ndList(manager, KerasFixtures.arrays(json, "inputs"))
                val y = NDList(manager.create(floatArrayOf(0f, 2f)))
                val saved = dir.resolve("trained.keras")
                val before: DoubleArray
                val after: DoubleArray
                KerasDjl.load(file).use { model ->
                    before = model.predict(x).head().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray()
                    model.fit(x, y, KerasLoss.of("sparse_categorical_crossentropy"), KerasOptimizer.sgd(0.5), epochs = 3)
                    after = model.predict(x).head().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray()
                    model.save(saved)
                }
                KerasFixtures.relativeError(after, before) shouldBeGreaterThan 1e-3
                KerasDjl.load(saved).use { reloaded ->
                    val again = reloaded.predict(x).head().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray()
                    KerasFixtures.relativeError(again, after) shouldBeLessThanOrEqual 1e-6
                    reloaded.constraints.attachments.size shouldBe ModelSpec.read(file).constraints().size
                }
            }
        }

        test("weights of another model are refused naming the variable") {
            val spec = ModelSpec.read(folder.resolve("mlp_sequential.keras"))
            val other = Weights.read(folder.resolve("cnn_sequential.keras"))
            shouldThrow<ConfigException> { KerasDjl.model(spec, other) }.message shouldContain "variable"
        }

        test("an input of the wrong shape is refused naming the input") {
            KerasDjl.load(folder.resolve("two_inputs_two_outputs.keras")).use { model ->
                NDManager.newBaseManager().use { manager ->
                    val inputs = NDList(model.inputShapes.map { dims ->
                        manager.zeros(Shape(2, *dims.drop(1).map { (it!! + 1).toLong() }.toLongArray()))
                    })
                    val message = shouldThrow<ConfigException> { model.predict(inputs) }.message!!
                    message shouldContain "input '${model.inputNames[0]}' has shape"
                    message.lines().size shouldBe 1
                }
            }
        }

        test("an unregistered custom constraint lets the model predict and stops training before a step") {
            val spec = ModelSpec.parse("""{"class_name": "Sequential", "config": {"name": "s", "layers": [
                {"class_name": "InputLayer", "config": {"name": "in", "batch_shape": [null, 3]}},
                {"class_name": "Dense", "config": {"name": "d", "units": 2, "kernel_constraint":
                  {"module": null, "class_name": "CenterAround", "config": {"ref_value": 0.5},
                   "registered_name": "Custom>CenterAround"}}}]}}""")
            KerasDjl.model(spec, spec.initialWeights(3)).use { model ->
                NDManager.newBaseManager().use { manager ->
                    val x = NDList(manager.ones(Shape(4, 3)))
                    model.predict(x).head().shape shouldBe Shape(4, 2)
                    val kernel = model.weights()["d/kernel"]
                    val message = shouldThrow<ConfigException> {
                        model.fit(x, NDList(manager.zeros(Shape(4, 2))), KerasLoss.of("mse"), KerasOptimizer.sgd())
                    }.message!!
                    message shouldContain "layer 'd' kernel_constraint"
                    message shouldContain "not registered"
                    val unchanged = model.weights()["d/kernel"]
                    (0 until kernel.size()).all { kernel.get(it) == unchanged.get(it) } shouldBe true
                }
            }
        }
    }
}
