package io.jpm.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean" for misspelt option names: the closest known word within a small edit distance. */
public final class Spelling {
    private Spelling() {}

    public static Optional<String> closest(String word, Collection<String> known) {
        return known.stream()
                .filter(k -> distance(word, k) <= Math.max(2, k.length() / 4))
                .min(Comparator.comparingInt((String k) -> distance(word, k)).thenComparing(k -> k));
    }

    /** Levenshtein distance, two rows. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
