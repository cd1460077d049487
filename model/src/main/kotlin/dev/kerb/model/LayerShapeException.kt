package dev.kerb.model

/**
 * A layer's inputs do not fit it, so Keras would refuse to build the model: a `Concatenate` of mismatched shapes, a
 * `Conv2D` on a rank-3 tensor, a `Reshape` to another size. The message names the layer, its input shapes and Keras'
 * reason, in one line.
 *
 * @property layer the layer's name
 * @property layerClass the layer's class
 * @property inputShapes its input shapes, batch first, null where unknown
 * @property reason Keras' own message for the misfit
 */
public class LayerShapeException(
    public val layer: String,
    public val layerClass: String,
    public val inputShapes: List<List<Int?>>,
    public val reason: String,
) : IllegalArgumentException("layer '$layer' ($layerClass) cannot take input" + (if (inputShapes.size == 1) " " else "s ") +
    inputShapes.joinToString(" and ") { shape -> shape.joinToString(", ", "(", ")") { it?.toString() ?: "None" } } +
    ": $reason") {
    private companion object {
        private const val serialVersionUID = 1L
    }
}
