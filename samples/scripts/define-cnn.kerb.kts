// Defines a small CNN with Keras constraints and ends with it, so that `kerb run --save cnn.json` writes it as
// Keras 3 JSON (and `--save cnn.keras --seed 1` as a .keras archive with initial weights).
println("1. Define a CNN with constraints (define-cnn.kerb.kts)")
val model = sequential("mnist_cnn") {
    input(28, 28, 1)
    conv2d(32, kernelSize = 3, activation = "relu") { kernelConstraint = unitNorm(axis = listOf(0, 1, 2)) }
    maxPooling2d()
    flatten()
    dense(128, activation = "relu") { kernelConstraint = maxNorm(2.0); biasConstraint = nonNeg() }
    dropout(0.5)
    dense(10, activation = "softmax")
}
println("Defined '${model.className}' with ${model.layers().size} layers; constraints:")
for (c in model.constraints()) println("  ${c.layer.padEnd(8)} ${c.key.padEnd(18)} ${c.constraint}")
model
