package dev.kerb.core;

/** The element type of a {@link Tensor}. */
public enum DType {
    /** IEEE 754 single precision ({@code float}, NumPy {@code <f4}). */
    FLOAT32,
    /** IEEE 754 double precision ({@code double}, NumPy {@code <f8}). */
    FLOAT64
}
