package dev.kerb.core.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Adds the lanes of a vector for the Vector API loops, in one place so that the multi-release jar can replace it: on
 * JDK 17 with {@code reduceLanes(ADD)}, which adds them one by one in lane order from 0.0, interpreted and compiled
 * alike. On JDK 22 and later its version in {@code META-INF/versions/22} adds them in that order itself, since the
 * Vector API lets a floating-point reduction add in any order and JDK 25's C2 does (a tree), unlike its interpreter.
 */
final class VectorLanes {
    private VectorLanes() {
    }

    /** Returns the sum of the lanes of {@code v}, added in lane order from 0.0. */
    static double sum(DoubleVector v) {
        return v.reduceLanes(VectorOperators.ADD);
    }
}
