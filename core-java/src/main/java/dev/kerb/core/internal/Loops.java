package dev.kerb.core.internal;

import java.lang.System.Logger.Level;

/**
 * The inner loops over float32 and float64 arrays (sums of squares in double, scaling, clamping): {@link ScalarLoops},
 * which are the spec, and {@code VectorLoops} on the Vector API ({@code jdk.incubator.vector}), each paired with the
 * {@link BufferLoops} that compute the same bits over buffers. The kernels take an implementation
 * ({@link ArrayNormKernels}, {@link BufferNormKernels}); {@link #DEFAULT} is the Vector API one when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, the scalar one otherwise.
 */
interface Loops {
    /** The system property that asks for the Vector API loops, so that their absence is reported as a warning. */
    String VECTOR_PROPERTY = "kerb.vectorApi";

    /** The implementation kernels use unless given another, chosen once. */
    Loops DEFAULT = vector().orElseGet(ScalarLoops::new);

    /** Returns the sum of {@code a[from + i]^2}, each square exact in double. */
    double sum(float[] a, int from, int len);

    /** Returns the sum of {@code a[from + i]^2}. */
    double sum(double[] a, int from, int len);

    /**
     * Writes to {@code sums[0..w)} the sums of squares of the columns of {@code rows} rows of {@code w} elements,
     * {@code stride} apart from {@code at}: here exact squares summed in double, each column in row order.
     */
    default void columnSums(float[] a, int at, int rows, int stride, int w, double[] sums) {
        java.util.Arrays.fill(sums, 0, w, 0.0);
        addColumnSums(a, at, rows, stride, w, sums);
    }

    /** As {@link #columnSums(float[], int, int, int, int, double[])}, for float64. */
    default void columnSums(double[] a, int at, int rows, int stride, int w, double[] sums) {
        java.util.Arrays.fill(sums, 0, w, 0.0);
        addColumnSums(a, at, rows, stride, w, sums);
    }

    /**
     * As {@link #columnSums(float[], int, int, int, int, double[])}, adding to the sums already in {@code sums}:
     * each column's sum is a running sum in row order, so summing rows {@code [0, r)} and then {@code [r, rows)} gives
     * the same bits as summing {@code [0, rows)} at once (the staged buffer kernels rely on that).
     */
    void addColumnSums(float[] a, int at, int rows, int stride, int w, double[] sums);

    /** As {@link #addColumnSums(float[], int, int, int, int, double[])}, for float64. */
    void addColumnSums(double[] a, int at, int rows, int stride, int w, double[] sums);

    /**
     * Adds to {@code sums[0..w)} the squares of four quarters of {@code 4 q} rows, {@code stride} apart from
     * {@code at}: row {@code r} of each quarter in turn for {@code r = 0..q-1}, so bit for bit the {@code q} calls
     * {@code addColumnSums(a, at + r * stride, 4, q * stride, w, sums)}; implementations may read the four quarters in
     * one pass, four memory streams that each read their rows in order.
     */
    default void addQuarterColumnSums(float[] a, int at, int q, int stride, int w, double[] sums) {
        for (int r = 0; r < q; r++) {
            addColumnSums(a, at + r * stride, 4, q * stride, w, sums);
        }
    }

    /** As {@link #addQuarterColumnSums(float[], int, int, int, int, double[])}, for float64. */
    default void addQuarterColumnSums(double[] a, int at, int q, int stride, int w, double[] sums) {
        for (int r = 0; r < q; r++) {
            addColumnSums(a, at + r * stride, 4, q * stride, w, sums);
        }
    }

    /**
     * Multiplies {@code rows} rows of {@code w} elements, {@code stride} apart from {@code at}, by
     * {@code factors[0..w)}, column by column.
     */
    void scaleRows(float[] a, int at, int rows, int stride, int w, float[] factors);

    /** As {@link #scaleRows(float[], int, int, int, int, float[])}, for float64. */
    void scaleRows(double[] a, int at, int rows, int stride, int w, double[] factors);

    /** Replaces {@code sums[0..n)}, sums of squares, by {@code c}'s factors ({@link NormFactor#factor}). */
    default void factors(NormFactor c, double epsilon, double[] sums, int n) {
        for (int i = 0; i < n; i++) {
            sums[i] = c.factor(sums[i], epsilon);
        }
    }

    /** Writes to {@code factors[0..n)} {@code c}'s factors for {@code sums[0..n)}, rounded to float32. */
    default void factors(NormFactor c, double epsilon, double[] sums, float[] factors, int n) {
        for (int i = 0; i < n; i++) {
            factors[i] = (float) c.factor(sums[i], epsilon);
        }
    }

    /**
     * Writes the sums of squares of the four rows of {@code len} elements at {@code at + k * step} (k = 0..3) to
     * {@code sums[0..4)}, each bit for bit {@link #sum(float[], int, int)} of its row.
     */
    void sumFour(float[] a, int at, int step, int len, double[] sums);

    /** As {@link #sumFour(float[], int, int, int, double[])}, for float64. */
    void sumFour(double[] a, int at, int step, int len, double[] sums);

    /** Multiplies the four rows of {@code len} elements at {@code at + k * step} (k = 0..3) by {@code factors[k]}. */
    void scaleFour(float[] a, int at, int step, int len, float[] factors);

    /** As {@link #scaleFour(float[], int, int, int, float[])}, for float64. */
    void scaleFour(double[] a, int at, int step, int len, double[] factors);

    /** Multiplies {@code a[from..from+len)} by {@code factor}. */
    void scale(float[] a, int from, int len, float factor);

    /** Multiplies {@code a[from..from+len)} by {@code factor}. */
    void scale(double[] a, int from, int len, double factor);

    /** Multiplies {@code a[from + i]} by {@code factors[i]}. */
    void scale(float[] a, int from, int len, float[] factors);

    /** Multiplies {@code a[from + i]} by {@code factors[i]}. */
    void scale(double[] a, int from, int len, double[] factors);

    /**
     * Replaces {@code a[from..from+len)} by {@code max(min(w, upper), lower)} ({@link Math#min}/{@link Math#max}
     * semantics: NaN stays NaN, -0.0 is below +0.0).
     */
    void clamp(float[] a, int from, int len, float lower, float upper);

    /** As {@link #clamp(float[], int, int, float, float)}, for float64. */
    void clamp(double[] a, int from, int len, double lower, double upper);

    /** Returns whether this is the Vector API implementation. */
    boolean vectorized();

    /**
     * Returns the loops over {@code ByteBuffer}s that compute bit for bit what these loops compute over arrays, so
     * that a buffer tensor's result never depends on whether its values sit in an array or a buffer.
     */
    BufferLoops buffers();

    /**
     * Returns whether {@link #buffers()} can run on {@code bytes}, a native-order {@code ByteBuffer}, in place on this
     * JDK; where they cannot, byte buffers are staged through heap tiles like typed buffers, with the same bits. The
     * scalar loops always can. The Vector API loops can on JDK 16 to 19, through {@code fromByteBuffer} (JDK 20
     * replaced it with {@code fromMemorySegment}), and on JDK 22 and later for direct buffers, through
     * {@code MemorySegment.ofBuffer} and {@code fromMemorySegment} (final FFM API), when the classes of
     * {@code META-INF/versions/22} load: from Kerb's multi-release jar built with JDK 25 (the {@code jdk25} profile),
     * not from a class directory. Heap buffers are staged there, see {@code VectorBufferLoops}.
     *
     * @param bytes the buffer, whose memory this looks at, not its values
     * @return whether the buffer loops run on it in place
     */
    default boolean buffersInPlace(java.nio.ByteBuffer bytes) {
        return true;
    }

    /**
     * Returns the Vector API loops, when {@code jdk.incubator.vector} is in the JVM and they load. When the module is
     * there but they do not load, or {@value #VECTOR_PROPERTY} is {@code true} and the module is missing, says so
     * once at warning level, with the fix.
     */
    static java.util.Optional<Loops> vector() {
        System.Logger log = System.getLogger("dev.kerb.core");
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            Level level = Boolean.getBoolean(VECTOR_PROPERTY) ? Level.WARNING : Level.DEBUG;
            log.log(level, "Kerb: the Vector API is not available, so the scalar kernels run; pass "
                    + "--add-modules jdk.incubator.vector to the java command to use the Vector API kernels");
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of((Loops) Class.forName("dev.kerb.core.internal.VectorLoops")
                    .getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            log.log(Level.WARNING, "Kerb: jdk.incubator.vector is present but the Vector API kernels failed to load ("
                    + e + "), so the scalar kernels run; use a JDK 17 or later whose jdk.incubator.vector matches "
                    + "the one Kerb was built against, or drop --add-modules jdk.incubator.vector");
            return java.util.Optional.empty();
        }
    }
}
