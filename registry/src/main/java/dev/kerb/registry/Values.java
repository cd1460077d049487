package dev.kerb.registry;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Renders config values for error messages in JSON notation, cut short when long. */
final class Values {
    private static final int MAX_LENGTH = 200;

    private Values() {
    }

    /** Returns {@code map} typed by its keys, or fails if one is not a String. */
    @SuppressWarnings("unchecked")
    static Map<String, ?> stringKeys(Map<?, ?> map, String where) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                throw new ConfigException("constraint config" + (where == null ? "" : " in " + where)
                        + " has the non-string key " + describe(key) + "; expected string keys");
            }
        }
        return (Map<String, ?>) map;
    }

    /** Returns a name as short as a one-line message needs: at most {@code MAX_LENGTH} characters. */
    static String shorten(String name) {
        return name.length() <= MAX_LENGTH ? name : name.substring(0, MAX_LENGTH) + "...";
    }

    static String describe(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        if (out.length() > MAX_LENGTH) {
            out.setLength(MAX_LENGTH);
            out.append("...");
        }
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        if (out.length() > MAX_LENGTH) {
            return;
        }
        if (value instanceof String s) {
            out.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext() && out.length() <= MAX_LENGTH) {
                Map.Entry<?, ?> e = it.next();
                append(out, String.valueOf(e.getKey()));
                out.append(": ");
                append(out, e.getValue());
                if (it.hasNext()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size() && out.length() <= MAX_LENGTH; i++) {
                if (i > 0) {
                    out.append(", ");
                }
                append(out, list.get(i));
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }
}
