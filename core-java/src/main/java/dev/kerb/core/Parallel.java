package dev.kerb.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Splits index ranges into tasks on the options' executor, or runs them inline for small work. */
final class Parallel {
    private Parallel() {
    }

    /** A piece of work over {@code [from, to)}. */
    interface RangeTask {
        void run(int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, count)}, split into contiguous ranges, one per task; inline when the tensor is
     * below the options' threshold or one thread is asked for. The split never changes what any index computes.
     */
    static void forRange(int count, long elements, ApplyOptions options, RangeTask task) {
        int tasks = (int) Math.min(options.threads(), count);
        if (tasks <= 1 || elements < options.parallelThreshold()) {
            task.run(0, count);
            return;
        }
        CompletableFuture<?>[] futures = new CompletableFuture<?>[tasks - 1];
        for (int t = 1; t < tasks; t++) {
            int from = (int) ((long) count * t / tasks);
            int to = (int) ((long) count * (t + 1) / tasks);
            futures[t - 1] = CompletableFuture.runAsync(() -> task.run(from, to), options.executor());
        }
        task.run(0, (int) ((long) count / tasks));
        try {
            CompletableFuture.allOf(futures).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
