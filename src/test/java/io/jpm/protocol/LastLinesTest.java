package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
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
        assertEquals(new LastLines(List.of("two", "three"), 0, false), LastLines.read(file, 2, 1024));
        assertEquals(List.of("one", "two", "three"), LastLines.of(file, 15));
        assertEquals(List.of(), LastLines.of(file, 0));
        assertEquals(List.of(), LastLines.of(Files.writeString(dir.resolve("empty.log"), ""), 5));
        assertEquals(
                List.of("two", "three"), LastLines.of(Files.writeString(dir.resolve("b.log"), "one\ntwo\nthree"), 2));
        assertEquals(List.of("a", ""), LastLines.of(Files.writeString(dir.resolve("c.log"), "a\n\n"), 5));
    }

    @Test
    void theByteBudgetKeepsTheNewestLinesAndCountsTheOthers() throws Exception {
        Path file = Files.writeString(dir.resolve("big.log"), "a".repeat(100) + "\n" + "bb\n" + "cc\n");
        assertEquals(new LastLines(List.of("bb", "cc"), 1, true), LastLines.read(file, 10, 20));
        assertFalse(LastLines.read(file, 2, 20).truncated());
        assertTrue(LastLines.droppedMarker(1, 1024 * 1024).startsWith("[jpm: 1 earlier line left out"));
    }

    @Test
    void aLineLongerThanTheBudgetIsCutToItsEndsNotLeftOut() throws Exception {
        Path file = Files.writeString(dir.resolve("long.log"), "x".repeat(1000) + "y\n");
        LastLines last = LastLines.read(file, 1, 300);
        assertEquals(List.of("x".repeat(150) + LineCutter.marker(701, false) + "x".repeat(149) + "y"), last.lines());
        assertFalse(last.truncated());
    }

    @Test
    void aHugeLineIsReadWithoutBeingHeld() throws Exception {
        Path file = dir.resolve("huge.log");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write("before\n".getBytes());
            f.setLength(7 + 3L * LineCutter.LINE_BYTES); // zeros, no newline
            f.seek(f.length());
            f.write("end\nlast\n".getBytes());
        }
        List<String> lines = LastLines.of(file, 3);
        assertEquals(3, lines.size());
        assertEquals("before", lines.get(0));
        String cut = lines.get(1);
        assertTrue(cut.contains(LineCutter.marker(2L * LineCutter.LINE_BYTES + 3, false)), cut.substring(0, 100));
        assertEquals(
                LineCutter.LINE_BYTES
                        + LineCutter.marker(2L * LineCutter.LINE_BYTES + 3, false)
                                .length(),
                cut.length());
        assertTrue(cut.endsWith("end"));
        assertEquals("last", lines.get(2));
    }

    @Test
    void aLineLongerThanTheScanShowsItsEndAndSaysMoreThan() throws Exception {
        Path file = Files.writeString(dir.resolve("scan.log"), "old\n" + "z".repeat(300_000) + "\n");
        LastLines last = LastLines.read(file, 5, 1 << 20, 200_000);
        assertTrue(last.truncated());
        assertEquals(1, last.lines().size());
        String line = last.lines().get(0);
        assertTrue(line.startsWith("[jpm: more than "), line.substring(0, 60));
        assertTrue(line.endsWith("z".repeat(LineCutter.LINE_BYTES / 2)));
    }
}
