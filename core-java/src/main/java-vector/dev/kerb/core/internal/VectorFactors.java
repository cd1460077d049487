package dev.kerb.core.internal;

import static dev.kerb.core.internal.VectorLoops.D;
import static dev.kerb.core.internal.VectorLoops.DL;
import static dev.kerb.core.internal.VectorLoops.F;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * A norm constraint's factors on the Vector API ({@link Loops#factors}), {@link DoubleVector#length()} columns at a
 * time: the same operations in the same order as {@link NormFactor#factor}, each correctly rounded (square root,
 * min, max, multiply, add, divide; no fused multiply-add), so the same bits. Computed one column at a time, the
 * factors took a quarter to a third of a 64x64 float32 MaxNorm call (JMH, forks alternated: 1.15-1.30 us per call
 * before, 0.77-0.91 after).
 */
final class VectorFactors {
    private VectorFactors() {
    }

    static void factors(NormFactor c, double epsilon, double[] sums, int n) {
        int i = 0;
        for (; i + DL <= n; i += DL) {
            factor(c, epsilon, DoubleVector.fromArray(D, sums, i)).intoArray(sums, i);
        }
        for (; i < n; i++) {
            sums[i] = c.factor(sums[i], epsilon);
        }
    }

    static void factors(NormFactor c, double epsilon, double[] sums, float[] factors, int n) {
        int i = 0;
        for (; i + DL <= n; i += DL) {
            ((FloatVector) factor(c, epsilon, DoubleVector.fromArray(D, sums, i))
                    .convertShape(VectorOperators.D2F, F, 0)).intoArray(factors, i);
        }
        for (; i < n; i++) {
            factors[i] = (float) c.factor(sums[i], epsilon);
        }
    }

    /** As {@link NormFactor#factor} and {@link NormFactor#desiredNorm}, lane by lane. */
    private static DoubleVector factor(NormFactor c, double epsilon, DoubleVector sumOfSquares) {
        DoubleVector norm = sumOfSquares.lanewise(VectorOperators.SQRT);
        DoubleVector desired;
        if (c.kind == NormFactor.CLIP) {
            desired = norm.min(c.high).max(c.low);
        } else if (c.kind == NormFactor.BLEND) {
            desired = norm.min(c.high).max(c.low).mul(c.rate).add(norm.mul(1 - c.rate));
        } else {
            desired = DoubleVector.broadcast(D, 1.0);
        }
        return desired.div(norm.add(epsilon));
    }
}
