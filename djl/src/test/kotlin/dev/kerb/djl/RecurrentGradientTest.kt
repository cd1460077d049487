@file:OptIn(InternalKerbApi::class)

package dev.kerb.djl

import ai.djl.engine.Engine
import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import ai.djl.ndarray.types.Shape
import ai.djl.nn.Parameter
import ai.djl.training.ParameterStore
import dev.kerb.djl.graph.Forward
import dev.kerb.djl.graph.GruCell
import dev.kerb.djl.graph.LayerContext
import dev.kerb.djl.graph.LayerOps
import dev.kerb.djl.graph.LstmCell
import dev.kerb.djl.graph.RecurrentCell
import dev.kerb.djl.graph.RecurrentKernels
import dev.kerb.djl.graph.SimpleRnnCell
import dev.kerb.model.InternalKerbApi
import dev.kerb.model.catalog.LayerArgs
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.util.Random

/**
 * PyTorch's fused recurrent kernels and Kerb's step-by-step loop give the same outputs, final states and gradients
 * (of the variables and the input), input dropout included, so training through either path is the same. LSTMs run in
 * float64 here: whether Kerb fuses a float32 LSTM on the CPU depends on the CPU ([FusedLstmTest]).
 */
class RecurrentGradientTest : FunSpec() {
    /** One layer to compare: its class, config (4 units, on 3 input features) and value type. */
    private class Case(val name: String, val className: String, val config: Map<String, Any>, val type: DataType) {
        /** The cell Kerb builds, to check that it would take PyTorch's fused kernel. */
        val cell: (LayerContext) -> RecurrentCell = when (className) {
            "LSTM" -> ::LstmCell
            "GRU" -> ::GruCell
            else -> ::SimpleRnnCell
        }

        /** The variables' paths and shapes, as Kerb names them. */
        val variables: Map<String, List<Long>> get() {
            val (cellName, gates) = mapOf("LSTM" to ("lstm_cell" to 4L), "GRU" to ("gru_cell" to 3L),
                "SimpleRNN" to ("simple_rnn_cell" to 1L)).getValue(className)
            return mapOf("$cellName/kernel" to listOf(3L, 4 * gates), "$cellName/recurrent_kernel" to listOf(4L, 4 * gates),
                "$cellName/bias" to if (className == "GRU") listOf(2L, 4 * gates) else listOf(4 * gates))
        }
    }

    private val cases = listOf(
        Case("LSTM", "LSTM", mapOf("units" to 4, "return_sequences" to true, "return_state" to true), DataType.FLOAT64),
        Case("LSTM go_backwards", "LSTM", mapOf("units" to 4, "go_backwards" to true, "return_state" to true),
            DataType.FLOAT64),
        Case("GRU", "GRU", mapOf("units" to 4, "return_sequences" to true, "return_state" to true), DataType.FLOAT64),
        Case("GRU float32", "GRU", mapOf("units" to 4, "return_sequences" to true), DataType.FLOAT32),
        Case("GRU with input dropout", "GRU", mapOf("units" to 4, "dropout" to 0.4, "return_sequences" to true),
            DataType.FLOAT64),
        Case("SimpleRNN", "SimpleRNN", mapOf("units" to 4, "return_sequences" to true), DataType.FLOAT64),
    )

    init {
        for (case in cases) test("fused kernels and the step loop give the same outputs and gradients: ${case.name}") {
            NDManager.newBaseManager().use { manager ->
                val fused = run(manager, case, fusedKernels = true)
                val loop = run(manager, case, fusedKernels = false)
                fused.size shouldBe loop.size
                val tolerance = if (case.type == DataType.FLOAT64) 1e-10 else 1e-5
                for ((what, values) in fused) {
                    DjlTesting.assertClose(values, loop.getValue(what), tolerance, "${case.name} $what")
                }
            }
        }
    }

    /** Runs [case] with fresh variables drawn from a fixed seed; returns its outputs and gradients by name. */
    private fun run(manager: NDManager, case: Case, fusedKernels: Boolean): Map<String, DoubleArray> {
        val random = Random(7)
        fun draw(shape: List<Long>): NDArray = manager.create(
            DoubleArray(shape.fold(1L) { n, d -> n * d }.toInt()) { random.nextGaussian() * 0.7 }, Shape(shape))
            .toType(case.type, false).also { it.setRequiresGradient(true) }

        val parameters = case.variables.mapValues { (path, _) ->
            Parameter.builder().setName(path).setType(Parameter.Type.WEIGHT).build()
        }
        val x = draw(listOf(2L, 5L, 3L))
        val config = JsonObject(case.config.mapValues { (_, v) ->
            if (v is Number) JsonPrimitive(v) else JsonPrimitive(v as Boolean)
        })
        val context = LayerContext(LayerArgs(case.className, config), listOf(listOf(null, 5, 3)), emptyList(),
            parameters)
        val op = LayerOps.build(context)
        for ((path, parameter) in parameters) {
            val keras = draw(case.variables.getValue(path))
            // The op keeps its kernels in PyTorch's layout, as KerasDjl.model loads them.
            parameter.setArray(context.layouts[parameter]?.fromKeras(manager, keras)?.also { it.setRequiresGradient(true) }
                ?: keras)
        }
        case.cell(context).fusable(x) shouldBe true
        val results = LinkedHashMap<String, DoubleArray>()
        RecurrentKernels.fused = fusedKernels
        try {
            // The same seed draws the same dropout mask on both paths.
            Engine.getInstance().setRandomSeed(11)
            Engine.getInstance().newGradientCollector().use { collector ->
                val outputs = op.call(Forward(ParameterStore(manager, false), x.device, true), listOf(x))
                var loss: NDArray? = null
                for ((i, output) in outputs.withIndex()) {
                    results["output $i"] = values(output)
                    val term = output.mul(draw(output.shape.shape.toList()).stopGradient()).sum()
                    loss = loss?.add(term) ?: term
                }
                collector.backward(loss!!)
            }
        } finally {
            RecurrentKernels.fused = true
        }
        results["gradient of the input"] = values(x.gradient)
        for ((path, parameter) in parameters) results["gradient of $path"] = values(parameter.array.gradient)
        return results
    }

    private fun values(array: NDArray): DoubleArray = array.toType(DataType.FLOAT64, false).toDoubleArray()
}
