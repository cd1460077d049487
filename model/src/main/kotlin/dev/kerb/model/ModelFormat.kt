package dev.kerb.model

import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** The generation of a Keras model config, which decides the shape of every dict in it. */
public enum class ModelFormat {
    /** Keras 1 `model.to_json()`: `keras_version` 1.x, Keras 1 layer keys (`W_constraint`, `output_dim`). */
    KERAS_1,

    /**
     * Keras 2 and tf.keras `model.to_json()` or `model_config`: `{"class_name", "config", "keras_version",
     * "backend"}`; from 2.13 nested objects may take the Keras 3 four-key form.
     */
    KERAS_2,

    /** Keras 3 `model.to_json()` and `.keras` `config.json`: `{"module", "class_name", "config", "registered_name"}`. */
    KERAS_3,

    /** A TensorFlow.js `model.json`: `{"modelTopology": ..., "weightsManifest": ...}`, its topology in Keras 2 shape. */
    TFJS;

    internal companion object {
        /** Detects the format of a model document from its top-level keys and `keras_version`. */
        fun detect(document: JsonObject, model: JsonObject): ModelFormat {
            val version = (model["keras_version"] as? JsonPrimitive)?.takeIf { it.isString }?.content
                ?: ((document["modelTopology"] as? JsonObject)?.get("keras_version") as? JsonPrimitive)?.content
            return when {
                document.containsKey("modelTopology") -> TFJS
                model.containsKey("module") || model.containsKey("registered_name") -> KERAS_3
                version != null && version.startsWith("1.") -> KERAS_1
                version != null && version.startsWith("3.") -> KERAS_3
                else -> KERAS_2
            }
        }
    }
}
