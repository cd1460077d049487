package dev.kerb.djl

import ai.djl.modality.nlp.DefaultVocabulary
import ai.djl.modality.nlp.embedding.TrainableWordEmbedding
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import ai.djl.ndarray.types.Shape
import ai.djl.nn.Block
import ai.djl.nn.convolutional.Conv1d
import ai.djl.nn.convolutional.Conv2d
import ai.djl.nn.convolutional.Conv3d
import ai.djl.nn.core.Linear
import ai.djl.nn.norm.BatchNorm
import ai.djl.nn.norm.LayerNorm
import ai.djl.nn.recurrent.GRU
import ai.djl.nn.recurrent.LSTM
import ai.djl.nn.recurrent.RNN
import dev.kerb.core.Axis
import dev.kerb.core.Constraint
import dev.kerb.core.MaxNorm
import dev.kerb.core.MinMaxNorm
import dev.kerb.core.NonNeg
import dev.kerb.core.NormConstraint
import dev.kerb.core.RadialConstraint
import dev.kerb.core.UnitNorm
import io.kotest.core.spec.style.FunSpec

/**
 * Every Keras layout Kerb maps, checked against the oracle the issue names: the DJL weight moved to Keras' layout by
 * DJL's own transpose, constrained there by Kerb in Keras' axes (Kerb's core matches Keras 3.15.1 to 1e-6, see
 * core-java's KerasExpectationsTest). The DJL-side result, transposed the same way, must agree within 1e-6 of the
 * largest value (float32).
 */
class LayoutMappingTest : FunSpec() {
    /** One weight: a block, its input, the parameter, the constraint in Keras' terms and, optionally, slices. */
    class Case(val name: String, val block: () -> Block, val input: Shape, val role: String, val constraint: Constraint,
               val slices: Slices? = null, val kerasEquivalent: Constraint = constraint) {
        override fun toString() = name
    }

    init {
        for (case in cases()) {
            test("the DJL-layout result is the Keras-layout result transposed: $case") {
                val block = DjlTesting.initialize(manager, case.block(), case.input, seed = case.name.hashCode().toLong())
                val site = BlockTree.sites(block).single { it.role == case.role }
                val layout = site.layout!!
                val expected = DjlTesting.kerasOracle(site.parameter.array, layout, case.kerasEquivalent)
                val builder = DjlConstraints.builder(block)
                if (case.slices != null) builder.attach(block, case.role, case.slices, case.constraint as NormConstraint)
                else builder.attach(block, case.role, case.constraint)
                val constraints = builder.build()
                constraints.applyNow()
                val actual = DjlTesting.toKerasLayout(site.parameter.array, layout).toType(DataType.FLOAT64, false).toDoubleArray()
                DjlTesting.assertClose(actual, expected, 1e-6, "${case.name} (${constraints.attachments.single().djlConstraint})")
                check(constraints.attachments.single().inPlaceUpdates == 1L) { "the contiguous CPU parameter is projected in place" }
            }
        }
    }

    init {
        afterSpec { manager.close() }
    }

    companion object {
        private val manager: NDManager = NDManager.newBaseManager()


        private fun linear() = Linear.builder().setUnits(5).build()
        private fun conv1d() = Conv1d.builder().setFilters(6).setKernelShape(Shape(3)).build()
        private fun conv2d() = Conv2d.builder().setFilters(6).setKernelShape(Shape(3, 2)).build()
        private fun squareConv2d() = Conv2d.builder().setFilters(6).setKernelShape(Shape(3, 3)).build()
        private fun conv3d() = Conv3d.builder().setFilters(4).setKernelShape(Shape(3, 2, 2)).build()
        private fun lstm() = LSTM.builder().setStateSize(4).setNumLayers(1).optBatchFirst(true).build()
        private fun gru() = GRU.builder().setStateSize(4).setNumLayers(1).optBatchFirst(true).build()
        private fun rnn() = RNN.builder().setStateSize(4).setNumLayers(1).optBatchFirst(true).build()
        private fun embedding() = TrainableWordEmbedding.builder()
            .setVocabulary(DefaultVocabulary((0 until 9).map { "w$it" })).setEmbeddingSize(5).build()

        private val DENSE_IN = Shape(2, 7)
        private val CONV1D_IN = Shape(2, 3, 8)
        private val CONV2D_IN = Shape(2, 3, 8, 8)
        private val CONV3D_IN = Shape(1, 2, 6, 6, 6)
        private val SEQUENCE_IN = Shape(2, 5, 3)

        @JvmStatic
        fun cases(): List<Case> = listOf(
            Case("Dense MaxNorm default axis 0", ::linear, DENSE_IN, "weight", MaxNorm(1.5)),
            Case("Dense MaxNorm axis 1", ::linear, DENSE_IN, "weight", MaxNorm(1.5, 1)),
            Case("Dense MaxNorm axis -1", ::linear, DENSE_IN, "weight", MaxNorm(1.5, -1)),
            Case("Dense UnitNorm axes [0, 1]", ::linear, DENSE_IN, "weight", UnitNorm(Axis.list(0, 1))),
            Case("Dense MinMaxNorm axis 0", ::linear, DENSE_IN, "weight", MinMaxNorm(0.5, 1.0, 0.7, 0)),
            Case("Dense NonNeg", ::linear, DENSE_IN, "weight", NonNeg.INSTANCE),
            Case("Dense bias MaxNorm", ::linear, DENSE_IN, "bias", MaxNorm(1.0)),
            Case("Dense per output unit", ::linear, DENSE_IN, "weight", MaxNorm(1.5, 1), Slices.PER_OUTPUT_UNIT,
                MaxNorm(1.5, 0)),
            Case("Dense per input unit", ::linear, DENSE_IN, "weight", MaxNorm(1.5), Slices.PER_INPUT_UNIT,
                MaxNorm(1.5, 1)),
            Case("Dense whole", ::linear, DENSE_IN, "weight", UnitNorm(), Slices.WHOLE, UnitNorm(Axis.list(0, 1))),
            Case("Conv1D MaxNorm axes [0, 1]", ::conv1d, CONV1D_IN, "weight", MaxNorm(1.0, Axis.list(0, 1))),
            Case("Conv1D UnitNorm axis 1", ::conv1d, CONV1D_IN, "weight", UnitNorm(1)),
            Case("Conv1D per filter", ::conv1d, CONV1D_IN, "weight", MaxNorm(1.0), Slices.PER_FILTER,
                MaxNorm(1.0, Axis.list(0, 1))),
            Case("Conv2D UnitNorm axes [0, 1, 2]", ::conv2d, CONV2D_IN, "weight", UnitNorm(Axis.list(0, 1, 2))),
            Case("Conv2D MaxNorm default axis 0", ::conv2d, CONV2D_IN, "weight", MaxNorm(2.0)),
            Case("Conv2D MaxNorm axes [0, 3]", ::conv2d, CONV2D_IN, "weight", MaxNorm(2.0, Axis.list(0, 3))),
            Case("Conv2D per filter", ::conv2d, CONV2D_IN, "weight", UnitNorm(), Slices.PER_FILTER,
                UnitNorm(Axis.list(0, 1, 2))),
            Case("Conv2D RadialConstraint (on a Keras-layout copy)", ::squareConv2d, CONV2D_IN, "weight",
                RadialConstraint.INSTANCE),
            Case("Conv3D MaxNorm axes [0, 1, 2, 3]", ::conv3d, CONV3D_IN, "weight", MaxNorm(1.0, Axis.list(0, 1, 2, 3))),
            Case("Conv3D UnitNorm axis 3", ::conv3d, CONV3D_IN, "weight", UnitNorm(3)),
            Case("Embedding MaxNorm axis 1", ::embedding, Shape(2, 3), "embedding", MaxNorm(1.0, 1)),
            Case("Embedding per row", ::embedding, Shape(2, 3), "embedding", MaxNorm(1.0), Slices.PER_EMBEDDING_ROW,
                MaxNorm(1.0, 1)),
            Case("LSTM kernel MaxNorm axis 0", ::lstm, SEQUENCE_IN, "l_0_i2h_WEIGHT", MaxNorm(1.0)),
            Case("LSTM recurrent kernel UnitNorm axis 1", ::lstm, SEQUENCE_IN, "l_0_h2h_WEIGHT", UnitNorm(1)),
            Case("GRU kernel MaxNorm axis 0", ::gru, SEQUENCE_IN, "l_0_i2h_WEIGHT", MaxNorm(1.0)),
            Case("GRU recurrent kernel MinMaxNorm axis 0", ::gru, SEQUENCE_IN, "l_0_h2h_WEIGHT",
                MinMaxNorm(0.5, 1.0, 1.0, 0)),
            Case("SimpleRNN kernel per output unit", ::rnn, SEQUENCE_IN, "l_0_i2h_WEIGHT", MaxNorm(1.0),
                Slices.PER_OUTPUT_UNIT, MaxNorm(1.0, 0)),
            Case("BatchNormalization gamma NonNeg", { BatchNorm.builder().build() }, CONV2D_IN, "gamma",
                NonNeg.INSTANCE),
            Case("BatchNormalization beta MaxNorm", { BatchNorm.builder().build() }, CONV2D_IN, "beta", MaxNorm(0.5)),
            Case("LayerNormalization gamma UnitNorm", { LayerNorm.builder().build() }, DENSE_IN, "gamma", UnitNorm()),
        )
    }
}
