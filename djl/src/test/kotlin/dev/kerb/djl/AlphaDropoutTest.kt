@file:OptIn(InternalKerbApi::class)

package dev.kerb.djl

import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import ai.djl.ndarray.types.Shape
import ai.djl.training.ParameterStore
import dev.kerb.djl.graph.Forward
import dev.kerb.djl.graph.LayerContext
import dev.kerb.djl.graph.LayerOps
import dev.kerb.model.InternalKerbApi
import dev.kerb.model.catalog.LayerArgs
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeBetween
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlin.math.abs
import kotlin.math.pow

/**
 * AlphaDropout as Keras 3.15.1 computes it (`keras/src/layers/regularization/alpha_dropout.py`): in training each value
 * becomes `a * x + b` when kept or `a * alpha_p + b` when dropped, with probability `rate`; at inference the input.
 */
class AlphaDropoutTest : FunSpec({
    test("training keeps or saturates each value with Keras' affine map; inference passes the input") {
        val rate = 0.3
        val alphaP = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946
        val a = ((1 - rate) * (1 + rate * alphaP.pow(2))).pow(-0.5)
        val b = -a * alphaP * rate
        NDManager.newBaseManager().use { manager ->
            val x = manager.randomNormal(Shape(50, 40))
            val args = LayerArgs("AlphaDropout", JsonObject(mapOf("rate" to JsonPrimitive(rate))))
            val op = LayerOps.build(LayerContext(args, listOf(listOf(null, 40)), listOf(listOf(null, 40)), emptyMap()))
            val store = ParameterStore(manager, false)
            val inputs = x.toType(DataType.FLOAT64, false).toDoubleArray()
            val trained = op.call(Forward(store, x.device, true), listOf(x)).single().toType(DataType.FLOAT64, false)
                .toDoubleArray()
            var dropped = 0
            for (i in inputs.indices) withClue("value $i: ${inputs[i]} -> ${trained[i]}") {
                val kept = abs(trained[i] - (a * inputs[i] + b)) < 1e-5
                val saturated = abs(trained[i] - (a * alphaP + b)) < 1e-5
                (kept || saturated) shouldBe true
                if (!kept) dropped++
            }
            (dropped.toDouble() / inputs.size).shouldBeBetween(0.25, 0.35, 0.0)
            op.call(Forward(store, x.device, false), listOf(x)).single().toType(DataType.FLOAT64, false).toDoubleArray()
                .toList() shouldBe inputs.toList()
        }
    }
})
