package dev.kerb.model.summary

import dev.kerb.model.InternalKerbApi
import dev.kerb.model.ModelConstraint
import dev.kerb.model.ModelFormat
import dev.kerb.model.ModelSpec
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * A model as a graph to draw, as Keras' `plot_model` draws it: one box per layer (a shared layer once, however often
 * it is called), an edge per connection between two layers, nested models as diagrams of their own, each layer with
 * the shapes of its first call and the constraints it carries. Built for any config: a layer class Kerb does not
 * model is drawn with unknown shapes.
 *
 * @property name the model's name
 * @property className `Sequential` or `Functional`
 * @property layers the layers in Keras' summary order (a Functional model's inputs included, a Sequential one's not)
 * @property edges each connection once, as the names of the layer it leaves and the layer it enters
 */
@InternalKerbApi
public class ModelDiagram internal constructor(
    public val name: String,
    public val className: String,
    public val layers: List<DiagramLayer>,
    public val edges: List<Pair<String, String>>,
) {
    public companion object {
        /** Returns the diagram of [spec], converted to Keras 3. */
        @JvmStatic
        public fun of(spec: ModelSpec): ModelDiagram {
            val (model, _) = ShapeInference.infer(spec.convert(ModelFormat.KERAS_3).spec.model)
            return diagram(model, "", spec.constraints())
        }

        private fun diagram(model: InferredModel, prefix: String, constraints: List<ModelConstraint>): ModelDiagram {
            val layers = model.rows.map { layer -> layer(layer, prefix, constraints) }
            val names = model.rows.mapTo(HashSet()) { it.name }
            val edges = if (model.className == "Sequential") layers.zipWithNext { a, b -> a.name to b.name }
            else model.rows.flatMap { layer -> layer.nodes.flatMap { it.inputs }.map { it.layer to layer.name } }
                .filter { (from, _) -> from in names }.distinct()
            return ModelDiagram(model.name, model.className, layers, edges)
        }

        private fun layer(layer: GraphLayer, prefix: String, constraints: List<ModelConstraint>): DiagramLayer {
            val path = prefix + layer.name
            val nested = layer.nested?.let { diagram(it, "$path/", constraints) }
            val first = layer.nodes.firstOrNull()
            val wrapped = ((layer.args.config["layer"] as? JsonObject)?.get("class_name") as? JsonPrimitive)?.content
            // A nested model's diagram shows its own layers' constraints; a wrapper's box shows its inner layer's.
            val own = constraints.filter { c -> c.layer == path || (nested == null && c.layer.startsWith("$path/")) }
                .map { c ->
                    val inner = if (c.layer == path) "" else c.layer.removePrefix("$path/") + " "
                    "$inner${c.key}: ${c.constraint}"
                }
            val inputs = if (layer.className == "InputLayer") emptyList() else first?.inputShapes ?: emptyList()
            return DiagramLayer(layer.name, layer.className, wrapped, inputs, first?.outputs, own, nested)
        }
    }
}

/**
 * One box of a [ModelDiagram].
 *
 * @property wrapped the class of the layer a wrapper (`Bidirectional`, `TimeDistributed`) holds, or null
 * @property inputShapes the input shapes of its first call (null entries where unknown; none for an input layer)
 * @property outputShapes the output shapes of its first call, or null where unknown
 * @property constraints each constraint it carries, as `kernel_constraint: MaxNorm(max_value=3, axis=0)`, prefixed
 *   by the inner layer's path where a wrapper holds it
 * @property nested the diagram of the model this layer is, or null
 */
@InternalKerbApi
public class DiagramLayer internal constructor(
    public val name: String,
    public val className: String,
    public val wrapped: String?,
    public val inputShapes: List<List<Int?>?>,
    public val outputShapes: List<List<Int?>>?,
    public val constraints: List<String>,
    public val nested: ModelDiagram?,
)
