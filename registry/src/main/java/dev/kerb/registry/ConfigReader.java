package dev.kerb.registry;

import dev.kerb.core.Axis;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict reader of one constraint's inner Keras config, as a {@link ConstraintType} factory consumes it.
 *
 * <p>A factory reads each key it knows with a default equal to Keras' default; {@link #finish()} then rejects every
 * key nobody read, as Python's {@code cls(**config)} raises {@code TypeError} on an unexpected keyword. Numbers keep
 * their JSON type: an integral value is an Integer or Long, any other a Double. Not thread-safe; one per read.
 */
public final class ConfigReader {
    private final String owner;
    private final String where;
    private final Map<String, ?> config;
    private final Set<String> read = new LinkedHashSet<>();

    /**
     * Creates a reader.
     *
     * @param owner  the constraint's class name, for messages
     * @param where  where the config was found, for messages (e.g. {@code "layer 'dense_1' kernel_constraint"}),
     *               or null
     * @param config the inner config. Not modified.
     */
    public ConfigReader(String owner, String where, Map<String, ?> config) {
        this.owner = owner;
        this.where = where;
        this.config = config;
    }

    /**
     * Reads a number.
     *
     * @param key          the Keras key, e.g. {@code max_value}
     * @param defaultValue the value when the key is absent
     * @return the number, an Integer, Long or Double
     * @throws ConfigException if the value is not a finite number
     */
    public Number number(String key, Number defaultValue) {
        read.add(key);
        if (!config.containsKey(key)) {
            return defaultValue;
        }
        Object value = config.get(key);
        if (!(value instanceof Number n) || (value instanceof Double d && !Double.isFinite(d))
                || (value instanceof Float f && !Float.isFinite(f))) {
            throw error(key, value, "a finite number");
        }
        return n;
    }

    /**
     * Reads a Keras {@code axis}: an int, a list of ints, or null for all axes.
     *
     * @param key          the Keras key, normally {@code axis}
     * @param defaultValue the value when the key is absent
     * @return the axis, keeping int-versus-list
     * @throws ConfigException if the value is neither an integer, a list of integers nor null
     */
    public Axis axis(String key, Axis defaultValue) {
        read.add(key);
        if (!config.containsKey(key)) {
            return defaultValue;
        }
        Object value = config.get(key);
        if (value == null) {
            return Axis.all();
        }
        if (isInt(value)) {
            return Axis.of(((Number) value).intValue());
        }
        if (value instanceof List<?> list) {
            List<Integer> axes = new ArrayList<>(list.size());
            for (Object item : list) {
                if (!isInt(item)) {
                    throw error(key, value, "an int, a list of ints or null");
                }
                axes.add(((Number) item).intValue());
            }
            return Axis.list(axes);
        }
        throw error(key, value, "an int, a list of ints or null");
    }

    /**
     * Reads any value, as given: a nested list or dict stays one.
     *
     * @param key          the Keras key
     * @param defaultValue the value when the key is absent
     * @return the value, which may be null
     */
    public Object value(String key, Object defaultValue) {
        read.add(key);
        return config.containsKey(key) ? config.get(key) : defaultValue;
    }

    /**
     * Reads a list, or null.
     *
     * @param key          the Keras key
     * @param defaultValue the value when the key is absent
     * @return the list as given, or null
     * @throws ConfigException if the value is neither a list nor null
     */
    public List<?> list(String key, List<?> defaultValue) {
        Object value = value(key, defaultValue);
        if (value != null && !(value instanceof List)) {
            throw error(key, value, "a list or null");
        }
        return (List<?>) value;
    }

    /**
     * Rejects every key no read method asked for.
     *
     * @throws ConfigException naming the first unknown key and listing the known ones
     */
    public void finish() {
        for (Map.Entry<String, ?> entry : config.entrySet()) {
            if (!read.contains(entry.getKey())) {
                throw new ConfigException(owner + " config" + location() + " has unknown key '" + entry.getKey()
                        + "' (value " + Values.describe(entry.getValue()) + "); expected "
                        + (read.isEmpty() ? "no keys" : "only " + String.join(", ", read)));
            }
        }
    }

    /** Returns an error for a value the constraint itself rejected, with where it was found. */
    ConfigException invalid(String message, Throwable cause) {
        return new ConfigException(owner + " config" + location() + " is invalid: " + message, cause);
    }

    /** Returns an error for a value of the wrong kind, naming the key, the value and what was expected. */
    ConfigException error(String key, Object value, String expected) {
        return new ConfigException(owner + " config" + location() + " key '" + key + "' is "
                + Values.describe(value) + "; expected " + expected);
    }

    private String location() {
        return where == null ? "" : " in " + where;
    }

    private static boolean isInt(Object value) {
        return (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)
                && ((Number) value).longValue() == ((Number) value).intValue();
    }
}
