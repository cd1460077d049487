package dev.kerb.registry;

import java.util.List;

/**
 * A source of registry entries discovered on the classpath through {@link java.util.ServiceLoader}.
 *
 * <p>A jar contributes constraint names without code at the call site by implementing this interface and naming
 * the implementation in {@code META-INF/services/dev.kerb.registry.ConstraintProvider}. The
 * {@link ConstraintRegistry#defaultRegistry() default registry} loads every provider once, when first used; other
 * registries load them with {@link ConstraintRegistry#loadProviders(ClassLoader)}. Implementations need a public
 * no-argument constructor.
 */
public interface ConstraintProvider {
    /** Returns the entries to register; their names must not clash with any already registered. */
    List<ConstraintType<?>> constraintTypes();
}
