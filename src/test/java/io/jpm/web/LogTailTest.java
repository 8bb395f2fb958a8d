package io.jpm.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
    @TempDir
    Path dir;

    @Test
    void theLastLinesOfASmallFile() throws IOException {
        Path file = Files.writeString(dir.resolve("a.log"), "one\ntwo\nthree\n");
        assertEquals(List.of("two", "three"), LogTail.last(file.toString(), 2));
        assertEquals(List.of("one", "two", "three"), LogTail.last(file.toString(), 10));
        assertEquals(List.of(), LogTail.last(file.toString(), 0));
    }

    @Test
    void aPartialLastLineCounts() throws IOException {
        Path file = Files.writeString(dir.resolve("b.log"), "one\ntwo\nthr");
        assertEquals(List.of("two", "thr"), LogTail.last(file.toString(), 2));
    }

    @Test
    void aFileLargerThanOneBlockIsReadFromItsEnd() throws IOException {
        String text = IntStream.range(0, 50_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
        Path file = Files.writeString(dir.resolve("c.log"), text);
        assertEquals(List.of("line 49997", "line 49998", "line 49999"), LogTail.last(file.toString(), 3));
        assertEquals(20_000, LogTail.last(file.toString(), 20_000).size());
        assertEquals("line 30000", LogTail.last(file.toString(), 20_000).get(0));
    }

    @Test
    void noFileNoLines() throws IOException {
        assertEquals(List.of(), LogTail.last(dir.resolve("none.log").toString(), 5));
        assertEquals(List.of(), LogTail.last("/dev/null", 5));
    }
}
