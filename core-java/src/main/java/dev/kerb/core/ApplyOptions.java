package dev.kerb.core;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Settings that apply to one call of {@link Constraint#apply(Tensor, ApplyOptions)}, in place of Keras' global
 * configuration.
 *
 * <p>Keras reads epsilon from a process-wide setting ({@code keras.config.set_epsilon}); here it travels with the
 * call, so threads with different settings never race. Large tensors are split across threads; results are bitwise
 * identical whatever the thread count, because each slice's norm is always summed by one thread in the same order.
 * Immutable.
 */
public final class ApplyOptions {
    /** Keras' default epsilon, {@code _EPSILON = 1e-7} in {@code keras/src/backend/config.py}. */
    public static final double KERAS_EPSILON = 1e-7;

    /** Tensors smaller than this many elements are constrained on the calling thread, with no hand-off. */
    public static final int DEFAULT_PARALLEL_THRESHOLD = 1 << 18;

    /** The defaults: epsilon {@value #KERAS_EPSILON}, all cores of the common fork-join pool. */
    public static final ApplyOptions DEFAULT = new ApplyOptions(KERAS_EPSILON, 0, null, DEFAULT_PARALLEL_THRESHOLD);

    private final double epsilon;
    private final int threads; // 0: one task per core
    private final Executor executor; // null: the common fork-join pool
    private final int parallelThreshold;

    private ApplyOptions(double epsilon, int threads, Executor executor, int parallelThreshold) {
        this.epsilon = epsilon;
        this.threads = threads;
        this.executor = executor;
        this.parallelThreshold = parallelThreshold;
    }

    /** Returns the epsilon added to each norm in the denominator of the norm constraints. */
    public double epsilon() {
        return epsilon;
    }

    /**
     * Returns how many threads work on a large tensor (the calling thread and up to this many minus one tasks on the
     * executor): the set count, or the number of cores.
     */
    public int threads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Returns the executor that runs the tasks: the one set, or {@link ForkJoinPool#commonPool()}. */
    public Executor executor() {
        return executor != null ? executor : ForkJoinPool.commonPool();
    }

    /** Returns the element count from which a tensor is split across threads. */
    public int parallelThreshold() {
        return parallelThreshold;
    }

    /**
     * Returns these options with another epsilon, as {@code keras.config.set_epsilon(value)} would set it.
     *
     * @param value the new epsilon; Keras accepts any float, and so does this, but it must be finite
     * @return the new options
     * @throws IllegalArgumentException if {@code value} is NaN or infinite
     */
    public ApplyOptions withEpsilon(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("epsilon " + value + " is not finite; expected a finite number");
        }
        return new ApplyOptions(value, threads, executor, parallelThreshold);
    }

    /**
     * Returns these options with a fixed number of threads per large tensor; 1 keeps all work on the calling thread.
     *
     * @param count the number of threads, the calling thread included, at least 1
     * @return the new options
     * @throws IllegalArgumentException if {@code count} is less than 1
     */
    public ApplyOptions withThreads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("thread count " + count + " is less than 1");
        }
        return new ApplyOptions(epsilon, count, executor, parallelThreshold);
    }

    /**
     * Returns these options with the executor that runs the helper tasks of large tensors. The calling thread works
     * on the tensor too, claiming chunks of it alongside the helpers, so a helper that starts late (or is rejected by
     * the executor) only leaves more chunks to the others; the call returns when every chunk is done.
     *
     * @param value the executor
     * @return the new options
     */
    public ApplyOptions withExecutor(Executor value) {
        return new ApplyOptions(epsilon, threads, Objects.requireNonNull(value, "executor"), parallelThreshold);
    }

    /**
     * Returns these options with another size from which tensors are split across threads.
     *
     * @param elements the element count, at least 1
     * @return the new options
     * @throws IllegalArgumentException if {@code elements} is less than 1
     */
    public ApplyOptions withParallelThreshold(int elements) {
        if (elements < 1) {
            throw new IllegalArgumentException("parallel threshold " + elements + " is less than 1");
        }
        return new ApplyOptions(epsilon, threads, executor, elements);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApplyOptions other && Double.compare(epsilon, other.epsilon) == 0
                && threads == other.threads && Objects.equals(executor, other.executor)
                && parallelThreshold == other.parallelThreshold;
    }

    @Override
    public int hashCode() {
        return Objects.hash(epsilon, threads, executor, parallelThreshold);
    }

    @Override
    public String toString() {
        return "ApplyOptions(epsilon=" + epsilon + ", threads=" + threads() + ", parallelThreshold="
                + parallelThreshold + ")";
    }
}
