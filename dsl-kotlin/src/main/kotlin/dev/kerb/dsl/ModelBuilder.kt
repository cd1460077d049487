package dev.kerb.dsl

import dev.kerb.registry.ConstraintRegistry
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * The receiver of [sequential] and [functional] blocks: layers added here get Keras' automatic names (`dense`,
 * `dense_1`, ...) unless named, and names must be unique.
 */
@KerbDsl
public abstract class ModelBuilder internal constructor(
    internal val modelName: String,
    internal val registry: ConstraintRegistry,
) {
    internal val layers = ArrayList<Layer>()
    private val counters = HashMap<String, Int>()

    /** Adds a layer; the DSL functions (`dense`, `conv2d`, ...) call this. */
    internal fun <B : LayerBuilder> add(builder: B, block: B.() -> Unit): Layer {
        builder.registry = registry
        builder.block()
        val name = builder.name ?: autoName(builder.className)
        require(layers.none { it.name == name }) { "duplicate layer name '$name' in model '$modelName'" }
        builder.check(name)
        return Layer(name, builder, this).also { layers += it }
    }

    private fun autoName(className: String): String {
        val base = kerasSnakeCase(className)
        while (true) {
            val n = counters.merge(base, 1, Int::plus)!! - 1
            val candidate = if (n == 0) base else "${base}_$n"
            if (layers.none { it.name == candidate }) return candidate
        }
    }

    /** Returns a layer's Keras 3 dict. */
    internal fun layerJson(layer: Layer, extra: Map<String, JsonElement> = emptyMap()): JsonObject =
        JsonObject(linkedMapOf<String, JsonElement>(
            "module" to JsonPrimitive(layer.builder.module),
            "class_name" to JsonPrimitive(layer.builder.className),
            "config" to JsonObject(layer.builder.config(layer.name, registry)),
            "registered_name" to JsonPrimitive(null as String?),
        ) + extra)
}

/**
 * A layer added to a model. In a [functional] model, call it on tensors to connect it; calling it again shares its
 * weights, as in Keras.
 *
 * @property name the layer's name in the model
 */
@KerbDsl
public class Layer internal constructor(
    public val name: String,
    internal val builder: LayerBuilder,
    private val model: ModelBuilder,
) {
    internal val nodes = ArrayList<Node>()

    /**
     * Applies the layer to one or more tensors, as `layer(x)` or `layer(query, value)` does in Keras.
     *
     * @throws IllegalArgumentException outside a functional model, or with a tensor of another model
     * @throws dev.kerb.model.LayerShapeException if the tensors' shapes do not fit the layer, as Keras would refuse them
     */
    public operator fun invoke(vararg inputs: KTensor): KTensor = call(inputs.toList(), asList = false)

    /**
     * Applies a merge layer (`concatenate`, `add`) to a list of tensors, as `layer([a, b])` does in Keras.
     *
     * @throws IllegalArgumentException outside a functional model, or with a tensor of another model
     * @throws dev.kerb.model.LayerShapeException if the tensors' shapes do not fit the layer, as Keras would refuse them
     */
    public operator fun invoke(inputs: List<KTensor>): KTensor = call(inputs, asList = true)

    private fun call(inputs: List<KTensor>, asList: Boolean): KTensor {
        require(model is FunctionalBuilder) {
            "layer '$name' is called on a tensor, but model '${model.modelName}' is Sequential; call layers only " +
                "inside functional { }"
        }
        require(inputs.isNotEmpty()) { "layer '$name' is called on no tensor" }
        for (t in inputs) {
            require(t.layer.model === model) {
                "layer '$name' is called on tensor ${t.layer.name}, which belongs to another model"
            }
        }
        val shape = builder.outputShape(name, inputs.map { it.shape })
        val node = Node(inputs, asList, shape)
        nodes += node
        return KTensor(this, nodes.size - 1, shape)
    }

    override fun toString(): String = "${builder.className} '$name'"
}

/** One call of a layer in a functional model. */
internal class Node(val inputs: List<KTensor>, val asList: Boolean, val outputShape: List<Int?>)

/**
 * A symbolic tensor in a [functional] model: the output of one call of a layer.
 *
 * @property shape its shape, batch dimension first; null where unknown
 */
public class KTensor internal constructor(
    internal val layer: Layer,
    internal val nodeIndex: Int,
    public val shape: List<Int?>,
) {
    /** Returns the Keras 3 `__keras_tensor__` dict that refers to this tensor in `inbound_nodes`. */
    internal fun toKeras3(): JsonObject = JsonObject(linkedMapOf(
        "class_name" to JsonPrimitive("__keras_tensor__"),
        "config" to JsonObject(linkedMapOf(
            "shape" to JsonArray(shape.map { JsonPrimitive(it) }),
            "dtype" to JsonPrimitive(layer.builder.dtype),
            "keras_history" to history(),
        )),
    ))

    internal fun history(): JsonArray =
        JsonArray(listOf(JsonPrimitive(layer.name), JsonPrimitive(nodeIndex), JsonPrimitive(0)))

    override fun toString(): String = "KTensor(${layer.name}[$nodeIndex], shape=$shape)"
}
