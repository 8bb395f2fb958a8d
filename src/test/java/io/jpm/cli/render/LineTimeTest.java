package io.jpm.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LineTimeTest {
    private static long local(String at) {
        return LocalDateTime.parse(at)
                .atZone(ZoneId.systemDefault())
                .toInstant()
                .toEpochMilli();
    }

    @Test
    void theTimeAnAppsFormatPutBeforeTheLine() {
        LineTime time = LineTime.of("YYYY-MM-DDTHH:mm:ss", "raw");
        assertEquals(local("2026-11-25T18:43:29"), time.of("2026-11-25T18:43:29: tick 1"));
        assertNull(time.of("tick 1"), "a line written before the app had a format");
        assertNull(LineTime.of("HH:mm:ss", "raw").of("18:43:29: tick"), "no date: no time");
    }

    @Test
    void theTimestampOfAJsonRecord() {
        String record = "{\"message\":\"tick 1\\n\",\"timestamp\":\"2026-11-25T18:43:29.766Z\",\"type\":\"out\"}";
        assertEquals(
                Instant.parse("2026-11-25T18:43:29.766Z").toEpochMilli(),
                LineTime.of(null, "json").of(record));
        assertEquals(
                local("2026-11-25T18:43:29"),
                LineTime.of("YYYY-MM-DD HH:mm:ss", "json")
                        .of("{\"message\":\"a\",\"timestamp\":\"2026-11-25 18:43:29\"}"));
        assertNull(LineTime.of(null, "json").of("{\"message\":\"cut[jpm: 9 bytes of this line left out]"));
    }

    @Test
    void daemonLogLinesAndLinesThatCarryNone() {
        assertEquals(
                local("2026-11-25T18:40:27.134"),
                LineTime.DAEMON_LOG.of("2026-11-25 18:40:27.134 INFO jpm.daemon: ready"));
        assertNull(LineTime.of(null, "raw").of("2026-11-25T18:43:29: looks like a time, but no format says so"));
    }
}
