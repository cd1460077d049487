package dev.kerb.dsl

import dev.kerb.model.LayerShapeException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/**
 * A DSL model whose shapes do not fit fails when it is built, naming the layer, its input shapes and Keras' reason.
 * Each reason is the text Keras 3.15.1 raises for the same layer and shapes (`catalog/keras-layers.json` in the model
 * module's test resources, written by `make_catalog_fixtures.py` from Keras itself).
 */
class ShapeMisfitTest : FunSpec({
    test("Concatenate of a conv map and a vector (the issue's example)") {
        shouldThrow<LayerShapeException> {
            functional {
                val image = input(8, 8, 3)
                val vector = input(5)
                val features = conv2d(4, 3)(image)
                output(dense(1)(concatenate()(listOf(features, vector))))
            }
        }.message shouldBe "layer 'concatenate' (Concatenate) cannot take inputs (None, 6, 6, 4) and (None, 5): A " +
            "`Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: " +
            "input_shape=[(None, 6, 6, 4), (None, 5)]"
    }

    test("Add of different widths") {
        shouldThrow<LayerShapeException> {
            functional {
                val x = input(8)
                output(add()(listOf(dense(4)(x), dense(5)(x))))
            }
        }.message shouldBe "layer 'add' (Add) cannot take inputs (None, 4) and (None, 5): Inputs have incompatible " +
            "shapes. Received shapes (4,) and (5,)"
    }

    test("Dense on an input without feature dimensions") {
        shouldThrow<LayerShapeException> {
            functional { output(dense(3)(input())) }
        }.message shouldBe "layer 'dense' (Dense) cannot take input (None): Input 0 with name 'None' of layer 'dense' " +
            "is incompatible with the layer: expected min_ndim=2, found ndim=1. Full shape received: (None,)"
    }

    test("Conv2D on a rank-3 tensor, in a Sequential model, when the model is built") {
        shouldThrow<LayerShapeException> {
            sequential {
                input(5, 5)
                conv2d(2, 3)
            }
        }.message shouldBe "layer 'conv2d' (Conv2D) cannot take input (None, 5, 5): Input 0 with name 'None' of layer " +
            "'conv2d' is incompatible with the layer: expected min_ndim=4, found ndim=3. Full shape received: " +
            "(None, 5, 5)"
    }

    test("a window larger than its input with valid padding") {
        shouldThrow<LayerShapeException> {
            sequential {
                input(3, 3, 1)
                conv2d(2, 5)
            }
        }.message shouldBe "layer 'conv2d' (Conv2D) cannot take input (None, 3, 3, 1): Computed output size would be " +
            "zero or negative. Received `inputs shape=(None, 3, 3, 1)`, `kernel shape=(5, 5, 1, 2)`, " +
            "`dilation_rate=[1 1]`, `strides=(1, 1)`, `padding=valid`."
    }

    test("a Reshape to a different size") {
        shouldThrow<LayerShapeException> {
            sequential {
                input(6)
                reshape(4)
            }
        }.message shouldBe "layer 'reshape' (Reshape) cannot take input (None, 6): The total size of the tensor must " +
            "be unchanged. Received: input_shape=(6,), target_shape=(4,)"
    }

    test("a model whose shapes fit builds, and its tensors carry Keras' shapes") {
        functional {
            val image = input(8, 8, 3)
            val features = flatten()(conv2d(4, 3) { padding = "same"; strides = listOf(2, 2) }(image))
            features.shape shouldBe listOf(null, 64)
            output(dense(2)(features))
        }.summary().totalParams shouldBe (3 * 3 * 3 * 4 + 4 + 64 * 2 + 2).toLong()
    }
})
