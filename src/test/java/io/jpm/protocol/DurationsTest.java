package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void bareNumberIsMilliseconds() {
        assertEquals(500, Durations.parseMillis("500"));
        assertEquals(0, Durations.parseMillis("0"));
    }

    @Test
    void units() {
        assertEquals(500, Durations.parseMillis("500ms"));
        assertEquals(3_000, Durations.parseMillis("3s"));
        assertEquals(120_000, Durations.parseMillis("2m"));
        assertEquals(3_600_000, Durations.parseMillis("1h"));
    }

    @Test
    void fractionsRound() {
        assertEquals(1_500, Durations.parseMillis("1.5s"));
        assertEquals(90_000, Durations.parseMillis("1.5m"));
        assertEquals(3, Durations.parseMillis("2.5"));
    }

    @Test
    void spacesAndCaseAreTolerated() {
        assertEquals(3_000, Durations.parseMillis(" 3 S "));
        assertEquals(250, Durations.parseMillis("250MS"));
    }

    @Test
    void notADurationIsMinusOne() {
        for (String bad : new String[] {"", "soon", "-5", "-5s", "3d", "s", "1.s", "3 seconds", "1s2"}) {
            assertEquals(-1, Durations.parseMillis(bad), bad);
        }
    }
}
