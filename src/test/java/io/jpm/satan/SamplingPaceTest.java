package io.jpm.satan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.SatanSettings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SamplingPaceTest {
    private static final SatanSettings SETTINGS = new SatanSettings(1000, 30_000, 60_000);
    private static final SatanSettings IDLE_MINUTE = new SatanSettings(1000, 60_000, 60_000);
    private static final long MS = 1_000_000;

    private static JsonObject told(String source, int count) {
        return new JsonObject().put("source", source).put("count", count);
    }

    /** A wall-clock time: {@code minute} minutes and {@code ms} into some day. */
    private static long wall(long minute, long ms) {
        return 1_795_000_000_000L / 60_000 * 60_000 + minute * 60_000 + ms;
    }

    @Test
    void theFirstTickSamplesThenOncePerMinuteOfTheClockWhileNobodyFollows() {
        SamplingPace pace = new SamplingPace();
        assertTrue(pace.due(0, wall(0, 40_000), IDLE_MINUTE, false));
        pace.sampled(0, wall(0, 40_000));
        assertFalse(pace.due(1000 * MS, wall(0, 41_000), IDLE_MINUTE, false));
        assertFalse(pace.due(19_999 * MS, wall(0, 59_999), IDLE_MINUTE, false));
        assertTrue(pace.due(20_000 * MS, wall(1, 0), IDLE_MINUTE, false), "a new minute of the clock");
        pace.sampled(20_000 * MS, wall(1, 5));
        assertFalse(pace.due(79_000 * MS, wall(1, 59_000), IDLE_MINUTE, false));
        assertTrue(pace.due(80_100 * MS, wall(2, 100), IDLE_MINUTE, false));
    }

    @Test
    void aClockSetBackDelaysAnIdleSampleNoLongerThanTwoIntervals() {
        SamplingPace pace = new SamplingPace();
        pace.sampled(0, wall(60, 0));
        assertFalse(pace.due(60_000 * MS, wall(1, 0), IDLE_MINUTE, false), "an hour back: not yet");
        assertTrue(pace.due(120_000 * MS, wall(2, 0), IDLE_MINUTE, false), "two minutes without a sample");
    }

    @Test
    void eachTickWhileSomeoneFollowsOrAMemoryLimitNeedsIt() {
        SamplingPace pace = new SamplingPace();
        pace.sampled(0, wall(0, 0));
        assertTrue(pace.due(1000 * MS, wall(0, 1000), IDLE_MINUTE, true));
        pace.told(told("bridge", 1));
        assertTrue(pace.due(990 * MS, wall(0, 990), IDLE_MINUTE, false), "half a tick early still counts");
        assertFalse(pace.due(400 * MS, wall(0, 400), IDLE_MINUTE, false));
        pace.told(told("bridge", 0));
        assertFalse(pace.due(990 * MS, wall(0, 990), IDLE_MINUTE, false));
    }

    @Test
    void eachDoorTellsItsOwnCountAndOnesZeroLeavesTheOthers() {
        SamplingPace pace = new SamplingPace();
        pace.told(told("bridge", 2));
        pace.told(told("web", 1));
        pace.told(told("cluster", 1));
        assertEquals(4, pace.followers());
        pace.told(told("web", 0));
        assertEquals(3, pace.followers());
        pace.told(told("bridge", -1));
        assertEquals(1, pace.followers());
    }

    @Test
    void aSampleIsFreshForOneSampleInterval() {
        SamplingPace pace = new SamplingPace();
        assertFalse(pace.fresh(0, SETTINGS), "no sample yet");
        pace.sampled(5000 * MS, wall(0, 5000));
        assertTrue(pace.fresh(5999 * MS, SETTINGS));
        assertFalse(pace.fresh(6000 * MS, SETTINGS));
    }

    @Test
    void theTickSleepsUntilTheNextSampleIsDueAndNeverLessThanASampleInterval() {
        SamplingPace pace = new SamplingPace();
        assertEquals(
                1000,
                pace.untilDue(0, wall(0, 30_000), IDLE_MINUTE, false),
                "the first sample a sample interval after the first process");
        pace.sampled(0, wall(0, 30_000));
        assertEquals(30_000, pace.untilDue(0, wall(0, 30_000), IDLE_MINUTE, false), "nobody follows: the next minute");
        assertEquals(20_000, pace.untilDue(10_000 * MS, wall(0, 40_000), IDLE_MINUTE, false), "what is left of it");
        assertEquals(1000, pace.untilDue(29_900 * MS, wall(0, 59_900), IDLE_MINUTE, false));
        assertEquals(
                1000,
                pace.untilDue(10_000 * MS, wall(0, 40_000), IDLE_MINUTE, true),
                "a memory limit: each sample interval");
        pace.told(told("web", 1));
        assertEquals(
                1000,
                pace.untilDue(10_000 * MS, wall(0, 40_000), IDLE_MINUTE, false),
                "a follower: each sample interval");
    }
}
