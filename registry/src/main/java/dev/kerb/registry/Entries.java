package dev.kerb.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entries of one registry by name and by Java class: its own, over those of the registry it extends, if any.
 * Safe for concurrent adding and lookup.
 */
final class Entries {
    /** Names longer than this get no did-you-mean: no registered name is near that long. */
    private static final int MAX_SUGGESTED_LENGTH = 200;

    private final Entries parent;
    private final Map<String, ConstraintType<?>> byName = new ConcurrentHashMap<>();
    private final Map<Class<?>, ConstraintType<?>> byType = new ConcurrentHashMap<>();

    Entries(Entries parent) {
        this.parent = parent;
    }

    /** Returns the entry holding {@code name}, here or in the parent, or null. */
    ConstraintType<?> byName(String name) {
        ConstraintType<?> own = byName.get(name);
        return own != null || parent == null ? own : parent.byName(name);
    }

    /** Returns the entry for instances of {@code type}, here or in the parent, or null. */
    ConstraintType<?> byType(Class<?> type) {
        ConstraintType<?> own = byType.get(type);
        return own != null || parent == null ? own : parent.byType(type);
    }

    /** Returns every name, here and in the parent, sorted. */
    SortedSet<String> names() {
        SortedSet<String> names = parent == null ? new TreeSet<>() : parent.names();
        names.addAll(byName.keySet());
        return names;
    }

    /** Returns the entry holding {@code name}, or fails listing every name and the closest one. */
    ConstraintType<?> require(String name, String what, String where) {
        ConstraintType<?> type = byName(name);
        if (type == null) {
            throw new ConfigException("Could not interpret constraint " + what + " '" + Values.shorten(name) + "'"
                    + (where == null ? "" : " in " + where) + ": no constraint is registered under that name"
                    + suggestion(name) + ". Registered names: " + String.join(", ", names()));
        }
        return type;
    }

    /** Returns {@code " (did you mean 'X'?)"} for the closest name X, or "" when none is close. */
    String suggestion(String name) {
        if (name.length() > MAX_SUGGESTED_LENGTH) {
            return ""; // far longer than any registered name: nothing is close, and the search would be slow
        }
        String closest = Names.closest(name, names());
        return closest == null ? "" : " (did you mean '" + closest + "'?)";
    }

    /**
     * Adds an entry under its own names, and under its class name where that is free.
     *
     * @throws IllegalArgumentException if one of its names or its Java class is taken, here or in the parent
     */
    synchronized void add(ConstraintType<?> type) {
        for (String name : ownNames(type)) {
            ConstraintType<?> existing = byName(name);
            if (existing != null) {
                throw new IllegalArgumentException("constraint name '" + name + "' of " + type
                        + " is already registered by " + existing + "; use replace() to replace it on purpose");
            }
        }
        ConstraintType<?> sameClass = byType(type.type());
        if (sameClass != null) {
            throw new IllegalArgumentException(type + " uses a Java class already registered by " + sameClass
                    + "; use replace() to replace it on purpose");
        }
        ownNames(type).forEach(name -> byName.put(name, type));
        if (byName(type.className()) == null) {
            byName.put(type.className(), type);
        }
        byType.put(type.type(), type);
    }

    /** Adds an entry, first removing every entry of this registry's own that holds one of its names or its class. */
    synchronized List<ConstraintType<?>> replace(ConstraintType<?> type) {
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
        add(type);
        return removed;
    }

    /** An entry's names that must be free: all but its class name when it is found by a registered name. */
    private static List<String> ownNames(ConstraintType<?> type) {
        List<String> names = new ArrayList<>(type.names());
        if (type.registeredName() != null && !type.registeredName().equals(type.className())
                && !type.aliases().contains(type.className())) {
            names.remove(type.className());
        }
        return names;
    }
}
