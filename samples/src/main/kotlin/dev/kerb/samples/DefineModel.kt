package dev.kerb.samples

import dev.kerb.dsl.activation
import dev.kerb.dsl.conv2d
import dev.kerb.dsl.dense
import dev.kerb.dsl.dropout
import dev.kerb.dsl.flatten
import dev.kerb.dsl.maxNorm
import dev.kerb.dsl.maxPooling2d
import dev.kerb.dsl.nonNeg
import dev.kerb.dsl.sequential
import dev.kerb.dsl.unitNorm
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import java.nio.file.Files
import java.nio.file.Path

/** Sample 1: define a model in the DSL and save it as Keras 3 JSON and as Keras 2 JSON (which TF.js loads). */
public object DefineModel {
    /** Builds the model of the README. */
    public fun model(): ModelSpec = sequential("mnist_cnn") {
        input(28, 28, 1)
        conv2d(32, kernelSize = 3) { activation = "relu"; kernelConstraint = unitNorm(axis = listOf(0, 1, 2)) }
        maxPooling2d()
        flatten()
        dense(128, activation = "relu") { kernelConstraint = maxNorm(2.0); biasConstraint = nonNeg() }
        dropout(0.5)
        dense(10, activation = "softmax")
    }

    /** Writes `mnist_cnn.keras3.json` and `mnist_cnn.keras2.json` into [out] and returns the spec. */
    public fun run(out: Path): ModelSpec {
        val model = model()
        Files.createDirectories(out)
        Files.writeString(out.resolve("mnist_cnn.keras3.json"), model.toJson(prettyPrint = true))
        Files.writeString(out.resolve("mnist_cnn.keras2.json"), model.convert(ModelFormat.KERAS_2).spec.toJson(prettyPrint = true))
        println("1. Defined '${model.className}' with ${model.layers().size} layers; constraints:")
        for (c in model.constraints()) println("     ${c.layer.padEnd(8)} ${c.key.padEnd(18)} ${c.constraint}")
        println("   wrote ${out.resolve("mnist_cnn.keras3.json")} (Keras 3) and mnist_cnn.keras2.json (Keras 2, TF.js)")
        return model
    }
}
