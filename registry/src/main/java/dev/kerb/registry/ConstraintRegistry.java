package dev.kerb.registry;

import dev.kerb.core.Constraint;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves Keras constraint identifiers to constraints and writes constraints back as Keras config dicts.
 *
 * <p>Lookups follow {@code keras.constraints.get}: null gives null, a name gives the constraint with default
 * parameters, a config dict is deserialized and a {@link Constraint} is returned as is. Dicts of every generation
 * are read ({@link ConstraintFormat}); a dict naming no registered constraint loads as an {@link UnresolvedConstraint}
 * that keeps it verbatim. Names are exact and case-sensitive, and only registered names resolve: nothing in a config
 * can name a Java class. Safe for concurrent registration and lookup.
 *
 * <p>{@link #defaultRegistry()} is shared by everything in the JVM; {@link #with(ConstraintType[])} derives an
 * immutable registry with more names for one model or command, and {@link #create()} makes an isolated one.
 */
public final class ConstraintRegistry {
    private static volatile ConstraintRegistry defaultRegistry;
    private static final ConstraintRegistry BUILTINS = new ConstraintRegistry(null).withBuiltins().sealed();

    private final Entries entries;
    private volatile boolean immutable;

    private ConstraintRegistry(Entries parent) {
        this.entries = new Entries(parent);
    }

    /**
     * Returns the shared registry: the built-ins, every {@link ConstraintProvider} on the classpath (loaded once,
     * on first use) and whatever the application registers in it. Code that needs its own names without changing
     * what everyone else sees derives a registry from it with {@link #with(ConstraintType[])}.
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

    /** Returns the immutable registry of the built-ins only (no providers), shared by every caller. */
    public static ConstraintRegistry builtins() {
        return BUILTINS;
    }

    /** Returns a new, modifiable registry holding only the built-ins, isolated from every other registry. */
    public static ConstraintRegistry create() {
        return new ConstraintRegistry(null).withBuiltins();
    }

    private ConstraintRegistry withBuiltins() {
        Builtins.all().forEach(this::register);
        return this;
    }

    private ConstraintRegistry sealed() {
        immutable = true;
        return this;
    }

    /**
     * Returns an immutable registry that resolves {@code types} and, after them, every name this registry resolves,
     * as Keras' {@code custom_object_scope} does: pass it where a model or command is read, and nothing else sees
     * the new names. Names later registered in this registry show through; the types added here are fixed.
     *
     * <pre>{@code
     * ConstraintRegistry scoped = ConstraintRegistry.defaultRegistry().with(centerAround);
     * ModelSpec spec = ModelSpec.read(path, scoped);
     * }</pre>
     *
     * @param types the entries to add
     * @return the new registry; this one is unchanged
     * @throws IllegalArgumentException if one of their names or Java classes is taken, here or among {@code types}
     */
    public ConstraintRegistry with(ConstraintType<?>... types) {
        return with(List.of(types));
    }

    /**
     * Returns an immutable registry that resolves {@code types} over this one; see {@link #with(ConstraintType[])}.
     *
     * @param types the entries to add
     * @return the new registry; this one is unchanged
     * @throws IllegalArgumentException if one of their names or Java classes is taken, here or among {@code types}
     */
    public ConstraintRegistry with(Collection<? extends ConstraintType<?>> types) {
        ConstraintRegistry scoped = new ConstraintRegistry(entries);
        types.forEach(scoped.entries::add);
        return scoped.sealed();
    }

    /** Returns whether {@link #register} and {@link #replace} are refused ({@link #builtins()}, {@link #with}). */
    public boolean isImmutable() {
        return immutable;
    }

    /**
     * Registers the entries of every {@link ConstraintProvider} that {@code loader} finds.
     *
     * @param loader where to look for {@code META-INF/services/dev.kerb.registry.ConstraintProvider}
     * @return the entries registered
     * @throws IllegalStateException if a provider cannot be loaded or one of its names is taken
     * @throws UnsupportedOperationException if this registry is immutable
     */
    public List<ConstraintType<?>> loadProviders(ClassLoader loader) {
        requireMutable();
        return Providers.load(loader, this::register);
    }

    /**
     * Adds an entry under its names. The registered name (or, without one, the class name) and the aliases must be
     * free; the class name of an entry with a registered name is added only where free, as Keras resolves
     * {@code registered_name} first.
     *
     * @param type the entry
     * @throws IllegalArgumentException if one of its names or its Java class is already registered; the message
     *                                  names both entries, and nothing is added
     * @throws UnsupportedOperationException if this registry is immutable
     */
    public void register(ConstraintType<?> type) {
        requireMutable();
        entries.add(type);
    }

    /**
     * Adds an entry, first removing every entry that holds one of its names or its Java class.
     *
     * @param type the entry
     * @return the entries removed
     * @throws UnsupportedOperationException if this registry is immutable
     */
    public List<ConstraintType<?>> replace(ConstraintType<?> type) {
        requireMutable();
        return entries.replace(type);
    }

    private void requireMutable() {
        if (immutable) {
            throw new UnsupportedOperationException("this registry is immutable; derive one with more entries "
                    + "with with(...), or use ConstraintRegistry.create() for one to register in");
        }
    }

    /**
     * Returns the entry registered under a name.
     *
     * @param name a class name, registered name or alias, exactly as written
     * @return the entry, or empty
     */
    public Optional<ConstraintType<?>> lookup(String name) {
        return Optional.ofNullable(entries.byName(name));
    }

    /** Returns every registered name, sorted. */
    public List<String> names() {
        return List.copyOf(entries.names());
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
            ConstraintType<?> type = entries.require(name, "identifier", where);
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
     * Builds a constraint from a config dict of any {@link ConstraintFormat}. A present {@code registered_name} is looked
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
        ConstraintType<?> type = parts.registeredName() == null ? null : entries.byName(parts.registeredName());
        if (type == null) {
            type = entries.byName(parts.className());
        }
        if (type == null) {
            return new UnresolvedConstraint((Map<String, Object>) Formats.freeze(dict), parts.format(),
                    parts.className(), parts.module(), parts.registeredName(),
                    (Map<String, Object>) Formats.freeze(parts.config()), entries.suggestion(parts.className()));
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
        ConstraintType<?> type = entries.require(name, "class_name", null);
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
        return serialize(constraint, ConstraintFormat.KERAS_3);
    }

    /**
     * Writes a constraint as a config dict of the given format. An {@link UnresolvedConstraint} asked for its own
     * format is written back as it was read, but for Keras 3's {@code shared_object_id}, which identifies a Python
     * object in one save, not the constraint (files written back verbatim keep it: they do not come through here).
     *
     * @param constraint a registered or unresolved constraint
     * @param format     the format; Keras 1 writes the flat {@code {"name", ...}} form with Keras 1 keys
     * @return a new, modifiable dict
     * @throws ConfigException if the constraint's class is not registered
     */
    public Map<String, Object> serialize(Constraint constraint, ConstraintFormat format) {
        if (constraint instanceof UnresolvedConstraint u) {
            if (u.format() != format) {
                return Formats.write(format, u.className(), u.module(), u.registeredName(), u.getConfig(), k -> k);
            }
            Map<String, Object> dict = Formats.copy(u.original());
            dict.remove("shared_object_id");
            return dict;
        }
        ConstraintType<?> type = entries.byType(constraint.getClass());
        if (type == null) {
            throw new ConfigException("constraint " + constraint + " of class " + constraint.getClass().getName()
                    + " is not registered; register a ConstraintType for it to write its config");
        }
        return Formats.write(format, type.className(), type.module(), type.registeredName(), constraint.getConfig(),
                type::keras1Key);
    }

    @Override
    public String toString() {
        return "ConstraintRegistry" + names();
    }
}
