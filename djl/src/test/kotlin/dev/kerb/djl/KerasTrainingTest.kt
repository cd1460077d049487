package dev.kerb.djl

import ai.djl.ndarray.NDManager
import dev.kerb.core.ApplyOptions
import dev.kerb.core.Tensor
import dev.kerb.model.ModelSpec
import dev.kerb.model.Weights
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.doubles.shouldBeLessThanOrEqual
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.boolean
import kotlinx.serialization.json.double
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

/**
 * Training in DJL takes the steps Keras 3.15.1's `train_on_batch` takes (fixtures from `make_djl_fixtures.py`): from
 * the same start, on the same batch, with the same optimizer, loss and constraints, every weight is within 1e-4 of
 * its largest magnitude after one step and within 1e-3 after ten, and every constraint holds after each step.
 */
class KerasTrainingTest : FunSpec({
    for (case in KerasFixtures.cases("training")) {
        test("$case: one and ten steps match Keras' train_on_batch") {
            val json = KerasFixtures.json("training", case)
            val folder = KerasFixtures.ROOT.resolve("training")
            val start = folder.resolve("$case.start.keras")
            NDManager.newBaseManager().use { manager ->
                KerasDjl.model(ModelSpec.read(start), Weights.read(start)).use { model ->
                    val x = KerasFixtures.ndList(manager, KerasFixtures.arrays(json, "x"))
                    val y = KerasFixtures.ndList(manager, KerasFixtures.arrays(json, "y"))
                    val optimizer = optimizer(json.getValue("optimizer").jsonObject)
                    val loss = KerasLoss.of(json.getValue("loss").jsonPrimitive.content)
                    val batch = x.head().shape[0].toInt()
                    var steps = 0
                    for ((target, tolerance) in listOf(1 to 1e-4, 10 to 1e-3)) {
                        while (steps < target) {
                            model.fit(x, y, loss, optimizer, epochs = 1, batchSize = batch, shuffle = false)
                            steps++
                            assertConstraintsHold(model, "$case step $steps")
                        }
                        val expected = Weights.read(folder.resolve("$case.after$target.keras"))
                        assertClose(model.weights(), expected, tolerance, "$case after $target")
                    }
                }
            }
        }
    }
})

private fun optimizer(config: JsonObject): KerasOptimizer {
    fun number(key: String) = config.getValue(key).jsonPrimitive.double
    return when (config.getValue("name").jsonPrimitive.content) {
        "sgd" -> KerasOptimizer.sgd(number("learning_rate"), number("momentum"),
            config.getValue("nesterov").jsonPrimitive.boolean)
        else -> KerasOptimizer.adam(number("learning_rate"), number("beta_1"), number("beta_2"), number("epsilon"))
    }
}

/** Every variable of [actual] is within [tolerance] of [expected]'s, relative to that variable's largest magnitude. */
private fun assertClose(actual: Weights, expected: Weights, tolerance: Double, what: String) {
    actual.names shouldContainExactly expected.names
    for (name in expected.names) {
        withClue("$what: $name") {
            KerasFixtures.relativeError(values(actual[name]), values(expected[name])) shouldBeLessThanOrEqual tolerance
        }
    }
}

/** Projecting a constrained parameter again moves it by no more than rounding: it is inside its set already. */
private fun assertConstraintsHold(model: KerasModel, what: String) {
    val weights = model.weights()
    for (attachment in model.constraints.attachments) {
        val now = weights[attachment.parameterPath]
        val projected = weights[attachment.parameterPath]
        attachment.constraint.apply(projected, ApplyOptions.DEFAULT)
        withClue("$what: ${attachment.constraint} on ${attachment.parameterPath}") {
            KerasFixtures.relativeError(values(projected), values(now)) shouldBeLessThanOrEqual 1e-6
        }
    }
}

private fun values(t: Tensor) = DoubleArray(t.size()) { t.get(it) }
