package dev.kerb.core.internal;

import dev.kerb.core.ApplyOptions;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits index ranges into chunks that the calling thread and up to {@code threads - 1} helper tasks on the options'
 * executor claim one at a time, or runs them inline for small work.
 *
 * <p>The calling thread works too and never waits for a helper to start: a helper that wakes late finds fewer chunks
 * left (or none), so a slow hand-off or a descheduled core costs at most the chunk in flight. Chunks are a function
 * of the count and the thread count only; which thread runs one never changes what any index computes.
 *
 * <p>Each thread owns a contiguous run of the chunks, the calling thread the first, and claims its own before it
 * helps with the others. So a kernel's passes over one tensor, and its calls step after step, give each core the
 * same rows while every thread keeps up, and data the cache holds stays in the cache of the core that uses it. With
 * every chunk shared, a 3x3x512x512 conv kernel (in L3) ran 3-4x slower for seconds at a time on the 2-core VM
 * measured, while the rows moved between cores; with owned runs, in the same process, it stayed within the floor's
 * own noise.
 */
final class Parallel {
    /** Chunks per thread: enough to even out a late or slow thread, few enough to keep each chunk long. */
    private static final int CHUNKS_PER_THREAD = 4;

    /**
     * How long the calling thread, its own chunks done, waits actively for the chunks in flight before it parks, in
     * multiples of the time its own chunks took on average: a helper that is running finishes the chunk in hand
     * within about one such time. Parking sooner cost a wake-up on many passes, which showed in the slowest rounds
     * (bench/RESULTS.md, kernel choices).
     */
    private static final int SPIN_CHUNKS = 4;

    /** The least time the calling thread waits actively before it parks, for chunks too short to time well. */
    private static final long MIN_SPIN_NANOS = 50_000;

    private Parallel() {
    }

    /** A piece of work over {@code [from, to)}. */
    interface RangeTask {
        void run(int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, count)} in contiguous chunks; inline when the tensor is below the options'
     * threshold or one thread is asked for. If the executor rejects a helper, the calling thread does its share.
     *
     * @throws RuntimeException or {@link Error} the first one a chunk threw, once every chunk has finished (chunks not
     *     yet started when it was thrown are skipped)
     */
    static void forRange(int count, long elements, ApplyOptions options, RangeTask task) {
        if (inline(count, elements, options)) {
            task.run(0, count);
            return;
        }
        int threads = (int) Math.min(options.threads(), count);
        Chunks chunks = new Chunks(count, (int) Math.min(count, (long) threads * CHUNKS_PER_THREAD), threads, task);
        for (int t = 1; t < threads; t++) {
            try {
                options.executor().execute(chunks);
            } catch (RejectedExecutionException e) {
                break; // the calling thread claims the helper's chunks
            }
        }
        long start = System.nanoTime();
        int own = chunks.runFrom(0);
        long perChunk = (System.nanoTime() - start) / Math.max(1, own);
        chunks.awaitAll(Math.max(MIN_SPIN_NANOS, SPIN_CHUNKS * perChunk));
        Throwable failure = chunks.failure.get();
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("a parallel chunk failed", failure);
        }
    }

    /**
     * Returns whether {@link #forRange} would run {@code [0, count)} inline on the calling thread: below the options'
     * threshold (checked first, as it needs no call to {@link Runtime#availableProcessors()}), one chunk, or one
     * thread. Kernels check it before building a task, so that a small call allocates no capturing lambda.
     */
    static boolean inline(int count, long elements, ApplyOptions options) {
        return elements < options.parallelThreshold() || count <= 1 || options.threads() <= 1;
    }

    /**
     * One call's chunks, in one contiguous run per thread: each run's next chunk is claimed by number, and every chunk
     * is counted when finished.
     */
    private static final class Chunks implements Runnable {
        /** Ints between two runs' claim counters, so that they sit on separate 64-byte cache lines. */
        private static final int STRIDE = 16;

        private final int count;
        private final int total;
        private final int runs;
        private final RangeTask task;
        private final AtomicIntegerArray next;
        private final AtomicInteger helpers = new AtomicInteger(1);
        private final AtomicInteger finished = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile Thread waiter;

        Chunks(int count, int total, int runs, RangeTask task) {
            this.count = count;
            this.total = total;
            this.runs = runs;
            this.task = task;
            this.next = new AtomicIntegerArray(runs * STRIDE);
            for (int r = 1; r < runs; r++) {
                next.set(r * STRIDE, firstChunk(r));
            }
        }

        /** Runs as the next helper: from that helper's own run. */
        @Override
        public void run() {
            runFrom(helpers.getAndIncrement() % runs);
        }

        /**
         * Claims and runs the chunks of run {@code own}, then of the runs after it, until none is left.
         *
         * @return how many chunks this thread ran
         */
        int runFrom(int own) {
            int ran = 0;
            for (int k = 0; k < runs; k++) {
                int r = (own + k) % runs;
                int end = firstChunk(r + 1);
                for (int c = next.getAndIncrement(r * STRIDE); c < end; c = next.getAndIncrement(r * STRIDE)) {
                    runChunk(c);
                    ran++;
                }
            }
            return ran;
        }

        private void runChunk(int c) {
            try {
                if (failure.get() == null) {
                    task.run(start(c), start(c + 1));
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                if (finished.incrementAndGet() == total) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }

        private int firstChunk(int run) {
            return (int) ((long) total * run / runs);
        }

        private int start(int chunk) {
            return (int) ((long) count * chunk / total);
        }

        /**
         * Waits until every chunk has finished: spins for up to {@code spinNanos} (the helpers are mid-chunk), then
         * parks, leaving the core to a helper that is not running.
         */
        void awaitAll(long spinNanos) {
            long start = System.nanoTime();
            for (int i = 1; finished.get() < total; i++) {
                Thread.onSpinWait();
                if ((i & 63) == 0 && System.nanoTime() - start > spinNanos) {
                    break;
                }
            }
            boolean interrupted = false;
            waiter = Thread.currentThread();
            while (finished.get() < total) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
