package dev.kerb.core;

import java.util.Arrays;

/**
 * The dimensions of a row-major (C-order) tensor, as NumPy and Keras lay them out.
 *
 * <p>Immutable. A shape of rank 0 describes a scalar (one element); any dimension may be 0, which makes the tensor
 * empty.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0], 1);

    private final int[] dims;
    private final int size;

    private Shape(int[] dims, int size) {
        this.dims = dims;
        this.size = size;
    }

    /**
     * Returns the shape with the given dimensions.
     *
     * @param dims the dimensions, outermost first. Not modified.
     * @return the shape
     * @throws IllegalArgumentException if a dimension is negative or the element count exceeds
     *                                  {@link Integer#MAX_VALUE}
     */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        boolean empty = false;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException(
                        "negative dimension " + dims[i] + " at index " + i + " in shape " + Arrays.toString(dims));
            }
            empty |= dims[i] == 0;
        }
        // A zero dimension empties the shape, however large the others are (NumPy writes (65536, 65536, 0)).
        long size = empty ? 0 : 1;
        for (int i = 0; i < dims.length && !empty; i++) {
            size *= dims[i];
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than "
                        + Integer.MAX_VALUE + " elements, the most a Java array holds");
            }
        }
        return new Shape(dims.clone(), (int) size);
    }

    /** Returns the number of dimensions (0 for a scalar). */
    public int rank() {
        return dims.length;
    }

    /**
     * Returns one dimension.
     *
     * @param index the dimension index, from 0 to {@code rank() - 1}
     * @return the size of that dimension
     * @throws IndexOutOfBoundsException if {@code index} is not a valid dimension index
     */
    public int dim(int index) {
        return dims[index];
    }

    /** Returns a copy of the dimensions, outermost first. */
    public int[] dims() {
        return dims.clone();
    }

    /** Returns the number of elements: the product of the dimensions, 1 for a scalar. */
    public int size() {
        return size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Returns the dimensions in brackets, e.g. {@code [3, 4]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
