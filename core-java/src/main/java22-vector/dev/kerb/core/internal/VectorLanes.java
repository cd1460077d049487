package dev.kerb.core.internal;

import static dev.kerb.core.internal.VectorLoops.DL;

import jdk.incubator.vector.DoubleVector;

/**
 * Adds the lanes of a vector on JDK 22 and later, the multi-release jar's version of the JDK 17 class: one by one in
 * lane order from 0.0, the order of JDK 17's {@code reduceLanes(ADD)}. JDK 25's {@code reduceLanes(ADD)} adds in that
 * order when interpreted but in a tree once C2 compiles it (the Vector API allows any order), so a sum's last bit,
 * and with it the bitwise equality of array and buffer kernels, would depend on which loops were compiled yet.
 */
final class VectorLanes {
    private VectorLanes() {
    }

    /** Returns the sum of the lanes of {@code v}, added in lane order from 0.0. */
    static double sum(DoubleVector v) {
        double s = 0.0;
        for (int i = 0; i < DL; i++) {
            s += v.lane(i);
        }
        return s;
    }
}
