package dev.kerb.djl

import ai.djl.Model
import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.DataType
import ai.djl.ndarray.types.Shape
import ai.djl.nn.Activation
import ai.djl.nn.Block
import ai.djl.nn.Blocks
import ai.djl.nn.SequentialBlock
import ai.djl.nn.convolutional.Conv2d
import ai.djl.nn.core.Linear
import ai.djl.training.DefaultTrainingConfig
import ai.djl.training.EasyTrain
import ai.djl.training.Trainer
import ai.djl.training.dataset.ArrayDataset
import ai.djl.training.listener.TrainingListener
import ai.djl.training.listener.TrainingListenerAdapter
import ai.djl.training.loss.Loss
import ai.djl.training.optimizer.Optimizer
import ai.djl.training.tracker.Tracker
import dev.kerb.core.Axis
import dev.kerb.core.MaxNorm
import dev.kerb.core.MinMaxNorm
import dev.kerb.core.NonNeg
import dev.kerb.core.UnitNorm
import dev.kerb.core.thirdparty.Clip
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThanOrEqual
import io.kotest.matchers.doubles.shouldBeLessThanOrEqual
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import kotlin.math.abs

/**
 * Training with DJL's EasyTrain and Adam at a high learning rate, so that every step pushes weights out of their
 * sets: after every step each constrained parameter is back inside (norms <= max * (1 + 1e-6), NonNeg min >= 0,
 * UnitNorm |norm - 1| <= 1e-6), and the bounds are reached, so the projection did the work.
 */
class TrainingTest : FunSpec() {
    private fun mlp(): SequentialBlock = SequentialBlock()
        .add(Linear.builder().setUnits(32).build()).add(Activation.reluBlock())
        .add(Linear.builder().setUnits(32).build()).add(Activation.reluBlock())
        .add(Linear.builder().setUnits(3).build())

    private fun cnn(): SequentialBlock = SequentialBlock()
        .add(Conv2d.builder().setFilters(8).setKernelShape(Shape(3, 3)).build()).add(Activation.reluBlock())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(3).build())

    private fun dataset(input: Shape, type: DataType, seed: Long): ArrayDataset {
        val random = java.util.Random(seed)
        val x = DoubleArray(Math.toIntExact(input.size())) { random.nextGaussian() * 3 }
        val y = FloatArray(Math.toIntExact(input[0])) { random.nextInt(3).toFloat() }
        return ArrayDataset.Builder().setData(manager.create(x, input).toType(type, false))
            .optLabels(manager.create(y)).setSampling(BATCH, false).build()
    }

    /** Trains [block] one epoch; calls [afterStep] after every `trainer.step()`. */
    private fun train(block: Block, constraints: DjlConstraints, data: ArrayDataset, input: Shape,
                      type: DataType = DataType.FLOAT32, listener: TrainingListener? = null,
                      afterStep: (Int) -> Unit = {}) {
        Model.newInstance("t").use { model ->
            model.block = block
            model.dataType = type
            val optimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.1f)).build()
            var config = DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(constraints.wrap(optimizer))
            if (listener != null) config = config.addTrainingListeners(listener)
            model.newTrainer(config).use { trainer ->
                trainer.initialize(Shape(BATCH.toLong(), *input.shape.drop(1).toLongArray()))
                var step = 0
                for (batch in trainer.iterateDataset(data)) {
                    batch.use { EasyTrain.trainBatch(trainer, it) }
                    trainer.step()
                    afterStep(step++)
                }
            }
        }
    }

    init {
        test("an MLP's constrained parameters hold after every step") {
            run {
                val type = DataType.FLOAT32
                val net = mlp()
                val hidden = net.children[0].value
                val constraints = DjlConstraints.builder(net)
                    .attach(hidden, "weight", MaxNorm(1.0))
                    .attach(hidden, "bias", NonNeg.INSTANCE)
                    .attachMatching("^03Linear_weight$", MaxNorm(0.5))
                    .build()
                var tightest = 0.0
                val input = Shape(256, 20)
                train(net, constraints, dataset(input, type, 7), input, type) { step ->
                    val first = rowNorms(net.parameters["01Linear_weight"].array)
                    first.max() shouldBeLessThanOrEqual 1.0 * (1 + 1e-6)
                    rowNorms(net.parameters["03Linear_weight"].array).max() shouldBeLessThanOrEqual 0.5 * (1 + 1e-6)
                    values(net.parameters["01Linear_bias"].array).min() shouldBeGreaterThanOrEqual 0.0
                    tightest = maxOf(tightest, first.max())
                }
                tightest shouldBeGreaterThanOrEqual 1.0 - 1e-6
                constraints.attachments.forEach {
                    it.inPlaceUpdates shouldBeGreaterThan 0L
                    it.copiedUpdates shouldBe 0L
                }
            }
        }

        test("float64 parameters are projected in place after every update") {
            // DJL 0.35.1's Trainer.step() cannot train a float64 model (its gradient check reads a float32), so the
            // wrapped optimizer is driven directly, as Trainer.step() drives it: update(parameter uid, weight, gradient).
            val net = mlp()
            DjlTesting.initialize(manager, net, Shape(4, 20), 13, type = DataType.FLOAT64)
            val hidden = net.children[0].value
            val constraints = DjlConstraints.builder(net)
                .attach(hidden, "weight", MaxNorm(1.0)).attach(hidden, "bias", NonNeg.INSTANCE).build()
            val optimizer = constraints.wrap(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.5f)).build())
            val random = java.util.Random(14)
            repeat(20) {
                for (name in listOf("01Linear_weight", "01Linear_bias")) {
                    val p = net.parameters[name]
                    val grad = manager.create(DoubleArray(Math.toIntExact(p.array.size())) { random.nextGaussian() }, p.array.shape)
                    optimizer.update(p.id, p.array, grad)
                    p.array.dataType shouldBe DataType.FLOAT64
                }
                rowNorms(net.parameters["01Linear_weight"].array).max() shouldBeLessThanOrEqual 1.0 * (1 + 1e-12)
                values(net.parameters["01Linear_bias"].array).min() shouldBeGreaterThanOrEqual 0.0
            }
            constraints.attachments.forEach { it.inPlaceUpdates shouldBe 20L }
        }

        test("a CNN's filters stay on the unit sphere after every step") {
            val net = cnn()
            val conv = net.children[0].value
            // Keras' UnitNorm(axis=[0, 1, 2]) on a Conv2D kernel (HWIO): one norm per filter, DJL axes [1, 2, 3].
            val constraints = DjlConstraints.builder(net).attach(conv, "weight", UnitNorm(Axis.list(0, 1, 2))).build()
            constraints.attachments.single().djlConstraint shouldBe "UnitNorm(axis=[1, 2, 3])"
            val input = Shape(128, 1, 8, 8)
            var steps = 0
            train(net, constraints, dataset(input, DataType.FLOAT32, 8), input) {
                rowNorms(net.parameters["01Conv2d_weight"].array).forEach { abs(it - 1) shouldBeLessThanOrEqual 1e-6 }
                steps++
            }
            steps shouldBe 128 / BATCH
        }

        test("a training listener sees each batch before the step so it would lag one update") {
            // Why Kerb wraps the optimizer: DJL 0.35.1 calls onTrainingBatch inside EasyTrain.trainBatch, before
            // trainer.step() updates the weights. If DJL ever changes that order, this test says so.
            val net = mlp()
            val seen = ArrayList<FloatArray>()
            val listener = object : TrainingListenerAdapter() {
                override fun onTrainingBatch(trainer: Trainer, batchData: TrainingListener.BatchData) {
                    seen += net.parameters["01Linear_weight"].array.toFloatArray()
                }
            }
            val constraints = DjlConstraints.builder(net).build()
            val input = Shape(64, 20)
            var initial: FloatArray? = null
            val afterSteps = ArrayList<FloatArray>()
            train(net, constraints, dataset(input, DataType.FLOAT32, 9), input, listener = listener) {
                afterSteps += net.parameters["01Linear_weight"].array.toFloatArray()
            }
            initial = seen.first()
            seen.size shouldBe afterSteps.size
            for (i in 1 until seen.size) seen[i].toList() shouldBe afterSteps[i - 1].toList()
            afterSteps.last().toList() shouldNotBe seen.last().toList()
            initial.toList() shouldNotBe afterSteps.first().toList()
        }

        test("the in-place and copy paths train to bitwise the same weights") {
            val results = listOf(false, true).map { copy ->
                val net = mlp()
                val constraints = DjlConstraints.builder(net)
                    .attach(net.children[0].value, "weight", MaxNorm(1.0))
                    .attach(net.children[2].value, "weight", Slices.PER_INPUT_UNIT, MaxNorm(0.7))
                    .attach(net.children[2].value, "bias", NonNeg.INSTANCE)
                    .build()
                constraints.forceCopy = copy
                DjlTesting.seedParameters(manager, net, Shape(BATCH.toLong(), 20), 11)
                val input = Shape(128, 20)
                train(net, constraints, dataset(input, DataType.FLOAT32, 10), input)
                constraints.attachments.forEach { (if (copy) it.copiedUpdates else it.inPlaceUpdates) shouldBeGreaterThan 0L }
                net.parameters.map { it.value.array.toFloatArray().toList() }
            }
            results[1] shouldBe results[0]
        }

        test("with the device path forced every constraint holds after every step") {
            val net = mlp()
            val hidden = net.children[0].value
            val constraints = DjlConstraints.builder(net)
                .attach(hidden, "weight", MaxNorm(1.0))
                .attach(hidden, "bias", NonNeg.INSTANCE)
                .attach(net.children[2].value, "weight", Slices.PER_INPUT_UNIT, MinMaxNorm(0.5, 0.8, 1.0, 0))
                .attach(net.children[2].value, "bias", Clip(-0.1, 0.1))
                .attach(net.children[4].value, "weight", UnitNorm(Axis.list(0, 1)))
                .build()
            constraints.path = ProjectionPath.DEVICE
            var tightest = 0.0
            val input = Shape(256, 20)
            train(net, constraints, dataset(input, DataType.FLOAT32, 15), input) {
                val first = rowNorms(net.parameters["01Linear_weight"].array)
                first.max() shouldBeLessThanOrEqual 1.0 * (1 + 1e-6)
                values(net.parameters["01Linear_bias"].array).min() shouldBeGreaterThanOrEqual 0.0
                // PER_INPUT_UNIT on a Linear weight (out, in): one norm per column, DJL axis 0.
                val second = net.parameters["03Linear_weight"].array
                DjlTesting.rowNorms(values(second.transpose()), Math.toIntExact(second.shape[1])).forEach {
                    it shouldBeGreaterThanOrEqual 0.5 * (1 - 1e-6)
                    it shouldBeLessThanOrEqual 0.8 * (1 + 1e-6)
                }
                values(net.parameters["03Linear_bias"].array).forEach { abs(it) shouldBeLessThanOrEqual 0.1 * (1 + 1e-7) }
                val whole = values(net.parameters["05Linear_weight"].array)
                abs(kotlin.math.sqrt(whole.sumOf { it * it }) - 1) shouldBeLessThanOrEqual 1e-6
                tightest = maxOf(tightest, first.max())
            }
            tightest shouldBeGreaterThanOrEqual 1.0 - 1e-6
            constraints.attachments.forEach {
                it.deviceUpdates shouldBe (256L / BATCH)
                it.inPlaceUpdates shouldBe 0L
                it.copiedUpdates shouldBe 0L
            }
        }

        test("a parameter that is not contiguous takes the copy path") {
            val linear = Linear.builder().setUnits(4).build()
            DjlTesting.initialize(manager, linear, Shape(2, 6), 12)
            val constraints = DjlConstraints.builder(linear).attach(linear, "weight", MaxNorm(1.0)).build()
            // A (6, 4) array seen through its transpose: DJL's weight layout (4, 6), strided, not contiguous.
            val base = manager.randomNormal(0f, 3f, Shape(6, 4), DataType.FLOAT32)
            val weight = base.transpose()
            val expected = DjlTesting.kerasOracle(weight, KerasLayout.DENSE_KERNEL, MaxNorm(1.0))
            constraints.afterUpdate(linear.parameters["weight"].id, weight)
            val attachment = constraints.attachments.single()
            attachment.copiedUpdates shouldBe 1L
            attachment.inPlaceUpdates shouldBe 0L
            val actual = DjlTesting.toKerasLayout(weight, KerasLayout.DENSE_KERNEL).toType(DataType.FLOAT64, false).toDoubleArray()
            DjlTesting.assertClose(actual, expected, 1e-6, "the strided weight")
        }
    }

    private fun values(a: NDArray): DoubleArray = a.toType(DataType.FLOAT64, false).toDoubleArray()

    /** Norms of the slices along DJL axis 0: a Linear's output units, a Conv2d's filters. */
    private fun rowNorms(a: NDArray): DoubleArray = DjlTesting.rowNorms(values(a), Math.toIntExact(a.shape[0]))

    init {
        afterSpec { manager.close() }
    }

    companion object {
        private const val BATCH = 32
        private val manager: NDManager = NDManager.newBaseManager()

    }
}
