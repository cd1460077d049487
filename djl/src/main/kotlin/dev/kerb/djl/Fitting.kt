package dev.kerb.djl

import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDList
import ai.djl.ndarray.NDScope
import ai.djl.ndarray.types.DataType
import ai.djl.ndarray.types.Shape
import ai.djl.training.DefaultTrainingConfig
import dev.kerb.registry.ConfigException
import java.util.Random

/** A [KerasModel.fit]'s loop settings. */
internal class FitSettings(val epochs: Int, val batchSize: Int, val shuffle: Boolean, val seed: Long) {
    init {
        require(epochs > 0) { "epochs $epochs is not positive" }
        require(batchSize > 0) { "batch size $batchSize is not positive" }
    }
}

/**
 * What a [KerasModel.fit] did, epoch by epoch.
 *
 * @property loss each epoch's mean loss over its samples
 * @property accuracy each epoch's accuracy as Keras' `accuracy` metric judges it for the loss, NaN for a regression loss
 */
public class FitHistory internal constructor(public val loss: List<Double>, public val accuracy: List<Double>) {
    override fun toString(): String = "FitHistory(loss=$loss, accuracy=$accuracy)"
}

/** Hears of a [KerasModel.fit]'s progress, batch by batch. */
public fun interface FitProgress {
    /**
     * Called after each batch's step, with the epoch's running mean [loss] and [accuracy] so far (1-based [epoch]
     * of [epochs], [batch] of [batches]).
     */
    public fun batch(epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, accuracy: Double)

    public companion object {
        /** Hears nothing. */
        @JvmField
        public val NONE: FitProgress = FitProgress { _, _, _, _, _, _ -> }

        /**
         * Returns progress printed to [out] (`System.out`, a `PrintWriter`) as Keras prints it: on a terminal, a bar
         * redrawn in place; elsewhere one line per epoch.
         */
        @JvmStatic
        public fun printing(out: Appendable, terminal: Boolean): FitProgress =
            FitProgress { epoch, epochs, batch, batches, loss, accuracy ->
                val metrics = "loss: ${"%.4f".format(loss)}" + if (accuracy.isNaN()) "" else " - accuracy: ${"%.4f".format(accuracy)}"
                if (terminal) {
                    if (batch == 1) out.append("Epoch $epoch/$epochs\n")
                    val done = 20 * batch / batches
                    out.append("\r${batch.toString().padStart(batches.toString().length)}/$batches " +
                        "━".repeat(done) + "─".repeat(20 - done) + " $metrics")
                    if (batch == batches) out.append("\n")
                } else if (batch == batches) {
                    out.append("Epoch $epoch/$epochs - $batches batches - $metrics\n")
                }
                (out as? java.io.Flushable)?.flush()
            }
    }
}

/** Runs [KerasModel.fit]: DJL's trainer, with the model's constraints wrapping the optimizer. */
internal class Fitting(private val owner: KerasModel) {
    fun fit(x: NDList, y: NDList, loss: KerasLoss, optimizer: KerasOptimizer, settings: FitSettings,
            progress: FitProgress): FitHistory {
        require(x.size == owner.inputNames.size) {
            "the model takes ${owner.inputNames.size} inputs (${owner.inputNames.joinToString()}), not ${x.size}"
        }
        owner.constraints.unmatched.firstOrNull()?.let {
            throw ConfigException("layer '${it.layer}' ${it.key}: ${it.reason}")
        }
        require(y.size == owner.outputCount) { "the model has ${owner.outputCount} outputs, not ${y.size} targets" }
        val samples = x.head().shape[0]
        for (array in x + y) {
            require(array.shape[0] == samples) { "every input and target needs $samples samples; one has shape ${array.shape}" }
        }
        val config = DefaultTrainingConfig(loss).optOptimizer(owner.constraints.wrap(optimizer))
            .optDevices(arrayOf(x.head().device))
        val losses = ArrayList<Double>()
        val accuracies = ArrayList<Double>()
        owner.model.newTrainer(config).use { trainer ->
            trainer.initialize(*x.map { Shape(minOf(settings.batchSize.toLong(), samples), *it.shape.slice(1).shape) }.toTypedArray())
            val random = Random(settings.seed)
            val batches = ((samples + settings.batchSize - 1) / settings.batchSize).toInt()
            for (epoch in 1..settings.epochs) {
                val order = (0 until samples).toList().let { if (settings.shuffle) it.shuffled(random) else it }
                var lossSum = 0.0
                var rightSum = 0.0
                var seen = 0L
                for (b in 0 until batches) {
                    NDScope().use { _ ->
                        val rows = order.subList(b * settings.batchSize, minOf(samples.toInt(), (b + 1) * settings.batchSize))
                        val index = x.head().manager.create(rows.toLongArray())
                        val xb = NDList(x.map { it.get(index) })
                        val yb = NDList(y.map { it.get(index) })
                        val value: NDArray
                        val predictions: NDList
                        trainer.newGradientCollector().use { collector ->
                            predictions = trainer.forward(xb)
                            value = loss.evaluate(yb, predictions)
                            collector.backward(value)
                        }
                        trainer.step()
                        lossSum += value.toType(DataType.FLOAT64, false).getDouble() * rows.size
                        rightSum += loss.accuracy(yb.head(), predictions.head()) * rows.size
                        seen += rows.size
                    }
                    progress.batch(epoch, settings.epochs, b + 1, batches, lossSum / seen, rightSum / seen)
                }
                losses += lossSum / seen
                accuracies += rightSum / seen
            }
        }
        return FitHistory(losses, accuracies)
    }
}
