package dev.kerb.core;

import java.util.Map;

/**
 * A Keras weight constraint: a projection applied to a weight tensor, in place, after each optimizer step.
 *
 * <p>Implementations are immutable and thread-safe, and derive {@code equals}, {@code hashCode} and
 * {@code toString} from the parameters that {@link #getConfig()} returns. To write a custom constraint, implement
 * {@link #apply(Tensor, ApplyOptions)} and {@link #getConfig()}; every other method has a default. An
 * implementation validates everything before it writes, so a tensor that fails is left unchanged.
 */
public interface Constraint {

    /**
     * Projects {@code weights} in place.
     *
     * @param weights the tensor to constrain. Modified.
     * @param options the settings for this call, such as epsilon
     * @throws IllegalArgumentException if the constraint cannot apply to this shape (for example an axis out of
     *                                  range); {@code weights} is then unchanged
     */
    void apply(Tensor weights, ApplyOptions options);

    /**
     * Checks, without touching any data, that this constraint can apply to a tensor of this shape, so that callers
     * constraining several tensors can check them all before changing any. The default accepts every shape.
     *
     * @param shape the shape of the weights
     * @throws IllegalArgumentException if {@link #apply(Tensor, ApplyOptions)} would reject the shape
     */
    default void check(Shape shape) {
    }

    /**
     * Returns the Keras {@code get_config()} of this constraint: its parameters under their Keras keys, in Keras'
     * key order, with the value types Keras writes (an int stays an {@link Integer}, a list axis a {@link java.util.List}).
     *
     * @return an unmodifiable map; empty for constraints without parameters
     */
    Map<String, Object> getConfig();

    /**
     * Projects {@code weights} in place with {@link ApplyOptions#DEFAULT}.
     *
     * @param weights the tensor to constrain. Modified.
     * @throws IllegalArgumentException as {@link #apply(Tensor, ApplyOptions)}
     */
    default void apply(Tensor weights) {
        apply(weights, ApplyOptions.DEFAULT);
    }

    /**
     * Projects a float32 array in place.
     *
     * @param data  the weights, row-major, from index 0. Modified.
     * @param shape the shape of the weights
     * @throws IllegalArgumentException if {@code data} is smaller than the shape or the constraint cannot apply to
     *                                  it; {@code data} is then unchanged
     */
    default void apply(float[] data, Shape shape) {
        apply(Tensor.of(data, shape), ApplyOptions.DEFAULT);
    }

    /**
     * Projects a float64 array in place.
     *
     * @param data  the weights, row-major, from index 0. Modified.
     * @param shape the shape of the weights
     * @throws IllegalArgumentException if {@code data} is smaller than the shape or the constraint cannot apply to
     *                                  it; {@code data} is then unchanged
     */
    default void apply(double[] data, Shape shape) {
        apply(Tensor.of(data, shape), ApplyOptions.DEFAULT);
    }

    /**
     * Returns a projected copy of a float32 array.
     *
     * @param data  the weights, row-major, from index 0. Not modified.
     * @param shape the shape of the weights
     * @return a new array of {@code shape.size()} elements
     * @throws IllegalArgumentException if {@code data} is smaller than the shape or the constraint cannot apply to it
     */
    default float[] applied(float[] data, Shape shape) {
        Tensor.of(data, shape); // validates the length before copying
        float[] copy = java.util.Arrays.copyOf(data, shape.size());
        apply(copy, shape);
        return copy;
    }

    /**
     * Returns a projected copy of a float64 array.
     *
     * @param data  the weights, row-major, from index 0. Not modified.
     * @param shape the shape of the weights
     * @return a new array of {@code shape.size()} elements
     * @throws IllegalArgumentException if {@code data} is smaller than the shape or the constraint cannot apply to it
     */
    default double[] applied(double[] data, Shape shape) {
        Tensor.of(data, shape); // validates the length before copying
        double[] copy = java.util.Arrays.copyOf(data, shape.size());
        apply(copy, shape);
        return copy;
    }

    /** Returns Keras' base {@code Constraint}: the identity, which leaves weights unchanged. */
    static Constraint identity() {
        return Identity.INSTANCE;
    }
}
