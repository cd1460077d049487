package dev.kerb.registry;

import java.util.Collection;
import java.util.Locale;

/** Finds the registered name closest to a misspelt one. */
final class Names {
    private Names() {
    }

    /**
     * Returns the closest candidate by case-insensitive edit distance, ties broken by exact edit distance and then
     * alphabetically, or null if none is plausibly meant.
     */
    static String closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int bestExact = Integer.MAX_VALUE;
        String lower = name.toLowerCase(Locale.ROOT);
        for (String candidate : new java.util.TreeSet<>(candidates)) {
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
            int exact = distance(name, candidate);
            if (d < bestDistance || (d == bestDistance && exact < bestExact)) {
                best = candidate;
                bestDistance = d;
                bestExact = exact;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 2) ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
