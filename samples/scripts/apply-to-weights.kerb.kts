// Applies a model's constraints to its weights, named as Keras names variables, as an optimizer step would.
import kotlin.math.sqrt

println("4. Apply a model's constraints to its weights (apply-to-weights.kerb.kts)")
val model = sequential("mlp") {
    input(64)
    dense(16) { kernelConstraint = maxNorm(2.0); biasConstraint = nonNeg() }
}
val random = java.util.Random(7)
val kernel = FloatArray(64 * 16) { (random.nextGaussian() * 0.5).toFloat() }
val bias = FloatArray(16) { (random.nextGaussian()).toFloat() }
fun columnNorms() = (0 until 16).map { j -> sqrt((0 until 64).sumOf { i -> (kernel[i * 16 + j] * kernel[i * 16 + j]).toDouble() }) }
println("kernel column norms before: max %.4f".format(columnNorms().max()))
val negativeBefore = bias.count { it < 0 }
val applied = model.applyConstraints(mapOf(
    "dense/kernel" to Tensor.of(kernel, Shape.of(64, 16)),
    "dense/bias" to Tensor.of(bias, Shape.of(16)),
))
println("applied ${applied.size} constraints to ${applied.flatMap { it.weights }}")
println("kernel column norms after:  max %.4f (MaxNorm 2.0)".format(columnNorms().max()))
println("negative biases before: $negativeBefore, after: ${bias.count { it < 0 }} (NonNeg)")
model
