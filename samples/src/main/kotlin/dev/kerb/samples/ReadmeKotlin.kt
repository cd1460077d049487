package dev.kerb.samples

import dev.kerb.core.MaxNorm
import dev.kerb.core.Shape
import dev.kerb.core.Tensor
import dev.kerb.dsl.add
import dev.kerb.dsl.concatenate
import dev.kerb.dsl.constraintType
import dev.kerb.dsl.conv2d
import dev.kerb.dsl.dense
import dev.kerb.dsl.dropout
import dev.kerb.dsl.flatten
import dev.kerb.dsl.functional
import dev.kerb.dsl.maxNorm
import dev.kerb.dsl.nonNeg
import dev.kerb.dsl.sequential
import dev.kerb.dsl.unitNorm
import dev.kerb.model.AppliedConstraint
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import dev.kerb.registry.ConstraintRegistry
import java.nio.file.Path

/**
 * The Kotlin snippets of the README and docs/, line for line (ReadmeSnippetsTest checks that every block is
 * here), so that
 * the build compiles them; SamplesTest runs them from the repository root.
 */
public object ReadmeKotlin {
    /** The DSL section: a Sequential model written both ways, and a Functional one. */
    public fun dsl(): Triple<ModelSpec, ModelSpec, ModelSpec> {
        val model = sequential("cnn") {
            input(28, 28, 1)
            conv2d(32, kernelSize = 3, activation = "relu") { kernelConstraint = unitNorm(axis = listOf(0, 1, 2)) }
            flatten()
            dense(128, activation = "relu") { kernelConstraint = maxNorm(2.0); biasConstraint = nonNeg() }
            dropout(0.5)
            dense(10, activation = "softmax")
        }
        model.toJson()                                                // Keras 3 config.json / to_json() shape
        val (keras2, warnings) = model.convert(ModelFormat.KERAS_2)   // tf.keras 2 shape, which TF.js loads

        val towers = functional("towers") {
            val a = input(8, name = "a")
            val b = input(4, name = "b")
            val shared = dense(4) { kernelConstraint = maxNorm(3) }
            val h = shared(a)                                   // call a layer again to share its weights
            output(dense(1)(concatenate()(listOf(h, b))), add()(listOf(h, b)))
        }
        return Triple(model, keras2.takeIf { warnings.isEmpty() } ?: error("warnings: $warnings"), towers)
    }

    /** The model-spec section: read, edit one constraint, apply, and halve every MaxNorm. */
    public fun specs(): Pair<List<AppliedConstraint>, ModelSpec> {
        val spec = ModelSpec.read("testdata/keras-corpus/arl-eegmodels-eegnet-tfkeras2.1.6-functional-depthwise-maxnorm.model_config.json")
        val tightened = spec.withConstraint("dense", "kernel_constraint", maxNorm(0.2))   // changes only that value
        tightened.constraints()                                                         // (layer, key, constraint)
        val kernel = FloatArray(16 * 4) { 1f }                                          // the Dense kernel, 16 x 4
        val applied = tightened.applyConstraints(mapOf("dense/kernel" to Tensor.of(kernel, Shape.of(16, 4))))
        val halved = spec.mapConstraints { c ->
            (c.constraint as? MaxNorm)?.let { maxNorm(it.maxValue.toDouble() / 2, it.axis) } ?: c.constraint
        }
        return applied to halved
    }

    /** The conversion section: tf.keras 2.5 EEGNet to Keras 3, and a `.keras` archive written with its weights. */
    public fun conversion(out: Path): Pair<ModelSpec, List<String>> {
        val (keras3, warnings) = ModelSpec.read("testdata/keras-corpus/artigence-eegnet-tfkeras2.5-functional-depthwise-maxnorm.model_config.json")
            .convert(ModelFormat.KERAS_3)
        keras3.toJson()       // what Keras 3.15 model_from_json loads
        warnings              // one line per thing carried across without a mapping or dropped
        val archived = ModelSpec.read("testdata/keras-corpus/hls4ml-qkeras-keras3.14-qdense-sequential-registered-clip.keras")
        archived.mapConstraints { null }.write(out.resolve("unconstrained.keras"))   // weights copied byte for byte
        return keras3 to warnings
    }

    /** The registry section: a custom constraint resolved for one model only. */
    public fun scopedRegistry(json: String): ModelSpec {
        val centerAround = constraintType("CenterAround") { CenterAround(number("ref_value", 0.0).toDouble()) }
        val scoped = ConstraintRegistry.defaultRegistry().with(centerAround)   // like Keras' custom_object_scope
        val spec = ModelSpec.parse(json, scoped)                               // its constraints resolve in scoped
        return spec
    }
}
