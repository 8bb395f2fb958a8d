package io.jpm.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StaticServerTest {
    @Test
    void theSpaTriesTheLastSegmentAtTheTop() {
        assertEquals("app.js", StaticServer.lastSegment("/deep/link/app.js"));
        assertEquals("link", StaticServer.lastSegment("/deep/link/"));
        assertEquals("", StaticServer.lastSegment("/"));
    }

    @Test
    void anAccessLineShowsClientUserRequestStatusBytesAndTime() {
        AccessLog.Started started =
                new AccessLog.Started(System.nanoTime(), "GET", "/a.txt?x=1", "HTTP/1.1", "127.0.0.1");
        String line = AccessLog.line(started, null, 200, 6);
        assertTrue(line.matches("127\\.0\\.0\\.1 - \"GET /a\\.txt\\?x=1 HTTP/1\\.1\" 200 6 \\d+ms"), line);
        assertTrue(AccessLog.line(started, "ann", 401, 16).startsWith("127.0.0.1 ann \"GET"));
    }
}
