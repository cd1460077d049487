package dev.kerb.registry;

import dev.kerb.core.Constraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves Keras constraint identifiers to constraints and writes constraints back as Keras config dicts.
 *
 * <p>Lookups follow {@code keras.constraints.get}: null gives null, a name gives the constraint with default
 * parameters, a config dict is deserialized and a {@link Constraint} is returned as is. Dicts of every generation
 * are read ({@link KerasFormat}); a dict naming no registered constraint loads as an {@link UnresolvedConstraint}
 * that keeps it verbatim. Names are exact and case-sensitive, and only registered names resolve: nothing in a config
 * can name a Java class. Safe for concurrent registration and lookup.
 */
public final class ConstraintRegistry {
    private static volatile ConstraintRegistry defaultRegistry;

    private final Map<String, ConstraintType<?>> byName = new ConcurrentHashMap<>();
    private final Map<Class<?>, ConstraintType<?>> byType = new ConcurrentHashMap<>();

    private ConstraintRegistry() {
    }

    /**
     * Returns the shared registry: the built-ins, every {@link ConstraintProvider} on the classpath (loaded once,
     * on first use) and whatever the application registers in it.
     *
     * @throws IllegalStateException if a provider cannot be loaded or clashes with another name
     */
    public static ConstraintRegistry defaultRegistry() {
        ConstraintRegistry registry = defaultRegistry;
        if (registry == null) {
            synchronized (ConstraintRegistry.class) {
                registry = defaultRegistry;
                if (registry == null) {
                    registry = create();
                    ClassLoader loader = Thread.currentThread().getContextClassLoader();
                    registry.loadProviders(loader != null ? loader : ConstraintRegistry.class.getClassLoader());
                    defaultRegistry = registry;
                }
            }
        }
        return registry;
    }

    /** Returns a new registry holding only the built-ins, isolated from every other registry. */
    public static ConstraintRegistry create() {
        ConstraintRegistry registry = new ConstraintRegistry();
        Builtins.all().forEach(registry::register);
        return registry;
    }

    /**
     * Registers the entries of every {@link ConstraintProvider} that {@code loader} finds.
     *
     * @param loader where to look for {@code META-INF/services/dev.kerb.registry.ConstraintProvider}
     * @return the entries registered
     * @throws IllegalStateException if a provider cannot be loaded or one of its names is taken
     */
    public List<ConstraintType<?>> loadProviders(ClassLoader loader) {
        List<ConstraintType<?>> added = new ArrayList<>();
        try {
            for (ConstraintProvider provider : ServiceLoader.load(ConstraintProvider.class, loader)) {
                for (ConstraintType<?> type : provider.constraintTypes()) {
                    try {
                        register(type);
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

    /**
     * Adds an entry under its names. The registered name (or, without one, the class name) and the aliases must be
     * free; the class name of an entry with a registered name is added only where free, as Keras resolves
     * {@code registered_name} first.
     *
     * @param type the entry
     * @throws IllegalArgumentException if one of its names or its Java class is already registered; the message
     *                                  names both entries, and nothing is added
     */
    public synchronized void register(ConstraintType<?> type) {
        for (String name : ownNames(type)) {
            ConstraintType<?> existing = byName.get(name);
            if (existing != null) {
                throw new IllegalArgumentException("constraint name '" + name + "' of " + type
                        + " is already registered by " + existing + "; use replace() to replace it on purpose");
            }
        }
        ConstraintType<?> sameClass = byType.get(type.type());
        if (sameClass != null) {
            throw new IllegalArgumentException(type + " uses a Java class already registered by " + sameClass
                    + "; use replace() to replace it on purpose");
        }
        ownNames(type).forEach(name -> byName.put(name, type));
        byName.putIfAbsent(type.className(), type);
        byType.put(type.type(), type);
    }

    /**
     * Adds an entry, first removing every entry that holds one of its names or its Java class.
     *
     * @param type the entry
     * @return the entries removed
     */
    public synchronized List<ConstraintType<?>> replace(ConstraintType<?> type) {
        List<ConstraintType<?>> removed = new ArrayList<>();
        for (String name : type.names()) {
            ConstraintType<?> existing = byName.get(name);
            if (existing != null && !removed.contains(existing) && ownNames(existing).contains(name)) {
                removed.add(existing);
            }
        }
        ConstraintType<?> sameClass = byType.get(type.type());
        if (sameClass != null && !removed.contains(sameClass)) {
            removed.add(sameClass);
        }
        for (ConstraintType<?> old : removed) {
            byName.values().removeIf(entry -> entry == old);
            byType.remove(old.type());
        }
        register(type);
        return removed;
    }

    private static List<String> ownNames(ConstraintType<?> type) {
        List<String> names = new ArrayList<>(type.names());
        if (type.registeredName() != null && !type.registeredName().equals(type.className())
                && !type.aliases().contains(type.className())) {
            names.remove(type.className());
        }
        return names;
    }

    /**
     * Returns the entry registered under a name.
     *
     * @param name a class name, registered name or alias, exactly as written
     * @return the entry, or empty
     */
    public Optional<ConstraintType<?>> lookup(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Returns every registered name, sorted. */
    public List<String> names() {
        return List.copyOf(new TreeSet<>(byName.keySet()));
    }

    /**
     * Resolves an identifier as {@code keras.constraints.get} does.
     *
     * @param identifier null, a registered name, a config dict ({@link #deserialize(Map)}) or a {@link Constraint}
     * @return the constraint, or null for a null identifier
     * @throws ConfigException if a name is not registered (listing the registered names and the closest one), a
     *                         dict cannot be read, or the identifier is of any other kind
     */
    public Constraint get(Object identifier) {
        return get(identifier, null);
    }

    /**
     * Resolves an identifier found somewhere in a larger config, naming that place in every error.
     *
     * @param identifier as for {@link #get(Object)}
     * @param where      where it was found, e.g. {@code "layer 'dense_1' kernel_constraint"}, or null
     * @return the constraint, or null for a null identifier
     * @throws ConfigException as {@link #get(Object)}
     */
    public Constraint get(Object identifier, String where) {
        if (identifier == null) {
            return null;
        }
        if (identifier instanceof Constraint constraint) {
            return constraint;
        }
        if (identifier instanceof String name) {
            ConstraintType<?> type = require(name, "identifier", where);
            return type.fromConfig(new ConfigReader(type.className(), where, Map.of()));
        }
        if (identifier instanceof Map<?, ?> map) {
            return deserialize(Values.stringKeys(map, where), where);
        }
        throw new ConfigException("Could not interpret constraint identifier: " + Values.describe(identifier)
                + " (" + identifier.getClass().getSimpleName() + ")" + (where == null ? "" : " in " + where)
                + "; expected null, a name, a config dict or a Constraint");
    }

    /**
     * Builds a constraint from a config dict of any {@link KerasFormat}. A present {@code registered_name} is looked
     * up before {@code class_name}, as Keras does; an absent or null {@code config} means the defaults; extra keys
     * beside them (such as Keras 3's {@code shared_object_id}) are ignored.
     *
     * @param dict the config dict. Not modified.
     * @return the constraint, or an {@link UnresolvedConstraint} keeping {@code dict} when no entry matches
     * @throws ConfigException if the dict has no name, or a registered constraint's config is bad
     */
    public Constraint deserialize(Map<String, ?> dict) {
        return deserialize(dict, null);
    }

    /**
     * Builds a constraint from a config dict found somewhere in a larger config, naming that place in every error.
     *
     * @param dict  the config dict. Not modified.
     * @param where where it was found, e.g. {@code "layer 'dense_1' kernel_constraint"}, or null
     * @return the constraint, or an {@link UnresolvedConstraint} keeping {@code dict}
     * @throws ConfigException as {@link #deserialize(Map)}
     */
    @SuppressWarnings("unchecked")
    public Constraint deserialize(Map<String, ?> dict, String where) {
        Formats.Parts parts = Formats.parse(dict, where);
        ConstraintType<?> type = parts.registeredName() == null ? null : byName.get(parts.registeredName());
        if (type == null) {
            type = byName.get(parts.className());
        }
        if (type == null) {
            return new UnresolvedConstraint((Map<String, Object>) Formats.freeze(dict), parts.format(),
                    parts.className(), parts.module(), parts.registeredName(),
                    (Map<String, Object>) Formats.freeze(parts.config()), suggestion(parts.className()));
        }
        Map<String, Object> config = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : parts.config().entrySet()) {
            String key = switch (parts.format()) {
                case TFJS_CAMEL_CASE -> Formats.snakeCase(e.getKey());
                case KERAS_1 -> type.currentKey(e.getKey());
                default -> e.getKey();
            };
            config.put(key, e.getValue());
        }
        return type.fromConfig(new ConfigReader(type.className(), where, config));
    }

    /**
     * Builds a constraint from a class name and its inner config, as Keras' {@code cls.from_config(config)}:
     * {@code fromConfig(name, c.getConfig())} equals {@code c} for every registered constraint {@code c} of that
     * name.
     *
     * @param name   a registered name, e.g. {@code MaxNorm} or {@code max_norm}
     * @param config the inner config, e.g. {@code {"max_value": 2, "axis": 0}}. Not modified.
     * @return the constraint
     * @throws ConfigException if the name is not registered or the config is bad
     */
    public Constraint fromConfig(String name, Map<String, ?> config) {
        ConstraintType<?> type = require(name, "class_name", null);
        return type.fromConfig(new ConfigReader(type.className(), null, config));
    }

    /**
     * Writes a constraint as a Keras 3 config dict, the form {@code keras.constraints.serialize} returns.
     *
     * @param constraint a registered or unresolved constraint
     * @return a new, modifiable dict in Keras' key order
     * @throws ConfigException if the constraint's class is not registered
     */
    public Map<String, Object> serialize(Constraint constraint) {
        return serialize(constraint, KerasFormat.KERAS_3);
    }

    /**
     * Writes a constraint as a config dict of the given format. An {@link UnresolvedConstraint} asked for its own
     * format is written back exactly as it was read.
     *
     * @param constraint a registered or unresolved constraint
     * @param format     the format; Keras 1 writes the flat {@code {"name", ...}} form with Keras 1 keys
     * @return a new, modifiable dict
     * @throws ConfigException if the constraint's class is not registered
     */
    public Map<String, Object> serialize(Constraint constraint, KerasFormat format) {
        if (constraint instanceof UnresolvedConstraint u) {
            return u.format() == format ? Formats.copy(u.original())
                    : Formats.write(format, u.className(), u.module(), u.registeredName(), u.getConfig(), k -> k);
        }
        ConstraintType<?> type = byType.get(constraint.getClass());
        if (type == null) {
            throw new ConfigException("constraint " + constraint + " of class " + constraint.getClass().getName()
                    + " is not registered; register a ConstraintType for it to write its config");
        }
        return Formats.write(format, type.className(), type.module(), type.registeredName(), constraint.getConfig(),
                type::keras1Key);
    }

    /** Returns the entry for {@code name}, or fails listing the registered names and the closest one. */
    private ConstraintType<?> require(String name, String what, String where) {
        ConstraintType<?> type = byName.get(name);
        if (type == null) {
            throw new ConfigException("Could not interpret constraint " + what + " '" + name + "'"
                    + (where == null ? "" : " in " + where) + ": no constraint is registered under that name"
                    + suggestion(name) + ". Registered names: " + String.join(", ", names()));
        }
        return type;
    }

    private String suggestion(String name) {
        String closest = Names.closest(name, byName.keySet());
        return closest == null ? "" : " (did you mean '" + closest + "'?)";
    }

    @Override
    public String toString() {
        return "ConstraintRegistry" + names();
    }
}
