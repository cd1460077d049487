package dev.kerb.model.convert

import dev.kerb.model.catalog.CallConvention
import dev.kerb.model.catalog.LayerCatalog

/**
 * What conversion needs to know of Keras' classes. The constructor arguments of each come from the layer catalog
 * ([LayerCatalog]), which read them from Keras 3.15.1 itself; conversion uses them to tell built-in objects (written
 * with the Keras module and a null `registered_name`) from others (carried across with a warning), and to find
 * Keras 2 keys that a Keras 3 constructor would refuse. Keras 2 layers that Keras 3 removed (`CuDNNLSTM`,
 * `LocallyConnected2D`, `ThresholdedReLU`, ...) are not built in here.
 */
internal object KerasClasses {
    /** Layer class → accepted arguments. */
    val LAYERS: Map<String, Set<String>> get() = LayerCatalog.ARGUMENTS_BY_LAYER

    /** Initializer class → accepted arguments. */
    val INITIALIZERS: Map<String, Set<String>> get() = LayerCatalog.INITIALIZERS

    /** Regularizer class → accepted arguments. */
    val REGULARIZERS: Map<String, Set<String>> get() = LayerCatalog.REGULARIZERS

    /** Functional model class names: Keras 2 wrote `Model` (multi-backend, old tf.keras) or `Functional`. */
    val FUNCTIONAL: Set<String> = setOf("Functional", "Model")

    /** The Keras 3 module of a built-in initializer or regularizer, or null if Keras has no such class. */
    fun objectModule(className: String): String? = when (className) {
        in INITIALIZERS -> "keras.initializers"
        in REGULARIZERS -> "keras.regularizers"
        else -> null
    }

    /** The arguments a built-in initializer or regularizer accepts, or null if Keras has no such class. */
    fun objectArguments(className: String): Set<String>? = INITIALIZERS[className] ?: REGULARIZERS[className]

    /**
     * The names of the tensors a layer's call takes after the first argument (Keras 3 `call(query, value, key=None)`),
     * in that order, from the layer catalog's call convention: Keras 3 may record them as positional `args`, tf.keras
     * 2 as `kwargs`.
     */
    fun tensorKeywords(className: String): List<String> =
        if (LayerCatalog.type(className)?.call == CallConvention.ATTENTION) listOf("value", "key") else emptyList()

    /** tf.keras 2 built-ins that Keras 3 does not ship. */
    val KERAS2_ONLY: Set<String> = setOf("RadialConstraint")
}
