package dev.kerb.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kerb.core.ApplyOptions;
import dev.kerb.core.Constraint;
import dev.kerb.core.MaxNorm;
import dev.kerb.core.Shape;
import dev.kerb.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Custom constraints registered from Java under {@code package>Name}, through ServiceLoader, and concurrently. */
class CustomRegistrationTest {

    @Test
    void centerAroundRegistersAndRoundTripsUnderItsRegisteredName() {
        ConstraintRegistry registry = ConstraintRegistry.create();
        registry.register(CenterAround.TYPE);
        Map<String, Object> dict = registry.serialize(new CenterAround(0.5));
        // Keras 3 writes a registered custom object with its class name and "package>Name" (reference 2.1-2.2).
        assertEquals(null, dict.get("module"));
        assertEquals("CenterAround", dict.get("class_name"));
        assertEquals("Custom>CenterAround", dict.get("registered_name"));
        assertEquals(new CenterAround(0.5), registry.deserialize(dict));
        assertEquals(new CenterAround(0.0), registry.get("Custom>CenterAround"));
        double[] w = {1, 2, 3};
        registry.get(dict).apply(w, Shape.of(3));
        assertArrayEquals(new double[] {-0.5, 0.5, 1.5}, w, 1e-15);
    }

    @Test
    void anUnregisteredCustomClassWritesItsNameAsRegisteredName() {
        // Keras 3 gives a class it does not export registered_name = its name unless registered (reference 2.1);
        // hls4ml's ZeroSomeWeights is such a class, and Keras 3 finds it in custom_objects only by that name.
        ConstraintRegistry registry = ConstraintRegistry.create();
        registry.register(ConstraintType.builder("Plain", CenterAround.class)
                .factory(c -> new CenterAround(c.number("ref_value", 0.0))).build());
        Map<String, Object> dict = registry.serialize(new CenterAround(0.5));
        assertEquals("Plain", dict.get("registered_name"));
        assertEquals(new CenterAround(0.5), registry.deserialize(dict));
        Map<String, Object> zero = ConstraintRegistry.defaultRegistry().serialize(new dev.kerb.core.thirdparty.ZeroSomeWeights());
        assertEquals("ZeroSomeWeights", zero.get("registered_name"));
        assertEquals(null, ConstraintRegistry.defaultRegistry().serialize(new MaxNorm(2)).get("registered_name"));
    }

    @Test
    void registeredNameIsLookedUpBeforeClassName() {
        record MyMaxNorm() implements Constraint {
            @Override
            public void apply(Tensor weights, ApplyOptions options) {
            }

            @Override
            public Map<String, Object> getConfig() {
                return Map.of();
            }
        }
        ConstraintRegistry registry = ConstraintRegistry.create();
        registry.register(ConstraintType.custom("Custom", "MaxNorm", MyMaxNorm.class, c -> new MyMaxNorm()));
        assertEquals(new MyMaxNorm(), registry.deserialize(Map.of("module", "__main__", "class_name", "MaxNorm",
                "config", Map.of(), "registered_name", "Custom>MaxNorm")));
        assertEquals(new MaxNorm(), registry.deserialize(Map.of("class_name", "MaxNorm", "config", Map.of())),
                "the plain class name still means Keras' MaxNorm");
    }

    @Test
    void duplicatesNameBothAndReplaceIsExplicit() {
        ConstraintRegistry registry = ConstraintRegistry.create();
        registry.register(CenterAround.TYPE);
        var again = ConstraintType.custom("Custom", "CenterAround", CenterAroundV2.class, c -> new CenterAroundV2());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.register(again));
        assertEquals("constraint name 'Custom>CenterAround' of CenterAround (" + CenterAroundV2.class.getName()
                + ") is already registered by CenterAround (" + CenterAround.class.getName() + "); use replace() to "
                + "replace it on purpose", e.getMessage());
        assertEquals(List.of(CenterAround.TYPE), registry.replace(again));
        assertEquals(new CenterAroundV2(), registry.get("Custom>CenterAround"));
        assertThrows(ConfigException.class, () -> registry.serialize(new CenterAround(1)), "old class is gone");
    }

    record CenterAroundV2() implements Constraint {
        @Override
        public void apply(Tensor weights, ApplyOptions options) {
        }

        @Override
        public Map<String, Object> getConfig() {
            return Map.of();
        }
    }

    @Test
    void providersOnTheClasspathAreDiscovered() {
        ConstraintRegistry isolated = ConstraintRegistry.create();
        assertTrue(isolated.lookup("kerb_tests>Zero").isEmpty(), "create() holds only the built-ins");
        List<ConstraintType<?>> added = isolated.loadProviders(getClass().getClassLoader());
        assertEquals(List.of("kerb_tests>Zero", "Zero"), added.get(0).names());
        double[] w = {1, 2};
        ConstraintRegistry.defaultRegistry().get("kerb_tests>Zero").apply(w, Shape.of(2));
        assertArrayEquals(new double[] {0, 0}, w);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> isolated.loadProviders(getClass().getClassLoader()));
        assertTrue(e.getMessage().startsWith("constraint provider dev.kerb.registry.TestConstraintProvider: "
                + "constraint name 'kerb_tests>Zero'"), e.getMessage());
    }

    @Test
    void concurrentRegistrationAndLookupIsSafe() throws Exception {
        ConstraintRegistry registry = ConstraintRegistry.create();
        int threads = 8;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger duplicateWins = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    try {
                        registry.register(dynamicType("t" + thread + "_" + i));
                        assertEquals(new MaxNorm(), registry.get("max_norm"));
                        assertTrue(registry.lookup("pkg>t" + thread + "_" + i).isPresent());
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                    try {
                        registry.register(dynamicType("shared_" + i)); // every thread races for the same name
                        duplicateWins.incrementAndGet();
                    } catch (IllegalArgumentException expected) {
                        // the losers of the race
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        assertEquals(perThread, duplicateWins.get(), "exactly one thread registers each shared name");
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertTrue(registry.lookup("pkg>t" + t + "_" + i).isPresent());
            }
        }
    }

    /**
     * Returns an entry with a Java class of its own, as each entry needs: a proxy class defined in a fresh class
     * loader, so that hundreds of entries can be made at run time.
     */
    private static ConstraintType<Constraint> dynamicType(String name) {
        ClassLoader loader = new ClassLoader(Constraint.class.getClassLoader()) { };
        Constraint instance = (Constraint) java.lang.reflect.Proxy.newProxyInstance(loader,
                new Class<?>[] {Constraint.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getConfig" -> Map.of();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> name;
                    default -> null;
                });
        @SuppressWarnings("unchecked")
        Class<Constraint> type = (Class<Constraint>) instance.getClass();
        return ConstraintType.custom("pkg", name, type, c -> instance);
    }
}
