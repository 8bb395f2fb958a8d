package io.jpm.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.DoorLimits;
import org.junit.jupiter.api.Test;

class ConnectionClockTest {
    private static final DoorLimits LIMITS = new DoorLimits(10, 60_000, 5_000);

    @Test
    void anUnauthenticatedConnectionHasUntilTheAuthTimeoutWhateverItSends() {
        ConnectionClock clock = new ConnectionClock(LIMITS, 1_000);
        clock.traffic(4_000);
        clock.request(4_000, 120_000);
        assertEquals(6_000, clock.deadline());
        assertTrue(clock.reason().contains("no valid token"), clock.reason());
    }

    @Test
    void anAuthenticatedConnectionClosesAfterItsLastTrafficPlusTheIdleTimeout() {
        ConnectionClock clock = new ConnectionClock(LIMITS, 1_000);
        clock.authenticated();
        clock.traffic(2_000);
        assertEquals(62_000, clock.deadline());
        assertTrue(clock.reason().contains("idle"), clock.reason());
    }

    @Test
    void aRequestWithALongTimeoutKeepsItsConnection() {
        ConnectionClock clock = new ConnectionClock(LIMITS, 0);
        clock.authenticated();
        clock.request(1_000, 300_000);
        assertEquals(301_000, clock.deadline());
    }

    @Test
    void aSubscriberIsNeverIdle() {
        ConnectionClock clock = new ConnectionClock(LIMITS, 0);
        clock.authenticated();
        clock.registrations(1);
        assertEquals(Long.MAX_VALUE, clock.deadline());
        assertEquals(60_000, clock.nextCheckMs(5_000));
        clock.registrations(0);
        assertEquals(60_000, clock.deadline());
    }
}
