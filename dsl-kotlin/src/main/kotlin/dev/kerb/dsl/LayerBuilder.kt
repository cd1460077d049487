package dev.kerb.dsl

import dev.kerb.core.Constraint
import dev.kerb.registry.ConstraintRegistry
import kotlin.properties.ReadWriteProperty
import kotlin.reflect.KProperty
import dev.kerb.model.catalog.KerasLayers
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** Marks the Kerb model DSL's receivers, so that an inner block cannot call an outer block's builders by accident. */
@DslMarker
internal annotation class KerbDsl

/**
 * The base of every layer builder: the settings all Keras layers share, and the Keras config keys of the layer's
 * own parameters in Keras' `get_config()` order.
 *
 * Each property of a builder stands for one Keras config key; its default is Keras' default. Builders are made by
 * the DSL functions (`dense(64) { ... }`), never directly.
 */
@KerbDsl
public abstract class LayerBuilder internal constructor(
    /** The Keras `class_name` this builder writes. */
    public val className: String,
) {
    internal val params = ArrayList<Entry>()

    /** The Keras 3 `module` written in the layer's dict. */
    internal open val module: String get() = "keras.layers"

    /** The layer's name; null lets the model name it as Keras does (`dense`, `dense_1`, ...). */
    public var name: String? = null

    /** Whether the layer's weights are trained (Keras `trainable`). */
    public var trainable: Boolean = true

    /** The layer's dtype policy name (Keras `dtype`), written as a `DTypePolicy` dict. */
    public var dtype: String = "float32"

    /** Keras `activity_regularizer`; written right after `dtype` when set, as Keras' base `Layer` does. */
    public var activityRegularizer: Regularizer? = null

    /** The registry of the model this layer is added to; set before the layer's block runs. */
    internal var registry: ConstraintRegistry = ConstraintRegistry.defaultRegistry()

    /**
     * Returns a constraint registered in this model's registry (the one given to [sequential] or [functional]) by
     * name and config: `kernelConstraint = constraint("Custom>CenterAround", "ref_value" to 0.5)`.
     *
     * @throws dev.kerb.registry.ConfigException if the name is not registered there or the config does not fit it
     */
    public fun constraint(name: String, vararg config: Pair<String, Any?>): Constraint =
        registry.fromConfig(name, mapOf(*config))

    internal fun <T> param(key: String, initial: T): Param<T> = Param(key, initial).also { params += it }

    /** A key whose value the builder computes, or leaves out when [value] returns [ABSENT]. */
    internal fun computed(key: String, value: () -> Any?) {
        params += Computed(key, value)
    }

    /**
     * The layers whose own `get_config` also writes `activity_regularizer` (convolutions, EinsumDense, Embedding):
     * `null` at this position when unset; when set, Keras' dict merge moves it up to the base position.
     */
    internal fun activityRegularizerSlot() = computed("activity_regularizer") {
        if (activityRegularizer == null) null else ABSENT
    }

    /** Whether the base writes `activity_regularizer` after `dtype` when set (MultiHeadAttention keeps its own). */
    internal open val baseWritesActivityRegularizer: Boolean get() = true

    /** Checks rules that span several parameters; throws [IllegalArgumentException] naming the layer. */
    internal open fun check(layerName: String) {}

    /**
     * Returns the output shape (batch dimension first, null where unknown) for the given input shapes, from the layer
     * catalog; the first output for a layer with several, the input's shape for a class the catalog does not model.
     *
     * @throws dev.kerb.model.LayerShapeException if Keras would refuse these inputs
     */
    internal open fun outputShape(layerName: String, inputs: List<List<Int?>>): List<Int?> =
        KerasLayers.outputShapes(layerName, className, JsonObject(config(layerName, registry)), inputs)?.first()
            ?: inputs.first()

    /** Returns the config entries in Keras' order. */
    internal open fun config(layerName: String, registry: ConstraintRegistry): LinkedHashMap<String, JsonElement> {
        val config = linkedMapOf<String, JsonElement>(
            "name" to JsonPrimitive(layerName),
            "trainable" to JsonPrimitive(trainable),
            "dtype" to KerasValues.dtypePolicy(dtype),
        )
        activityRegularizer?.takeIf { baseWritesActivityRegularizer }?.let { config["activity_regularizer"] = it.toJson() }
        for (p in params) {
            val value = p.value()
            if (value !== ABSENT) config[p.key] = KerasValues.toJson(value, registry)
        }
        return config
    }
}

/** Marks a computed config key that is left out. */
internal val ABSENT: Any = Any()

/** One Keras config key of a builder, in Keras' order. */
internal sealed interface Entry {
    val key: String
    fun value(): Any?
}

/** A key the user sets, as a property delegate that remembers its value. */
internal class Param<T>(override val key: String, var current: T) : Entry, ReadWriteProperty<Any?, T> {
    override fun value(): Any? = current
    override fun getValue(thisRef: Any?, property: KProperty<*>): T = current
    override fun setValue(thisRef: Any?, property: KProperty<*>, value: T) {
        current = value
    }
}

/** A key whose value the builder derives. */
internal class Computed(override val key: String, private val compute: () -> Any?) : Entry {
    override fun value(): Any? = compute()
}

/** Keras' name for an unnamed layer of a class, from the layer catalog: `Conv2D` → `conv2d`. */
internal fun kerasSnakeCase(name: String): String = KerasLayers.snakeCase(name)

/** Checks a positive count, such as `units`, with a message naming the layer and the value. */
internal fun requirePositive(layer: String, key: String, value: Int) {
    require(value > 0) { "layer '$layer' $key must be positive; got $value" }
}
