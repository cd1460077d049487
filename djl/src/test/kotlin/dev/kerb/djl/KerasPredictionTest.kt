package dev.kerb.djl

import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import dev.kerb.model.ModelSpec
import dev.kerb.model.Weights
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.doubles.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe

/**
 * DJL's predictions of models Keras 3.15.1 saved equal Keras' `predict` on the same inputs (fixtures from
 * `make_djl_fixtures.py`): within 1e-5 of each output's largest magnitude for one layer, 1e-4 for whole models.
 */
class KerasPredictionTest : FunSpec({
    for ((kind, tolerance) in listOf("layers" to 1e-5, "models" to 1e-4)) {
        for (case in KerasFixtures.cases(kind)) {
            test("${kind.removeSuffix("s")} $case predicts as Keras does") {
                val json = KerasFixtures.json(kind, case)
                val file = KerasFixtures.ROOT.resolve(kind).resolve("$case.keras")
                val expected = KerasFixtures.arrays(json, "outputs")
                NDManager.newBaseManager().use { manager ->
                    KerasDjl.model(ModelSpec.read(file), Weights.read(file)).use { model ->
                        val outputs = model.predict(KerasFixtures.ndList(manager, KerasFixtures.arrays(json, "inputs")))
                        outputs.size shouldBe expected.size
                        for ((i, output) in outputs.withIndex()) {
                            withClue("$case output $i") {
                                output.shape.shape.toList() shouldContainExactly expected[i].shape
                                val actual = output.toType(DataType.FLOAT64, false).toDoubleArray()
                                KerasFixtures.relativeError(actual, expected[i].data) shouldBeLessThanOrEqual tolerance
                            }
                        }
                    }
                }
            }
        }
    }
})
