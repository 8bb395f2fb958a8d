package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpellingTest {

    @Test
    void distanceIsLevenshtein() {
        assertEquals(0, Spelling.distance("name", "name"));
        assertEquals(3, Spelling.distance("kitten", "sitting"));
        assertEquals(3, Spelling.distance("", "abc"));
        assertEquals(3, Spelling.distance("abc", ""));
        assertEquals(1, Spelling.distance("max_restart", "max_restarts"));
        assertEquals(2, Spelling.distance("ab", "ba"));
    }

    @Test
    void suggestsTheClosestSupportedOption() {
        assertEquals(Optional.of("max_restarts"), Spelling.closest("max_restart", KnownOptions.SUPPORTED));
        assertEquals(Optional.of("instances"), Spelling.closest("instance", KnownOptions.SUPPORTED));
        assertEquals(Optional.of("autorestart"), Spelling.closest("auto_restart", KnownOptions.SUPPORTED));
        assertEquals(Optional.of("kill_timeout"), Spelling.closest("kill_timout", KnownOptions.SUPPORTED));
    }

    @Test
    void nothingCloseMeansNoSuggestion() {
        assertEquals(Optional.empty(), Spelling.closest("completely_unrelated", KnownOptions.SUPPORTED));
        assertEquals(Optional.empty(), Spelling.closest("zzz", List.of("name")));
    }

    @Test
    void longerWordsAllowMoreEdits() {
        // max(2, 20 / 4) = 5 edits allowed for a 20-letter word, only 2 for a short one.
        assertEquals(
                Optional.of("abcdefghijklmnopqrst"),
                Spelling.closest("abcdefghijklmnoXXXXX", List.of("abcdefghijklmnopqrst")));
        assertEquals(Optional.empty(), Spelling.closest("abcXXX", List.of("abcdef")));
    }

    @Test
    void tiesGoToTheAlphabeticallyFirst() {
        assertEquals(Optional.of("aa"), Spelling.closest("ab", List.of("ac", "aa")));
    }
}
