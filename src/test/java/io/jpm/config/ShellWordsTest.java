package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {

    @Test
    void spacesSeparate() {
        assertEquals(List.of("--port", "3000", "-v"), ShellWords.split("  --port   3000\t-v "));
    }

    @Test
    void emptyAndBlankGiveNoWords() {
        assertEquals(List.of(), ShellWords.split(""));
        assertEquals(List.of(), ShellWords.split("   \t "));
    }

    @Test
    void quotesGroup() {
        assertEquals(List.of("--name", "my app", "it is"), ShellWords.split("--name \"my app\" 'it is'"));
    }

    @Test
    void quotesJoinAdjacentText() {
        assertEquals(List.of("--title=hello world", "ab"), ShellWords.split("--title=\"hello world\" a'b'"));
    }

    @Test
    void emptyQuotesAreAnEmptyWord() {
        assertEquals(List.of("a", "", "b"), ShellWords.split("a \"\" b"));
        assertEquals(List.of(""), ShellWords.split("''"));
    }

    @Test
    void backslashEscapesOutsideQuotes() {
        assertEquals(List.of("a b", "c"), ShellWords.split("a\\ b c"));
        assertEquals(List.of("\"quoted\""), ShellWords.split("\\\"quoted\\\""));
    }

    @Test
    void backslashEscapesInsideDoubleQuotes() {
        assertEquals(List.of("say \"hi\""), ShellWords.split("\"say \\\"hi\\\"\""));
    }

    @Test
    void backslashIsLiteralInsideSingleQuotes() {
        assertEquals(List.of("a\\b"), ShellWords.split("'a\\b'"));
    }

    @Test
    void otherQuoteIsLiteralInsideQuotes() {
        assertEquals(List.of("it's", "say \"x\""), ShellWords.split("\"it's\" 'say \"x\"'"));
    }

    @Test
    void noExpansion() {
        assertEquals(List.of("$HOME", "*.js", "~"), ShellWords.split("$HOME *.js ~"));
    }

    @Test
    void unclosedQuoteThrows() {
        var e = assertThrows(IllegalArgumentException.class, () -> ShellWords.split("--name \"my app"));
        assertTrue(e.getMessage().contains("unclosed quote"), e.getMessage());
        assertTrue(e.getMessage().contains("--name \"my app"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShellWords.split("'abc"));
    }
}
