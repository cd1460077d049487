package dev.kerb.core;

/**
 * Allocation per call once the JIT has compiled the loops: C1's code boxes Vector API vectors, and C2 compiles a
 * loop that runs a few times per call only after thousands of calls (longer on a busy machine), so a fixed warm-up
 * count either wastes time or is too short.
 */
public final class SteadyState {
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private SteadyState() {
    }

    /**
     * Returns the bytes per call of the first round of 1000 calls that allocates at most {@code bytes} per call, or of
     * the last round when 20 s of rounds have passed without one.
     */
    public static long bytesPerCall(Runnable call, long bytes) {
        var threads = (com.sun.management.ThreadMXBean) THREADS;
        long perCall = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (perCall > bytes && System.nanoTime() < deadline) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) {
                call.run();
            }
            perCall = (threads.getCurrentThreadAllocatedBytes() - before) / 1000;
        }
        return perCall;
    }
}
