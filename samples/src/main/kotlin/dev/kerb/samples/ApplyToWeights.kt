package dev.kerb.samples

import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.model.ModelSpec
import kotlin.math.sqrt
import java.util.Random

/** Sample 4: apply a model's constraints to weights, as an optimizer step would, and show the norms. */
public object ApplyToWeights {
    /** Returns the L2 norm of each column of a row-major `rows x cols` matrix. */
    public fun columnNorms(w: FloatArray, rows: Int, cols: Int): List<Double> =
        (0 until cols).map { c -> sqrt((0 until rows).sumOf { r -> (w[r * cols + c] * w[r * cols + c]).toDouble() }) }

    /** Applies [model]'s constraints to random weights for its `dense` layer; returns the norms before and after. */
    public fun run(model: ModelSpec): Pair<List<Double>, List<Double>> {
        val random = Random(42)
        val kernel = FloatArray(5408 * 128) { (random.nextGaussian() * 0.05).toFloat() }
        val bias = FloatArray(128) { (random.nextGaussian() * 0.1).toFloat() }
        val before = columnNorms(kernel, 5408, 128)
        val negativeBefore = bias.count { it < 0 }
        val applied = model.applyConstraints(mapOf(
            "dense/kernel" to Tensor.of(kernel, Shape.of(5408, 128)),
            "dense/bias" to Tensor.of(bias, Shape.of(128)),
        ))
        val after = columnNorms(kernel, 5408, 128)
        println("4. Applied ${applied.sumOf { it.weights.size }} constraints to the dense layer's weights:")
        println("   kernel column norms before: min %.4f max %.4f".format(before.min(), before.max()))
        println("   kernel column norms after:  min %.4f max %.4f (MaxNorm 2.0)".format(after.min(), after.max()))
        println("   negative biases before: $negativeBefore, after: ${bias.count { it < 0 }} (NonNeg)")
        return before to after
    }
}
