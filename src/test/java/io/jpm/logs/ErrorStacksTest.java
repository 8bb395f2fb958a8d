package io.jpm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorStacksTest {
    private final ErrorStacks stacks = new ErrorStacks();
    private final List<ErrorStacks.Stack> found = new ArrayList<>();

    private void chunk(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        stacks.chunk(bytes, bytes.length, found::add);
    }

    @Test
    void aNodeStackEndsAtTheFirstLineThatIsNoFrame() {
        chunk("some line\nError: boom\n    at f (/app/a.js:3:11)\n    at g (/app/a.js:9:1)\n\nNode.js v20\n");
        assertEquals(1, found.size());
        assertEquals("Error: boom", found.get(0).message());
        assertEquals("at f (/app/a.js:3:11)", found.get(0).place());
        assertEquals(3, found.get(0).text().lines().count());
    }

    @Test
    void aJvmStackWrittenALineAtATimeIsOneStackEndedByTheFlush() {
        chunk("Exception in thread \"main\" java.lang.IllegalStateException: no\n");
        chunk("\tat a.B.c(B.java:3)\n");
        chunk("Caused by: java.io.IOException: x\n\tat a.B.d(B.java:9)\n\t... 1 more\n");
        assertTrue(stacks.pending());
        assertTrue(found.isEmpty());
        stacks.flush(found::add);
        assertEquals("java.lang.IllegalStateException: no", found.get(0).message());
        assertEquals("at a.B.c(B.java:3)", found.get(0).place());
        assertEquals(5, found.get(0).text().lines().count());
    }

    @Test
    void aPythonTracebackEndsAtItsMessageAndItsPlaceIsTheInnermostFrame() {
        chunk("Traceback (most recent call last):\n  File \"/a/r.py\", line 4, in <module>\n    inner()\n");
        chunk("  File \"/a/r.py\", line 2, in inner\n    raise ValueError('bad')\nValueError: bad\n");
        assertEquals(1, found.size());
        assertEquals("ValueError: bad", found.get(0).message());
        assertEquals("File \"/a/r.py\", line 2, in inner", found.get(0).place());
    }

    @Test
    void aLineSplitAcrossChunksAndFramesWithNoHeadAreHandled() {
        chunk("Type");
        chunk("Error: half\n    at x (/a.js:1:1)\nplain\n");
        assertEquals("TypeError: half", found.get(0).message());
        chunk("\n    at y (/a.js:2:2)\n"); // frames after a blank line: their head was never seen
        stacks.flush(found::add);
        assertEquals(1, found.size());
    }

    @Test
    void plainErrorLinesAreNoStacks() {
        chunk("warning: disk almost full\nretrying at 10:00\n");
        stacks.flush(found::add);
        assertTrue(found.isEmpty());
    }
}
