// Defines a small classifier with constraints, draws its initial weights as Keras' initializers do (seeded, so the
// same seed gives the same file), and saves it as a .keras archive that Keras 3 loads, trains and predicts with.
// Run from the repository root (the file goes where the argument after -- says, by default target/classifier.keras):
//   ./kerb run samples/scripts/save-keras.kerb.kts -- target/classifier.keras
println("5. Save a model with initial weights as .keras (save-keras.kerb.kts)")
val target = Path.of(args.firstOrNull() ?: "target/classifier.keras")
target.toAbsolutePath().parent.createDirectories()
val model = sequential("classifier") {
    input(20)
    dense(64, activation = "relu") { kernelInitializer = heNormal(); kernelConstraint = maxNorm(3.0) }
    batchNormalization()
    dropout(0.2)
    dense(3, activation = "softmax") { biasConstraint = nonNeg() }
}
val weights = model.initialWeights(seed = 42)
model.write(target, weights)
println("Wrote $target with ${weights.names.size} variables: ${weights.names.joinToString()}")
val kernel = weights["dense/kernel"]
println("dense/kernel ${kernel.shape()}: He normal, stddev %.4f".format(
    kotlin.math.sqrt((0 until kernel.size()).sumOf { kernel.get(it) * kernel.get(it) } / kernel.size())))
model
