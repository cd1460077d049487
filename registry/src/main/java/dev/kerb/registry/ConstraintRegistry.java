package dev.kerb.registry;

import dev.kerb.core.Constraint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves Keras constraint identifiers to constraints and writes constraints back as Keras config dicts.
 *
 * <p>Lookups follow {@code keras.constraints.get}: null gives null, a name gives the constraint with default
 * parameters, a config dict is deserialized and a {@link Constraint} is returned as is. Names are exact and
 * case-sensitive. Only registered names resolve; nothing in a config can name a Java class. Safe for concurrent
 * registration and lookup.
 */
public final class ConstraintRegistry {
    private static final ConstraintRegistry DEFAULT = create();

    private final Map<String, ConstraintType<?>> byName = new ConcurrentHashMap<>();
    private final Map<Class<?>, ConstraintType<?>> byType = new ConcurrentHashMap<>();

    private ConstraintRegistry() {
    }

    /** Returns the shared registry that holds the built-ins and whatever the application registers in it. */
    public static ConstraintRegistry defaultRegistry() {
        return DEFAULT;
    }

    /** Returns a new registry holding only the built-ins, isolated from every other registry. */
    public static ConstraintRegistry create() {
        ConstraintRegistry registry = new ConstraintRegistry();
        Builtins.all().forEach(registry::register);
        return registry;
    }

    /**
     * Adds an entry under all of its names.
     *
     * @param type the entry
     * @throws IllegalArgumentException if one of its names or its Java class is already registered; the message
     *                                  names both entries, and nothing is added
     */
    public synchronized void register(ConstraintType<?> type) {
        for (String name : type.names()) {
            ConstraintType<?> existing = byName.get(name);
            if (existing != null) {
                throw new IllegalArgumentException("constraint name '" + name + "' of " + describe(type)
                        + " is already registered by " + describe(existing));
            }
        }
        ConstraintType<?> sameClass = byType.get(type.type());
        if (sameClass != null) {
            throw new IllegalArgumentException(describe(type) + " uses a Java class already registered by "
                    + describe(sameClass));
        }
        for (String name : type.names()) {
            byName.put(name, type);
        }
        byType.put(type.type(), type);
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
        if (identifier == null) {
            return null;
        }
        if (identifier instanceof Constraint constraint) {
            return constraint;
        }
        if (identifier instanceof String name) {
            return require(name, "constraint identifier").fromConfig(new ConfigReader(name, null, Map.of()));
        }
        if (identifier instanceof Map<?, ?> map) {
            return deserialize(stringKeys(map, "constraint identifier"));
        }
        throw new ConfigException("Could not interpret constraint identifier: " + Values.describe(identifier)
                + " (" + identifier.getClass().getSimpleName() + "); expected null, a name, a config dict or a "
                + "Constraint");
    }

    /**
     * Builds a constraint from a Keras config dict: {@code {"class_name": ..., "config": {...}}}, with or without
     * Keras 3's {@code module} and {@code registered_name}. A present {@code registered_name} is looked up before
     * {@code class_name}, as Keras does; an absent or null {@code config} means the defaults.
     *
     * @param dict the config dict. Not modified.
     * @return the constraint
     * @throws ConfigException if the dict has no class_name, names no registered constraint, or its config is bad
     */
    public Constraint deserialize(Map<String, ?> dict) {
        Object className = dict.get("class_name");
        if (!(className instanceof String name)) {
            throw new ConfigException("constraint config " + Values.describe(dict) + " has no string 'class_name'; "
                    + "expected {\"class_name\": \"MaxNorm\", \"config\": {...}}");
        }
        ConstraintType<?> type = null;
        if (dict.get("registered_name") instanceof String registered) {
            type = byName.get(registered);
        }
        if (type == null) {
            type = require(name, "constraint class_name");
        }
        Object config = dict.get("config");
        if (config != null && !(config instanceof Map)) {
            throw new ConfigException(name + " 'config' is " + Values.describe(config) + "; expected a dict or null");
        }
        Map<String, ?> inner = config == null ? Map.of() : stringKeys((Map<?, ?>) config, name + " config");
        return type.fromConfig(new ConfigReader(type.className(), null, inner));
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
        ConstraintType<?> type = require(name, "constraint class_name");
        return type.fromConfig(new ConfigReader(type.className(), null, config));
    }

    /**
     * Writes a constraint as a Keras 3 config dict, the form {@code keras.constraints.serialize} returns:
     * {@code {"module", "class_name", "config", "registered_name"}}.
     *
     * @param constraint a constraint whose class is registered
     * @return a new, modifiable dict in Keras' key order
     * @throws ConfigException if the constraint's class is not registered
     */
    public Map<String, Object> serialize(Constraint constraint) {
        ConstraintType<?> type = byType.get(constraint.getClass());
        if (type == null) {
            throw new ConfigException("constraint " + constraint + " of class " + constraint.getClass().getName()
                    + " is not registered; register a ConstraintType for it to write its config");
        }
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("module", type.module());
        dict.put("class_name", type.className());
        dict.put("config", new LinkedHashMap<>(constraint.getConfig()));
        dict.put("registered_name", type.registeredName());
        return dict;
    }

    private ConstraintType<?> require(String name, String what) {
        ConstraintType<?> type = byName.get(name);
        if (type != null) {
            return type;
        }
        String closest = Names.closest(name, byName.keySet());
        throw new ConfigException("Could not interpret " + what + " '" + name + "': no constraint is registered "
                + "under that name" + (closest == null ? "" : " (did you mean '" + closest + "'?)")
                + ". Registered names: " + String.join(", ", names()));
    }

    private static String describe(ConstraintType<?> type) {
        return type.className() + " (" + type.type().getName() + ")";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> stringKeys(Map<?, ?> map, String what) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new ConfigException(what + " has a non-string key " + Values.describe(key)
                        + "; expected string keys");
            }
        }
        return (Map<String, ?>) map;
    }

    @Override
    public String toString() {
        return "ConstraintRegistry" + new ArrayList<>(names());
    }
}
