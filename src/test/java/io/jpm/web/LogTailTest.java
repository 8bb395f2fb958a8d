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

    private static List<String> last(Path file, int lines) throws IOException {
        return LogTail.last(file.toString(), lines, LogTail.MAX_BYTES).lines();
    }

    @Test
    void theLastLinesOfASmallFile() throws IOException {
        Path file = Files.writeString(dir.resolve("a.log"), "one\ntwo\nthree\n");
        assertEquals(List.of("two", "three"), last(file, 2));
        assertEquals(List.of("one", "two", "three"), last(file, 10));
        assertEquals(List.of(), last(file, 0));
    }

    @Test
    void aPartialLastLineCounts() throws IOException {
        Path file = Files.writeString(dir.resolve("b.log"), "one\ntwo\nthr");
        assertEquals(List.of("two", "thr"), last(file, 2));
    }

    @Test
    void aFileLargerThanOneBlockIsReadFromItsEnd() throws IOException {
        String text = IntStream.range(0, 50_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
        Path file = Files.writeString(dir.resolve("c.log"), text);
        assertEquals(List.of("line 49997", "line 49998", "line 49999"), last(file, 3));
        assertEquals(10_000, last(file, 10_000).size());
        assertEquals("line 40000", last(file, 10_000).get(0));
        // the byte budget keeps the newest lines
        assertEquals(
                List.of("line 49999"), LogTail.last(file.toString(), 10, 12).lines());
        assertEquals(9, LogTail.last(file.toString(), 10, 12).dropped());
    }

    @Test
    void noFileNoLines() throws IOException {
        assertEquals(List.of(), last(dir.resolve("none.log"), 5));
        assertEquals(List.of(), LogTail.last("/dev/null", 5, 100).lines());
    }
}
