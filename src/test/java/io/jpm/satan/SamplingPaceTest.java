package io.jpm.satan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.SatanSettings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SamplingPaceTest {
    private static final SatanSettings SETTINGS = new SatanSettings(1000, 30_000, 60_000);
    private static final long MS = 1_000_000;

    private static JsonObject told(String source, int count) {
        return new JsonObject().put("source", source).put("count", count);
    }

    @Test
    void theFirstTickSamplesThenTheIdleIntervalWhileNobodyFollows() {
        SamplingPace pace = new SamplingPace();
        assertTrue(pace.due(0, SETTINGS, false));
        pace.sampled(0);
        assertFalse(pace.due(1000 * MS, SETTINGS, false));
        assertFalse(pace.due(29_000 * MS, SETTINGS, false));
        assertTrue(pace.due(29_600 * MS, SETTINGS, false), "half a tick early still counts");
    }

    @Test
    void eachTickWhileSomeoneFollowsOrAMemoryLimitNeedsIt() {
        SamplingPace pace = new SamplingPace();
        pace.sampled(0);
        assertTrue(pace.due(1000 * MS, SETTINGS, true));
        pace.told(told("bridge", 1));
        assertTrue(pace.due(990 * MS, SETTINGS, false));
        pace.told(told("bridge", 0));
        assertFalse(pace.due(990 * MS, SETTINGS, false));
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
        pace.sampled(5000 * MS);
        assertTrue(pace.fresh(5999 * MS, SETTINGS));
        assertFalse(pace.fresh(6000 * MS, SETTINGS));
    }

    @Test
    void theTickSleepsUntilTheNextSampleIsDueAndNeverLessThanASampleInterval() {
        SamplingPace pace = new SamplingPace();
        assertEquals(
                1000, pace.untilDue(0, SETTINGS, false), "the first sample a sample interval after the first process");
        pace.sampled(0);
        assertEquals(30_000, pace.untilDue(0, SETTINGS, false), "nobody follows: the idle interval");
        assertEquals(20_000, pace.untilDue(10_000 * MS, SETTINGS, false), "what is left of it");
        assertEquals(1000, pace.untilDue(29_900 * MS, SETTINGS, false));
        assertEquals(1000, pace.untilDue(10_000 * MS, SETTINGS, true), "a memory limit: each sample interval");
        pace.told(told("web", 1));
        assertEquals(1000, pace.untilDue(10_000 * MS, SETTINGS, false), "a follower: each sample interval");
    }
}
