package io.jpm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NewlinesTest {
    private static ByteBuffer b(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void bytesAfterTheLastNewlineAmongTheFirstOnesWritten() {
        // a prefix, a held start of a line, then lines: "> ab" + "c\nde" + "f\ngh"
        ByteBuffer[] buffers = {b("> ab"), b("xxc\nde"), b("f\ngh")};
        buffers[1].position(2);
        int[] starts = {0, 2, 0};
        assertEquals(-1, Newlines.bytesAfterLast(buffers, starts, 5), "> abc: no line ended yet");
        assertEquals(0, Newlines.bytesAfterLast(buffers, starts, 6), "> abc\\n");
        assertEquals(2, Newlines.bytesAfterLast(buffers, starts, 8), "> abc\\nde");
        assertEquals(0, Newlines.bytesAfterLast(buffers, starts, 10), "> abc\\ndef\\n");
        assertEquals(2, Newlines.bytesAfterLast(buffers, starts, 12), "all of it");
        assertEquals(-1, Newlines.bytesAfterLast(new ByteBuffer[] {b("abc")}, new int[] {0}, 3));
    }

    @Test
    void whetherTheBytesLeftEndALine() {
        assertTrue(Newlines.endsLine(b("a\n"), b("")));
        assertFalse(Newlines.endsLine(b("a\n"), b("b")));
        assertTrue(Newlines.endsLine(), "nothing to end");
    }
}
