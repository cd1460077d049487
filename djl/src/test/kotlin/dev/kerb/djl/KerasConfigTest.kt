package dev.kerb.djl

import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import ai.djl.ndarray.types.Shape
import ai.djl.nn.Activation
import ai.djl.nn.Blocks
import ai.djl.nn.SequentialBlock
import ai.djl.nn.convolutional.Conv2d
import ai.djl.nn.core.Linear
import ai.djl.nn.core.Prelu
import ai.djl.nn.norm.Dropout
import dev.kerb.core.MaxNorm
import dev.kerb.core.NonNeg
import dev.kerb.model.ModelSpec
import dev.kerb.testdata.KerasCorpus
import io.kotest.core.spec.style.FunSpec
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.doubles.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/** Constraints attached from real Keras configs of the corpus, and the errors of the builder. */
class KerasConfigTest : FunSpec() {
    /** The DJL twin of DL4J's Keras 2 MLP (784-512-512-512-10 with dropout). */
    private fun dl4jMlpTwin(): SequentialBlock = SequentialBlock().apply {
        repeat(3) { add(Linear.builder().setUnits(512).build()).add(Activation.reluBlock()).add(Dropout.builder().optRate(0.5f).build()) }
        add(Linear.builder().setUnits(10).build())
    }

    init {
        test("every constraint of the DL4J MLP lands on its twin's parameter in DJL's layout") {
            // dl4j-keras2-mlp-...json: dense_1 kernel MaxNorm(2, axis=0), dense_2 bias NonNeg, dense_3 kernel
            // UnitNorm(axis=0), dense_4 bias MinMaxNorm(0, 1, rate 1, axis=0).
            val spec = ModelSpec.read(KerasCorpus.file("dl4j-keras2-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json"))
            val net = dl4jMlpTwin()
            val constraints = DjlConstraints.builder(net).attachKeras(spec).build()
            constraints.unmatched.shouldBeEmpty()
            constraints.attachments.map { "${it.parameterPath}: ${it.djlConstraint}" } shouldBe listOf(
                "01Linear_weight: MaxNorm(max_value=2.0, axis=1)",
                "04Linear_bias: NonNeg()",
                "07Linear_weight: UnitNorm(axis=1)",
                "10Linear_bias: MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0)",
            )
            constraints.attachments.first().source shouldBe "Keras layer 'dense_1' kernel_constraint"
            DjlTesting.initialize(manager, net, Shape(2, 784), 21)
            constraints.applyNow()
            val kernel = net.parameters["01Linear_weight"].array
            DjlTesting.rowNorms(kernel.toType(DataType.FLOAT64, false).toDoubleArray(), 512).max() shouldBeLessThanOrEqual 2.0 * (1 + 1e-6)
        }

        test("a twin that differs from the config stops the pairing and reports the rest") {
            val spec = ModelSpec.read(KerasCorpus.file("dl4j-keras2-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json"))
            val net = SequentialBlock().add(Linear.builder().setUnits(512).build())
                .add(Conv2d.builder().setFilters(4).setKernelShape(Shape(3, 3)).build())
            val constraints = DjlConstraints.builder(net).attachKeras(spec).build()
            constraints.attachments.map { it.parameterPath } shouldBe listOf("01Linear_weight")
            constraints.unmatched.map { it.layer } shouldBe listOf("dense_2", "dense_3", "dense_4")
            constraints.unmatched.first().reason shouldBe "Keras layer 'dense_2' (Dense) was paired by order with DJL's " +
                "Conv2d, not a Linear; pair the rest by name"
        }

        test("layers mapped by name attach and unmapped ones are reported with their reason") {
            // EEGNet (tf.keras 2.5): DepthwiseConv2D depthwise_constraint MaxNorm(1) and Dense kernel MaxNorm(0.25).
            val spec = ModelSpec.read(KerasCorpus.file("artigence-eegnet-tfkeras2.5-functional-depthwise-maxnorm.model_config.json"))
            val dense = spec.constraints().single { it.layerClass == "Dense" }
            val linear = Linear.builder().setUnits(4).build()
            val net = SequentialBlock().add(Blocks.batchFlattenBlock()).add(linear)
            val constraints = DjlConstraints.builder(net).attachKeras(spec, mapOf(dense.layer to linear)).build()
            constraints.attachments.single().parameterPath shouldBe "02Linear_weight"
            constraints.attachments.single().djlConstraint shouldBe "MaxNorm(max_value=0.25, axis=1)"
            val depthwise = constraints.unmatched.single { it.key == "depthwise_constraint" }
            depthwise.reason shouldBe "Kerb has no DJL layout for Keras' DepthwiseConv2D layers; attach its weights with attachNative"
            constraints.unmatched.size shouldBe spec.constraints().size - 1
        }

        test("a recurrent bias is reported because DJL keeps two") {
            val spec = ModelSpec.parse("""{"class_name": "Sequential", "config": {"name": "s", "layers": [
                {"class_name": "LSTM", "config": {"name": "lstm", "units": 4,
                  "kernel_constraint": {"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}},
                  "bias_constraint": {"class_name": "NonNeg", "config": {}}}}]}}""")
            val lstm = ai.djl.nn.recurrent.LSTM.builder().setStateSize(4).setNumLayers(1).optBatchFirst(true).build()
            val constraints = DjlConstraints.builder(lstm).attachKeras(spec).build()
            constraints.attachments.single().parameterPath shouldBe "l_0_i2h_WEIGHT"
            constraints.unmatched.single().reason shouldContain "keeps one bias where DJL keeps two"
        }

        test("builder errors name what was asked and what there is") {
            val linear = Linear.builder().setUnits(3).build()
            val net = SequentialBlock().add(linear).add(Prelu())
            shouldThrow<IllegalArgumentException> { DjlConstraints.builder(net).attach("01Linear_kernel", MaxNorm()) }
                .message shouldBe "no parameter '01Linear_kernel'; the parameters are 01Linear_weight, 01Linear_bias, 02Prelu_alpha"
            shouldThrow<IllegalArgumentException> { DjlConstraints.builder(net).attach(linear, "kernel", MaxNorm()) }
                .message shouldBe "the Linear block has no parameter 'kernel'; it has weight, bias"
            shouldThrow<IllegalArgumentException> { DjlConstraints.builder(net).attach("02Prelu_alpha", NonNeg.INSTANCE) }
                .message shouldBe "attach('02Prelu_alpha'): DJL's Prelu parameter 'alpha' has no Keras layout; attach it " +
                "with attachNative and DJL's own axes"
            shouldThrow<IllegalArgumentException> { DjlConstraints.builder(net).attach(linear, "weight", MaxNorm(1.0, 2)) }
                .message shouldBe "attach(Linear, 'weight'): axis 2 is outside a Keras Dense kernel of rank 2"
            shouldThrow<IllegalArgumentException> {
                DjlConstraints.builder(net).attach(linear, "bias", Slices.PER_OUTPUT_UNIT, MaxNorm())
            }.message shouldBe "attach(Linear, 'bias', PER_OUTPUT_UNIT): a Keras vector has no output units to take PER_OUTPUT_UNIT"
            shouldThrow<IllegalArgumentException> { DjlConstraints.builder(net).attachMatching("conv", MaxNorm()) }
                .message shouldContain "pattern 'conv' matches no parameter"
            shouldThrow<IllegalArgumentException> {
                DjlConstraints.builder(net).attach(Linear.builder().setUnits(3).build(), "weight", MaxNorm())
            }.message shouldBe "the Linear block is not part of the trained block"
            val native = DjlConstraints.builder(net).attachNative("02Prelu_alpha", NonNeg.INSTANCE).build()
            native.attachments.single().layout shouldBe null
        }
    }

    init {
        afterSpec { manager.close() }
    }

    companion object {
        private val manager: NDManager = NDManager.newBaseManager()

    }
}
