package dev.kerb.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/** Finds {@link ConstraintProvider}s with {@link ServiceLoader} and registers what they provide. */
final class Providers {
    private Providers() {
    }

    /**
     * Registers the entries of every provider {@code loader} finds.
     *
     * @throws IllegalStateException if a provider cannot be loaded or {@code register} refuses one of its entries
     */
    static List<ConstraintType<?>> load(ClassLoader loader, Consumer<ConstraintType<?>> register) {
        List<ConstraintType<?>> added = new ArrayList<>();
        try {
            for (ConstraintProvider provider : ServiceLoader.load(ConstraintProvider.class, loader)) {
                for (ConstraintType<?> type : provider.constraintTypes()) {
                    try {
                        register.accept(type);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException("constraint provider " + provider.getClass().getName()
                                + ": " + e.getMessage(), e);
                    }
                    added.add(type);
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot load a constraint provider: " + e.getMessage(), e);
        }
        return added;
    }
}
