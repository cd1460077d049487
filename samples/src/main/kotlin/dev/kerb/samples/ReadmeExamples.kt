package dev.kerb.samples

import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.dsl.activation
import dev.kerb.dsl.add
import dev.kerb.dsl.concatenate
import dev.kerb.dsl.conv2d
import dev.kerb.dsl.dense
import dev.kerb.dsl.dropout
import dev.kerb.dsl.functional
import dev.kerb.dsl.maxNorm
import dev.kerb.dsl.nonNeg
import dev.kerb.dsl.sequential
import dev.kerb.dsl.unitNorm
import dev.kerb.model.AppliedConstraint
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import java.nio.file.Path

/** The README's Kotlin snippets, kept here so that they compile; SamplesTest runs them. */
public object ReadmeExamples {
    /** The README's Sequential example, written both ways. */
    public fun sequentialExample(): Pair<String, String> {
        val model = sequential("mlp") {
            input(784)
            dense(512, activation = "relu") { kernelConstraint = maxNorm(2.0); biasConstraint = nonNeg() }
            dropout(0.5)
            conv2d(32, kernelSize = 3) { kernelConstraint = unitNorm(axis = listOf(0, 1, 2)) }
        }
        return model.toJson() to model.convert(ModelFormat.KERAS_2).spec.toJson()
    }

    /** The README's Functional example. */
    public fun functionalExample(): ModelSpec = functional("towers") {
        val a = input(8, name = "a")
        val b = input(4, name = "b")
        val shared = dense(4) { kernelConstraint = maxNorm(3) }
        val h = shared(a)
        output(dense(1)(concatenate()(listOf(h, b))), add()(listOf(h, b)))
    }

    /** The README's model-spec example, on an EEGNet file (its dense kernel is 16 x 4). */
    public fun specExample(eegnet: Path, kernel: FloatArray): List<AppliedConstraint> {
        val spec = ModelSpec.read(eegnet)
        val tightened = spec.withConstraint("dense", "kernel_constraint", maxNorm(0.2))
        tightened.constraints()
        return tightened.applyConstraints(mapOf("dense/kernel" to Tensor.of(kernel, Shape.of(16, 4))))
    }
}
