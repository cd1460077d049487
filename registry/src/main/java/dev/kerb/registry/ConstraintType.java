package dev.kerb.registry;

import dev.kerb.core.Constraint;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One registry entry: a constraint class, the names it is known by, and how to build it from a Keras config.
 *
 * <p>The same entry drives reading ({@link #fromConfig}) and writing (the constraint's own
 * {@link Constraint#getConfig()} under {@link #className()}), so the two directions cannot drift apart. Immutable.
 *
 * @param className      the Keras {@code class_name} written in configs, e.g. {@code MaxNorm}
 * @param module         the Keras 3 {@code module} written in configs, e.g. {@code keras.constraints}
 * @param registeredName the Keras 3 {@code registered_name}: null for Keras built-ins, {@code package>Name} for
 *                       registered custom constraints
 * @param aliases        other names that resolve to this entry, e.g. {@code max_norm}
 * @param type           the Java class of the constraints this entry builds and writes
 * @param factory        builds a constraint from its config; must call {@link ConfigReader#finish()}
 * @param <C>            the constraint class
 */
public record ConstraintType<C extends Constraint>(String className, String module, String registeredName,
        List<String> aliases, Class<C> type, Function<ConfigReader, C> factory) {

    /**
     * Checks and copies the components.
     *
     * @throws NullPointerException     if anything but {@code registeredName} is null
     * @throws IllegalArgumentException if a name is blank
     */
    public ConstraintType {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        aliases = List.copyOf(aliases);
        for (String name : names(className, registeredName, aliases)) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("constraint names must not be blank; got '" + name + "' for "
                        + className);
            }
        }
    }

    /** Returns every name that resolves to this entry: the registered name, the class name, then the aliases. */
    public List<String> names() {
        return names(className, registeredName, aliases);
    }

    private static List<String> names(String className, String registeredName, List<String> aliases) {
        var all = new java.util.ArrayList<String>();
        if (registeredName != null) {
            all.add(registeredName);
        }
        all.add(className);
        all.addAll(aliases);
        return List.copyOf(new java.util.LinkedHashSet<>(all));
    }

    /**
     * Builds a constraint from its inner Keras config.
     *
     * @param config the config's parameters
     * @return the constraint
     * @throws ConfigException if a key is unknown, a value has the wrong type, or the constraint rejects it
     */
    public C fromConfig(ConfigReader config) {
        C constraint = factory.apply(config);
        config.finish();
        return constraint;
    }
}
