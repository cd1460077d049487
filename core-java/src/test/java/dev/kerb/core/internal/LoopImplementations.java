package dev.kerb.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Loops} implementations this JVM can run, for tests that hold each to the spec: the scalar loops always,
 * the Vector API loops when {@code jdk.incubator.vector} is present (the build runs the kernel tests once with it
 * and once without).
 */
final class LoopImplementations {
    private static final Optional<Loops> VECTOR = Loops.vector();

    private LoopImplementations() {
    }

    /** Returns the scalar loops and, when present, the Vector API loops. */
    static List<Loops> all() {
        List<Loops> all = new ArrayList<>(List.of(new ScalarLoops()));
        VECTOR.ifPresentOrElse(all::add, () -> System.out.println("Vector API kernels not tested in this JVM: "
                + "jdk.incubator.vector is absent (this run tests the scalar kernels users get by default)"));
        return all;
    }

    /**
     * Returns the Vector API loops.
     *
     * @throws IllegalStateException if {@code jdk.incubator.vector} is absent: tests that call this run only in the
     *                               build's default test execution, which has the module
     */
    static Loops vector() {
        return VECTOR.orElseThrow(() -> new IllegalStateException("jdk.incubator.vector is absent in this JVM"));
    }
}
