package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastLinesTest {
    @TempDir
    Path dir;

    @Test
    void theLastLinesOldestFirstWithoutTheFinalNewline() throws Exception {
        Path file = Files.writeString(dir.resolve("a.log"), "one\ntwo\nthree\n");
        assertEquals(new LastLines(List.of("two", "three"), false), LastLines.read(file, 2, 1024));
        assertEquals(List.of("one", "two", "three"), LastLines.of(file, 15));
        assertEquals(List.of(), LastLines.of(file, 0));
        assertEquals(List.of(), LastLines.of(Files.writeString(dir.resolve("empty.log"), ""), 5));
        assertEquals(
                List.of("two", "three"), LastLines.of(Files.writeString(dir.resolve("b.log"), "one\ntwo\nthree"), 2));
    }

    @Test
    void theByteBoundKeepsOnlyWholeLinesAndSaysItCut() throws Exception {
        Path file = Files.writeString(dir.resolve("big.log"), "a".repeat(100) + "\n" + "bb\n" + "cc\n");
        LastLines bounded = LastLines.read(file, 10, 20);
        assertEquals(List.of("bb", "cc"), bounded.lines());
        assertTrue(bounded.truncated());
        // the bound falls on a line's start: that line is whole
        assertEquals(new LastLines(List.of("bb", "cc"), true), LastLines.read(file, 10, 6));
        // one line longer than the bound: nothing rather than a piece of it
        assertEquals(
                new LastLines(List.of(), true),
                LastLines.read(Files.writeString(dir.resolve("long.log"), "x".repeat(50) + "\n"), 1, 10));
        assertFalse(LastLines.read(file, 2, 20).truncated());
    }
}
