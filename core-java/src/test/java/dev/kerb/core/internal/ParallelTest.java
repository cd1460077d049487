package dev.kerb.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kerb.core.ApplyOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * How {@link Parallel} splits work: every index once, each thread from its own run of chunks, the calling thread
 * working too, failures passed on.
 */
class ParallelTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);

    @AfterAll
    static void stopPool() {
        POOL.shutdown();
    }

    private static ApplyOptions options(int threads, java.util.concurrent.Executor executor) {
        return ApplyOptions.DEFAULT.withThreads(threads).withExecutor(executor).withParallelThreshold(1);
    }

    @Test
    void everyIndexRunsExactlyOnceInContiguousRanges() {
        for (int threads : new int[] {2, 3, 4, 7}) {
            for (int count : new int[] {1, 2, 5, 8, 17, 1000}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(count);
                List<int[]> ranges = new CopyOnWriteArrayList<>();
                Parallel.forRange(count, count, options(threads, POOL), (from, to) -> {
                    ranges.add(new int[] {from, to});
                    for (int i = from; i < to; i++) {
                        runs.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < count; i++) {
                    assertEquals(1, runs.get(i), "index " + i + " of " + count + ", " + threads + " threads");
                }
                // At most 4 chunks per thread, and never more chunks than indices.
                assertEquals(Math.min(count, Math.min(threads, count) * 4), ranges.size(), count + " / " + threads);
            }
        }
    }

    @Test
    void eachThreadStartsWithItsOwnRunOfChunks() {
        // 3 threads, 12 chunks: runs [0, 4), [4, 8), [8, 12). Each thread holds on in its first chunk until all three
        // have started one, so that no thread can have taken another's run yet: each must begin with its own.
        Thread caller = Thread.currentThread();
        Map<Thread, Integer> first = new ConcurrentHashMap<>();
        CountDownLatch allStarted = new CountDownLatch(3);
        Parallel.forRange(12, 12, options(3, POOL), (from, to) -> {
            if (first.putIfAbsent(Thread.currentThread(), from) == null) {
                allStarted.countDown();
                await(allStarted);
            }
        });
        assertEquals(0, first.get(caller), "the calling thread's first chunk");
        assertEquals(Set.of(0, 4, 8), new HashSet<>(first.values()), "each thread's first chunk: " + first.values());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "a thread never started");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theCallingThreadDoesAllTheWorkWhenNoHelperEverRuns() {
        // An executor that accepts tasks and never runs them: the call must still finish, on the calling thread.
        Thread caller = Thread.currentThread();
        List<Thread> workers = new CopyOnWriteArrayList<>();
        Parallel.forRange(64, 64, options(4, task -> { }), (from, to) -> workers.add(Thread.currentThread()));
        assertEquals(16, workers.size());
        workers.forEach(t -> assertSame(caller, t));
    }

    @Test
    void aRejectingExecutorLeavesTheWorkToTheCallingThread() {
        AtomicIntegerArray runs = new AtomicIntegerArray(100);
        Parallel.forRange(100, 100, options(3, task -> {
            throw new RejectedExecutionException("shut down");
        }), (from, to) -> {
            for (int i = from; i < to; i++) {
                runs.incrementAndGet(i);
            }
        });
        for (int i = 0; i < 100; i++) {
            assertEquals(1, runs.get(i));
        }
    }

    @Test
    void theFirstFailureReachesTheCaller() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () ->
                Parallel.forRange(100, 100, options(3, POOL), (from, to) -> {
                    if (from == 0) {
                        throw new IllegalStateException("chunk at 0");
                    }
                }));
        assertEquals("chunk at 0", thrown.getMessage());
        AssertionError error = assertThrows(AssertionError.class, () ->
                Parallel.forRange(100, 100, options(3, POOL), (from, to) -> {
                    throw new AssertionError("every chunk");
                }));
        assertEquals("every chunk", error.getMessage());
    }

    @Test
    void smallWorkAndOneThreadRunInlineAsOneRange() {
        List<int[]> ranges = new CopyOnWriteArrayList<>();
        Parallel.forRange(50, 10, ApplyOptions.DEFAULT.withThreads(4).withParallelThreshold(11),
                (from, to) -> ranges.add(new int[] {from, to}));
        Parallel.forRange(50, 1 << 30, ApplyOptions.DEFAULT.withThreads(1), (from, to) -> ranges.add(new int[] {from, to}));
        assertEquals(2, ranges.size());
        ranges.forEach(r -> assertEquals(List.of(0, 50), List.of(r[0], r[1])));
    }
}
