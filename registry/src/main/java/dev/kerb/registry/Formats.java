package dev.kerb.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Takes constraint dicts of every format apart and writes them in the format asked for. */
final class Formats {
    private Formats() {
    }

    /** A constraint dict taken apart; {@code config} keys are as written in the source format. */
    record Parts(ConstraintFormat format, String className, String module, String registeredName,
                 Map<String, Object> config) {
    }

    /**
     * Detects the format by its keys: {@code class_name} (Keras 2 and 3), {@code className} (TF.js) or
     * {@code name} (Keras 1), and takes the dict apart.
     */
    static Parts parse(Map<String, ?> dict, String where) {
        String at = where == null ? "" : " in " + where;
        if (dict.containsKey("class_name")) {
            String className = requireName(dict, "class_name", at);
            Object registered = dict.get("registered_name");
            Object module = dict.get("module");
            boolean keras3 = dict.containsKey("module") || dict.containsKey("registered_name");
            if (!keras3 && className.indexOf('>') > 0) {
                // Keras 2 wrote a registered class as "package>Name"; Keras 3 reads it as class_name "Name" with
                // that registered_name.
                registered = className;
                className = className.substring(className.indexOf('>') + 1);
            }
            return new Parts(keras3 ? ConstraintFormat.KERAS_3 : ConstraintFormat.KERAS_2, className,
                    module instanceof String m ? m : null, registered instanceof String r ? r : null,
                    innerConfig(dict, className, at));
        }
        if (dict.containsKey("className")) {
            String className = requireName(dict, "className", at);
            return new Parts(ConstraintFormat.TFJS_CAMEL_CASE, className, null, null, innerConfig(dict, className, at));
        }
        if (dict.get("name") instanceof String name) {
            Map<String, Object> config = new LinkedHashMap<>(dict);
            config.remove("name");
            return new Parts(ConstraintFormat.KERAS_1, name, null, null, config);
        }
        throw new ConfigException("constraint config" + at + " " + Values.describe(dict) + " has no 'class_name' "
                + "(Keras 2 and 3), 'className' (TF.js) or 'name' (Keras 1); expected e.g. "
                + "{\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 2, \"axis\": 0}}");
    }

    private static String requireName(Map<String, ?> dict, String key, String at) {
        if (dict.get(key) instanceof String name && !name.isEmpty()) {
            return name;
        }
        throw new ConfigException("constraint config" + at + " has '" + key + "' " + Values.describe(dict.get(key))
                + "; expected a constraint name such as \"MaxNorm\"");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> innerConfig(Map<String, ?> dict, String className, String at) {
        Object config = dict.get("config");
        if (config == null) {
            return Map.of();
        }
        if (!(config instanceof Map<?, ?> map)) {
            throw new ConfigException(className + " 'config'" + at + " is " + Values.describe(config)
                    + "; expected a dict or null");
        }
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new ConfigException(className + " config" + at + " has the non-string key "
                        + Values.describe(key) + "; expected string keys");
            }
        }
        return (Map<String, Object>) map;
    }

    /**
     * Writes a dict in {@code format}; the config keys given are today's snake_case keys, which
     * {@code keras1Keys} maps back for Keras 1.
     */
    static Map<String, Object> write(ConstraintFormat format, String className, String module, String registeredName,
            Map<String, Object> config, java.util.function.UnaryOperator<String> keras1Keys) {
        Map<String, Object> dict = new LinkedHashMap<>();
        switch (format) {
            case KERAS_3 -> {
                dict.put("module", module);
                dict.put("class_name", className);
                dict.put("config", copy(config));
                dict.put("registered_name", registeredName);
            }
            case KERAS_2 -> {
                dict.put("class_name", registeredName != null ? registeredName : className);
                dict.put("config", copy(config));
            }
            case TFJS_CAMEL_CASE -> {
                dict.put("className", registeredName != null ? registeredName : className);
                Map<String, Object> camel = new LinkedHashMap<>();
                config.forEach((k, v) -> camel.put(camelCase(k), copy(v)));
                dict.put("config", camel);
            }
            case KERAS_1 -> {
                // Keras 1.2.2 get_config: {"name": class name, ...parameters under their Keras 1 keys}.
                dict.put("name", className);
                config.forEach((k, v) -> dict.put(keras1Keys.apply(k), copy(v)));
            }
        }
        return dict;
    }

    /** Returns {@code maxValue} for {@code max_value}, as TF.js' {@code convertPythonicToTs} does. */
    static String camelCase(String snake) {
        StringBuilder out = new StringBuilder(snake.length());
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_' && out.length() > 0) {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** Returns {@code max_value} for {@code maxValue}, as TF.js' {@code convertTsToPythonic} does. */
    static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Returns a modifiable deep copy of a plain value (maps and lists copied, leaves shared). */
    static Object copy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(copy(v)));
            return out;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, ?> map) {
        return (Map<String, Object>) copy((Object) map);
    }

    /** Returns a deeply unmodifiable copy of a plain value. */
    static Object freeze(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), freeze(v)));
            return Collections.unmodifiableMap(out);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(freeze(v)));
            return Collections.unmodifiableList(out);
        }
        return value;
    }
}
