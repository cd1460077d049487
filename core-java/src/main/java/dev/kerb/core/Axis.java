package dev.kerb.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The {@code axis} argument of a Keras norm constraint: one axis, a list of axes, or all axes.
 *
 * <p>Axes may be negative (NumPy rules: -1 is the last axis) and are resolved against a tensor's rank only when the
 * constraint is applied, exactly as Keras passes {@code axis} to {@code ops.sum}. The form is kept as given, so that
 * {@link #toConfigValue()} writes an int as an int and a list as a list, as Keras' {@code get_config} does.
 * Immutable.
 */
public final class Axis {
    private static final Axis ALL = new Axis(null, false);

    private final List<Integer> axes; // null means every axis (Keras axis=None)
    private final boolean isList;

    private Axis(List<Integer> axes, boolean isList) {
        this.axes = axes;
        this.isList = isList;
    }

    /**
     * Returns a single axis, written back as a JSON int.
     *
     * @param axis the axis, negative to count from the end
     * @return the axis value
     */
    public static Axis of(int axis) {
        return new Axis(List.of(axis), false);
    }

    /**
     * Returns a list of axes, written back as a JSON list (even with one element).
     *
     * @param axes the axes, each negative to count from the end. Not modified.
     * @return the axis value
     */
    public static Axis list(int... axes) {
        List<Integer> values = new ArrayList<>(axes.length);
        for (int a : axes) {
            values.add(a);
        }
        return new Axis(Collections.unmodifiableList(values), true);
    }

    /**
     * Returns a list of axes, written back as a JSON list (even with one element).
     *
     * @param axes the axes. Not modified.
     * @return the axis value
     * @throws NullPointerException if {@code axes} or an element is null
     */
    public static Axis list(List<Integer> axes) {
        return new Axis(List.copyOf(axes), true);
    }

    /** Returns the value that reduces over every axis, Keras' {@code axis=None}: one norm for the whole tensor. */
    public static Axis all() {
        return ALL;
    }

    /** Returns whether this was given as a list (and is written back as one). */
    public boolean isList() {
        return isList;
    }

    /** Returns whether this is {@link #all()}. */
    public boolean isAll() {
        return axes == null;
    }

    /** Returns the axes as given (possibly negative), or an empty list for {@link #all()}. */
    public List<Integer> values() {
        return axes == null ? List.of() : axes;
    }

    /** Returns the Keras config value: an {@link Integer}, a {@link List} of Integers, or null for {@link #all()}. */
    public Object toConfigValue() {
        if (axes == null) {
            return null;
        }
        return isList ? axes : axes.get(0);
    }

    /**
     * Resolves these axes against a shape.
     *
     * @param shape the tensor shape
     * @return for each dimension of {@code shape}, whether the norm reduces over it
     * @throws IllegalArgumentException if an axis is outside {@code [-rank, rank)} or an axis is named twice
     */
    boolean[] resolve(Shape shape) {
        int rank = shape.rank();
        boolean[] reduced = new boolean[rank];
        if (axes == null) {
            java.util.Arrays.fill(reduced, true);
            return reduced;
        }
        for (int a : axes) {
            if (a < -rank || a >= rank) {
                throw new IllegalArgumentException("axis " + a + " is out of range for rank " + rank
                        + " (shape " + shape + "); expected an axis in [" + (-rank) + ", " + rank + ")");
            }
            int resolved = a < 0 ? a + rank : a;
            if (reduced[resolved]) {
                throw new IllegalArgumentException("axis " + toConfigValue() + " names axis " + resolved
                        + " twice (shape " + shape + "); expected distinct axes");
            }
            reduced[resolved] = true;
        }
        return reduced;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Axis other && isList == other.isList && Objects.equals(axes, other.axes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(axes, isList);
    }

    /** Returns the Python form: {@code 0}, {@code [0, 1, 2]} or {@code None}. */
    @Override
    public String toString() {
        return axes == null ? "None" : String.valueOf(toConfigValue());
    }
}
