package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FollowTotalsTest {
    private static final String EVENTS = "jpm.host.web-2.events.process";

    private static JsonObject told(String source, int count) {
        JsonObject message = new JsonObject().put("address", EVENTS).put("count", count);
        return source == null ? message : message.put("source", source);
    }

    @Test
    void oneDoorsZeroDoesNotStopWhatTheOthersClientsFollow() {
        FollowTotals totals = new FollowTotals();
        assertEquals(2, totals.told(told("bridge", 2)));
        assertEquals(3, totals.told(told("web", 1)));
        assertEquals(1, totals.told(told("bridge", 0)), "the SockJS session still follows");
        assertEquals(0, totals.told(told("web", 0)));
    }

    @Test
    void aMessageWithoutSourceIsTheBridges() {
        FollowTotals totals = new FollowTotals();
        totals.told(told(null, 2));
        assertEquals(2, totals.told(told("bridge", 2)), "the same count, not added twice");
    }

    @Test
    void theGateHandsItsCountsToTheSwitchPerDoor() {
        FollowTotals gate = new FollowTotals();
        gate.told(told("bridge", 1));
        gate.told(told("web", 2));
        FollowTotals handed = FollowTotals.fromJson(gate.toJson());
        assertEquals(Set.of(EVENTS), handed.addresses());
        assertEquals(3, handed.total(EVENTS));
        assertEquals(2, handed.told(told("bridge", 0)), "the web door's count was kept apart");
        assertEquals(0, FollowTotals.fromJson(null).total(EVENTS));
    }
}
