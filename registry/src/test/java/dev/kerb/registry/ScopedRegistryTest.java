package dev.kerb.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kerb.core.MaxNorm;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registries derived with {@code with(...)}: Keras' custom_object_scope, without changing any other registry. */
class ScopedRegistryTest {
    private static final Map<String, Object> CENTER_AROUND = Map.of("class_name", "CenterAround",
            "config", Map.of("ref_value", 0.5), "registered_name", "Custom>CenterAround");

    @Test
    void aDerivedRegistryResolvesItsTypesAndLeavesItsBaseUnchanged() {
        ConstraintRegistry base = ConstraintRegistry.create();
        ConstraintRegistry scoped = base.with(CenterAround.TYPE);
        assertEquals(new CenterAround(0.5), scoped.get(CENTER_AROUND));
        Map<String, Object> written = scoped.serialize(new CenterAround(0.5));
        assertEquals("Custom>CenterAround", written.get("registered_name"));
        assertEquals(Map.of("ref_value", 0.5), written.get("config"));
        assertEquals(new MaxNorm(2), scoped.get("max_norm"));
        assertInstanceOf(UnresolvedConstraint.class, base.get(CENTER_AROUND));
        assertFalse(base.names().contains("Custom>CenterAround"));
        assertTrue(scoped.names().containsAll(base.names()));
        assertTrue(scoped.names().contains("Custom>CenterAround"));
    }

    @Test
    void namesRegisteredInTheBaseLaterShowThrough() {
        ConstraintRegistry base = ConstraintRegistry.create();
        ConstraintRegistry scoped = base.with();
        base.register(CenterAround.TYPE);
        assertEquals(new CenterAround(0.5), scoped.get(CENTER_AROUND));
    }

    @Test
    void aTakenNameFailsNamingBothEntries() {
        ConstraintRegistry base = ConstraintRegistry.create().with(CenterAround.TYPE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> base.with(CenterAround.TYPE));
        assertTrue(e.getMessage().startsWith("constraint name 'Custom>CenterAround' of "), e.getMessage());
        assertTrue(e.getMessage().contains(" is already registered by "), e.getMessage());
    }

    @Test
    void derivedRegistriesAndTheBuiltinsAreImmutable() {
        ConstraintRegistry scoped = ConstraintRegistry.create().with(CenterAround.TYPE);
        for (ConstraintRegistry registry : new ConstraintRegistry[] {scoped, ConstraintRegistry.builtins()}) {
            assertTrue(registry.isImmutable());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> registry.register(CenterAround.TYPE));
            assertEquals("this registry is immutable; derive one with more entries with with(...), or use "
                    + "ConstraintRegistry.create() for one to register in", e.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> registry.replace(CenterAround.TYPE));
            assertThrows(UnsupportedOperationException.class,
                    () -> registry.loadProviders(getClass().getClassLoader()));
        }
        assertFalse(ConstraintRegistry.create().isImmutable());
    }

    @Test
    void theBuiltinsAreSharedAndHoldNoProviders() {
        assertSame(ConstraintRegistry.builtins(), ConstraintRegistry.builtins());
        assertEquals(ConstraintRegistry.create().names(), ConstraintRegistry.builtins().names());
        assertTrue(ConstraintRegistry.defaultRegistry().names().contains("kerb_tests>Zero")); // TestConstraintProvider
        assertFalse(ConstraintRegistry.builtins().names().contains("kerb_tests>Zero"));
    }
}
