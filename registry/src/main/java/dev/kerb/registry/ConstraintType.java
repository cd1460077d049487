package dev.kerb.registry;

import dev.kerb.core.Constraint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One registry entry: a constraint class, the names it is known by, and how to build it from a Keras config.
 *
 * <p>The same entry drives reading ({@link #fromConfig}) and writing (the constraint's own
 * {@link Constraint#getConfig()} under {@link #className()}), so the two directions cannot drift apart. Build one
 * with {@link #builder(String, Class)}, or {@link #custom(String, String, Class, Function)} for a constraint
 * registered as Keras' {@code register_keras_serializable(package, name)} would. Immutable.
 *
 * @param <C> the constraint class
 */
public final class ConstraintType<C extends Constraint> {
    private final String className;
    private final String module;
    private final String registeredName;
    private final List<String> aliases;
    private final Map<String, String> legacyKeys;
    private final Class<C> type;
    private final Function<ConfigReader, C> factory;

    private ConstraintType(Builder<C> b) {
        this.className = b.className;
        this.module = b.module;
        // Keras 3 writes a class it does not export with a registered_name (its own name unless registered under
        // another), which is how it finds the class again; only Keras' built-ins have none.
        this.registeredName = b.registeredName != null || Builtins.MODULE.equals(b.module) ? b.registeredName
                : b.className;
        this.aliases = List.copyOf(b.aliases);
        this.legacyKeys = Map.copyOf(b.legacyKeys);
        this.type = b.type;
        this.factory = Objects.requireNonNull(b.factory, () -> "no factory given for constraint " + b.className);
        for (String name : names()) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("constraint names must not be blank; got '" + name + "' for "
                        + className);
            }
        }
    }

    /**
     * Starts an entry.
     *
     * @param className the Keras {@code class_name} written in configs, e.g. {@code MaxNorm}
     * @param type      the Java class of the constraints this entry builds and writes
     * @param <C>       the constraint class
     * @return a builder
     */
    public static <C extends Constraint> Builder<C> builder(String className, Class<C> type) {
        return new Builder<>(Objects.requireNonNull(className, "className"), Objects.requireNonNull(type, "type"));
    }

    /**
     * Returns an entry for a custom constraint registered under {@code package>name}, as Keras'
     * {@code @register_keras_serializable(package="Custom")} names it; the class name alone resolves too.
     *
     * @param packageName the Keras package, {@code "Custom"} by default in Keras
     * @param name        the class name, e.g. {@code CenterAround}
     * @param type        the Java class
     * @param factory     builds the constraint from its config
     * @param <C>         the constraint class
     * @return the entry, with registered name {@code packageName + ">" + name} and no module
     */
    public static <C extends Constraint> ConstraintType<C> custom(String packageName, String name, Class<C> type,
            Function<ConfigReader, C> factory) {
        return builder(name, type).registeredName(packageName + ">" + name).factory(factory).build();
    }

    /** Returns the Keras {@code class_name}. */
    public String className() {
        return className;
    }

    /** Returns the Keras 3 {@code module}, or null when unknown (Keras writes null for {@code __main__}). */
    public String module() {
        return module;
    }

    /**
     * Returns the Keras 3 {@code registered_name}: null for Keras built-ins (module {@code keras.constraints}), else
     * the one given (e.g. {@code qkeras>Clip}) or, as Keras 3 writes for an unregistered custom class, the class name.
     */
    public String registeredName() {
        return registeredName;
    }

    /** Returns the other names that resolve to this entry. */
    public List<String> aliases() {
        return aliases;
    }

    /** Returns the Java class of this entry's constraints. */
    public Class<C> type() {
        return type;
    }

    /** Returns every name that resolves to this entry: the registered name, the class name, then the aliases. */
    public List<String> names() {
        List<String> all = new ArrayList<>();
        if (registeredName != null) {
            all.add(registeredName);
        }
        all.add(className);
        all.addAll(aliases);
        return List.copyOf(new LinkedHashSet<>(all));
    }

    /** Returns the current key for a Keras 1 key (e.g. {@code m} for {@code max_value}), or the key itself. */
    String currentKey(String keras1Key) {
        return legacyKeys.getOrDefault(keras1Key, keras1Key);
    }

    /** Returns the Keras 1 key for a current key (e.g. {@code max_value} for {@code m}), or the key itself. */
    String keras1Key(String key) {
        for (Map.Entry<String, String> e : legacyKeys.entrySet()) {
            if (e.getValue().equals(key)) {
                return e.getKey();
            }
        }
        return key;
    }

    /**
     * Builds a constraint from its inner Keras config.
     *
     * @param config the config's parameters
     * @return the constraint
     * @throws ConfigException if a key is unknown, a value has the wrong type, or the constraint rejects it
     */
    public C fromConfig(ConfigReader config) {
        C constraint;
        try {
            constraint = factory.apply(config);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw config.invalid(e.getMessage(), e);
        }
        config.finish();
        return constraint;
    }

    @Override
    public String toString() {
        return className + " (" + type.getName() + ")";
    }

    /**
     * Collects the parts of a {@link ConstraintType}. Not thread-safe.
     *
     * @param <C> the constraint class
     */
    public static final class Builder<C extends Constraint> {
        private final String className;
        private final Class<C> type;
        private String module;
        private String registeredName;
        private final List<String> aliases = new ArrayList<>();
        private final Map<String, String> legacyKeys = new java.util.HashMap<>();
        private Function<ConfigReader, C> factory;

        private Builder(String className, Class<C> type) {
            this.className = className;
            this.type = type;
        }

        /** Sets the Keras 3 {@code module} written in configs, e.g. {@code keras.constraints}. */
        public Builder<C> module(String value) {
            this.module = value;
            return this;
        }

        /** Sets the Keras 3 {@code registered_name}, e.g. {@code qkeras>Clip}; looked up before the class name. */
        public Builder<C> registeredName(String value) {
            this.registeredName = value;
            return this;
        }

        /** Adds names that also resolve to this entry, e.g. {@code max_norm}. */
        public Builder<C> aliases(String... values) {
            aliases.addAll(List.of(values));
            return this;
        }

        /** Maps a Keras 1 config key to today's key, e.g. {@code m} to {@code max_value}. */
        public Builder<C> keras1Key(String keras1Key, String key) {
            legacyKeys.put(keras1Key, key);
            return this;
        }

        /** Sets how to build the constraint from its config; it must read every key it accepts. */
        public Builder<C> factory(Function<ConfigReader, C> value) {
            this.factory = value;
            return this;
        }

        /**
         * Returns the entry.
         *
         * @throws NullPointerException     if no factory was set
         * @throws IllegalArgumentException if a name is blank
         */
        public ConstraintType<C> build() {
            return new ConstraintType<>(this);
        }
    }
}
