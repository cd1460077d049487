package dev.kerb.registry;

/** The shapes a constraint takes in configs written by the Keras generations and TensorFlow.js. */
public enum KerasFormat {
    /** Keras 3 and Keras 2.13+: {@code {"module", "class_name", "config", "registered_name"}}. */
    KERAS_3,
    /** Keras 2 and tf.keras up to 2.12, and TF.js model JSON: {@code {"class_name", "config"}}. */
    KERAS_2,
    /** TensorFlow.js in memory: {@code {"className", "config"}} with camelCase keys ({@code maxValue}). */
    TFJS,
    /** Keras 1: the flat {@code {"name": "MaxNorm", "m": 2, "axis": 0}}. */
    KERAS_1
}
