package dev.kerb.core.internal;

/**
 * Per-thread scratch of the norm kernels, array ({@link ArrayNormKernels}) and buffer ({@link BufferNormKernels})
 * alike: sums, partial sums, factors and the staging tiles of buffers without an array, grown on demand and reused
 * across calls, so a steady-state call allocates none. One instance per thread serves both kernels: a kernel call
 * never runs another kernel, so no two users of one thread's scratch overlap.
 */
final class KernelScratch {
    private static final ThreadLocal<KernelScratch> SCRATCH = ThreadLocal.withInitial(KernelScratch::new);

    private double[] sums = new double[0];
    private double[] doubleFactors = new double[0];
    private float[] floatFactors = new float[0];
    private float[] floatTile = new float[0];
    private double[] doubleTile = new double[0];
    private final double[][] partials = new double[ArrayNormKernels.MAX_PARTITIONS][0];
    final double[] fourSums = new double[4];
    final double[] moreFourSums = new double[4];
    final float[] fourFloatFactors = new float[4];

    private KernelScratch() {
    }

    /** Returns the calling thread's scratch. */
    static KernelScratch get() {
        return SCRATCH.get();
    }

    /** Returns the partial sums of partitions {@code [0, parts)}, each of at least {@code n} elements. */
    double[][] partials(int parts, int n) {
        for (int p = 0; p < parts; p++) {
            if (partials[p].length < n) {
                partials[p] = new double[n];
            }
        }
        return partials;
    }

    double[] sums(int n) {
        return sums.length < n ? (sums = new double[n]) : sums;
    }

    double[] doubleFactors(int n) {
        return doubleFactors.length < n ? (doubleFactors = new double[n]) : doubleFactors;
    }

    float[] floatFactors(int n) {
        return floatFactors.length < n ? (floatFactors = new float[n]) : floatFactors;
    }

    /** Returns {@code factors[0..n)} rounded to float32, the factors the array kernels scale float32 by. */
    float[] floatFactors(double[] factors, int n) {
        float[] out = floatFactors(n);
        for (int i = 0; i < n; i++) {
            out[i] = (float) factors[i];
        }
        return out;
    }

    float[] floatTile(int n) {
        return floatTile.length < n ? (floatTile = new float[n]) : floatTile;
    }

    double[] doubleTile(int n) {
        return doubleTile.length < n ? (doubleTile = new double[n]) : doubleTile;
    }
}
