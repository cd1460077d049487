package dev.kerb.registry;

/**
 * The shape a constraint's dict takes in the configs each Keras generation and TensorFlow.js write; a whole model
 * document's generation is the model module's {@code ModelFormat}, in the same order.
 */
public enum ConstraintFormat {
    /** Keras 1: the flat {@code {"name": "MaxNorm", "m": 2, "axis": 0}}. */
    KERAS_1,
    /** Keras 2 and tf.keras up to 2.12, and TF.js model JSON: {@code {"class_name", "config"}}. */
    KERAS_2,
    /** Keras 3 and Keras 2.13+: {@code {"module", "class_name", "config", "registered_name"}}. */
    KERAS_3,
    /**
     * TensorFlow.js objects in memory (its JavaScript {@code getConfig()}): {@code {"className", "config"}} with
     * camelCase keys ({@code maxValue}). TF.js {@code model.json} files use {@link #KERAS_2} dicts instead.
     */
    TFJS_CAMEL_CASE
}
