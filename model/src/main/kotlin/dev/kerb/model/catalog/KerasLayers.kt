package dev.kerb.model.catalog

import dev.kerb.model.InternalKerbApi
import dev.kerb.model.LayerShapeException
import kotlinx.serialization.json.JsonObject

/** The layer catalog as Kerb's other modules (the DSL, DJL) use it. */
@InternalKerbApi
public object KerasLayers {
    /**
     * Returns the shapes a call of a layer outputs for its input shapes (batch first, null where unknown), or null
     * when Kerb does not model its class.
     *
     * @param config the layer's Keras 3 config
     * @throws LayerShapeException if Keras would refuse these inputs; the message names the layer, the shapes and
     *   Keras' reason
     */
    public fun outputShapes(layerName: String, className: String, config: JsonObject, inputs: List<List<Int?>>):
        List<List<Int?>>? {
        val type = LayerCatalog.type(className) ?: return null
        return try {
            LayerCatalog.call(type, LayerArgs(className, config), inputs)
        } catch (e: ShapeMisfit) {
            throw LayerShapeException(layerName, className, inputs, e.message.orEmpty())
        } catch (e: NotModeled) {
            null
        }
    }

    /**
     * Returns the Keras names of the variables a constraint key governs in a layer class (`recurrent_constraint` →
     * `recurrent_kernel`), most likely first.
     */
    public fun governedVariables(className: String, constraintKey: String): List<String> =
        LayerCatalog.governed(className, constraintKey)

    /** Keras' `to_snake_case` (`keras/src/utils/naming.py`), which names layers: `Conv2D` → `conv2d`, `PReLU` → `p_re_lu`. */
    public fun snakeCase(className: String): String = LayerArgs.snakeCase(className)
}
