package dev.kerb.core;

import static dev.kerb.core.VectorRowLoops.D;
import static dev.kerb.core.VectorRowLoops.DL;
import static dev.kerb.core.VectorRowLoops.HALF;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The factors of a norm constraint ({@link Loops#factors}) on the Vector API, several slices per square root and
 * division. Each lane computes {@link NormConstraint#factor} with the same operations in the same order (square root,
 * division and Math.min/max semantics are exact per lane, and Java never fuses a multiply and an add), so the
 * factors are bit for bit the scalar ones.
 */
final class VectorFactors {
    private VectorFactors() {
    }

    static void of(double[] sums, int n, NormConstraint c, double epsilon, float[] factors) {
        int i = 0;
        for (; i + DL <= n; i += DL) {
            DoubleVector f = factor(DoubleVector.fromArray(D, sums, i), c, epsilon);
            ((FloatVector) f.convertShape(VectorOperators.D2F, HALF, 0)).intoArray(factors, i);
        }
        for (; i < n; i++) {
            factors[i] = (float) c.factor(sums[i], epsilon);
        }
    }

    static void of(double[] sums, int n, NormConstraint c, double epsilon, double[] factors) {
        int i = 0;
        for (; i + DL <= n; i += DL) {
            factor(DoubleVector.fromArray(D, sums, i), c, epsilon).intoArray(factors, i);
        }
        for (; i < n; i++) {
            factors[i] = c.factor(sums[i], epsilon);
        }
    }

    /** {@link NormConstraint#factor} lane by lane. */
    private static DoubleVector factor(DoubleVector sumOfSquares, NormConstraint c, double epsilon) {
        DoubleVector norm = sumOfSquares.lanewise(VectorOperators.SQRT);
        DoubleVector desired;
        if (c.kind == NormConstraint.CLIP) {
            desired = norm.min(c.high).max(c.low);
        } else if (c.kind == NormConstraint.BLEND) {
            desired = norm.min(c.high).max(c.low).mul(c.rate).add(norm.mul(1 - c.rate));
        } else {
            desired = DoubleVector.broadcast(D, 1.0);
        }
        return desired.div(norm.add(epsilon));
    }
}
