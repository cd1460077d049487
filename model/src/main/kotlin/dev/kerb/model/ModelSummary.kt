package dev.kerb.model

import dev.kerb.model.summary.SummaryJson
import dev.kerb.registry.ConstraintRegistry
import dev.kerb.model.summary.SummaryText

/**
 * What a model computes, as Keras 3.15.1's `model.summary()` shows it: one row per layer in Keras' order with its
 * output shape and parameter count, and the totals. Kerb also keeps the constraints each layer carries. Shapes come
 * from the layer catalog; a layer class Kerb does not model leaves the shapes after it unknown ([notes]), and a layer
 * whose inputs do not fit it is reported in [misfit]. Immutable.
 *
 * @property name the model's name
 * @property className `Sequential` or `Functional`
 * @property layers the rows, in Keras' order
 * @property totalParams every parameter Kerb could count; a shared weight counts once
 * @property trainableParams the parameters the optimizer updates
 * @property nonTrainableParams the others (BatchNormalization's moving statistics, frozen layers)
 * @property trainableBytes the trainable parameters' size under the layers' dtype policies
 * @property nonTrainableBytes the non-trainable parameters' size
 * @property notes one line per layer class whose shapes Kerb does not know, naming the layers affected
 * @property misfit the first layer whose inputs Keras would refuse, or null
 */
public class ModelSummary internal constructor(
    public val name: String,
    public val className: String,
    public val layers: List<LayerSummary>,
    public val totalParams: Long,
    public val trainableParams: Long,
    public val nonTrainableParams: Long,
    public val trainableBytes: Long,
    public val nonTrainableBytes: Long,
    public val notes: List<String>,
    public val misfit: LayerShapeException?,
    internal val sequentialLike: Boolean,
    internal val registry: ConstraintRegistry,
) {
    /**
     * Returns the summary as Keras prints it, and after each row whose layer carries constraints one more row listing
     * them (`↳ kernel_constraint: MaxNorm(...)`, one per line, the other cells empty); without those rows the text is
     * Keras' own. Notes and the misfit follow the totals, one line each.
     *
     * @param expandNested whether nested models' layers get rows of their own, as Keras' `expand_nested`
     * @param lineLength the table's width; Keras' default (88, or 108 with "Connected to") when null
     * @throws IllegalArgumentException if [lineLength] leaves a column narrower than 4, as Keras refuses
     */
    @JvmOverloads
    public fun toText(expandNested: Boolean = false, lineLength: Int? = null): String =
        SummaryText.render(this, expandNested, lineLength)

    /**
     * Returns the summary as JSON: `{"name", "class_name", "layers": [{"name", "class_name", "output_shape", "params",
     * "trainable_params", "non_trainable_params", "inbound", "constraints": [{"layer", "key", "constraint": <Keras 3
     * dict>}]}], "total_params", "trainable_params",
     * "non_trainable_params", "trainable_bytes", "non_trainable_bytes", "notes", "misfit"}`; an `output_shape` is a
     * list with null for unknown or batch dimensions, a list of such lists for several outputs, or null when unknown.
     */
    @JvmOverloads
    public fun toJson(prettyPrint: Boolean = false): String = SummaryJson.text(this, prettyPrint)

    override fun toString(): String = "ModelSummary($className '$name', ${layers.size} layers, $totalParams params)"
}

/**
 * One row of a [ModelSummary].
 *
 * @property name the layer's name
 * @property className the layer's class as Keras names it
 * @property outputShapes the shapes of its outputs (the last call's), batch first, null entries where unknown; null
 *   when Kerb does not know them
 * @property params its parameter count, or null when unknown
 * @property trainableParams its trainable parameters, or null when unknown
 * @property nonTrainableParams its non-trainable parameters, or null when unknown
 * @property inbound the tensors it is called on, as Keras' "Connected to" names them (`dense[0][0]`); empty in a
 *   Sequential model and for inputs
 * @property constraints the constraints of its weights and of its sublayers' weights
 * @property layers the rows of a nested model's layers; empty for other layers
 * @property built false when the model declares no input shape, so that Keras would not have built the layer (its
 *   counts are then 0, printed `0 (unbuilt)` as Keras prints them)
 */
public class LayerSummary internal constructor(
    public val name: String,
    public val className: String,
    public val outputShapes: List<List<Int?>>?,
    public val params: Long?,
    public val trainableParams: Long?,
    public val nonTrainableParams: Long?,
    public val inbound: List<String>,
    public val constraints: List<ModelConstraint>,
    public val layers: List<LayerSummary>,
    public val built: Boolean,
) {
    override fun toString(): String = "$className '$name' ${outputShapes ?: "?"} ${params ?: "?"}"
}
