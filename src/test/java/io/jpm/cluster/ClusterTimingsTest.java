package io.jpm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterTimingsTest {
    @Test
    void unsetKeepsTheDefaults() {
        assertEquals(new ClusterTimings(10, 5), ClusterTimings.from(Map.of()));
    }

    @Test
    void eachVariableSetsItsBound() {
        assertEquals(
                new ClusterTimings(3, 1),
                ClusterTimings.from(Map.of(ClusterTimings.HEARTBEAT_TIMEOUT, "3", ClusterTimings.MERGE_CHECK, " 1 ")));
    }

    @Test
    void aValueThatIsNoWholeNumberOrTooSmallKeepsTheDefault() {
        assertEquals(
                ClusterTimings.DEFAULTS,
                ClusterTimings.from(Map.of(ClusterTimings.HEARTBEAT_TIMEOUT, "1", ClusterTimings.MERGE_CHECK, "2s")));
        assertEquals(
                ClusterTimings.DEFAULTS,
                ClusterTimings.from(Map.of(ClusterTimings.HEARTBEAT_TIMEOUT, "-4", ClusterTimings.MERGE_CHECK, "0")));
    }
}
