package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronExpressionsTest {
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 22, 2, 59, 30, 0, ZoneId.of("UTC"));

    @Test
    void fiveFieldsAreUnixCron() {
        assertEquals(
                Duration.ofSeconds(30),
                CronExpressions.untilNext(CronExpressions.parse("0 3 * * *"), NOW)
                        .orElseThrow());
    }

    @Test
    void sixFieldsHaveSecondsFirst() {
        assertEquals(
                Duration.ofSeconds(1),
                CronExpressions.untilNext(CronExpressions.parse("* * * * * *"), NOW)
                        .orElseThrow());
        assertEquals(
                Duration.ofSeconds(5),
                CronExpressions.untilNext(CronExpressions.parse("*/5 * * * * *"), NOW)
                        .orElseThrow());
    }

    @Test
    void invalidOnesSayWhy() {
        assertThrows(IllegalArgumentException.class, () -> CronExpressions.parse("0 3 * *"));
        assertThrows(IllegalArgumentException.class, () -> CronExpressions.parse("0 24 * * *"));
        assertThrows(IllegalArgumentException.class, () -> CronExpressions.parse("* * * * * * *"));
    }
}
