package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionCapTest {
    private final List<String> evicted = new ArrayList<>();
    /** Evictions past the cap wait here for the loop's next round. */
    private final List<Runnable> nextRound = new ArrayList<>();

    private final List<Long> delays = new ArrayList<>();
    private long now = 1_000;
    private final ConnectionCap<String> cap = new ConnectionCap<>(
            3,
            (delayMs, task) -> {
                delays.add(delayMs);
                nextRound.add(task);
            },
            () -> now);

    private boolean admit(String connection) {
        return cap.admit(connection, () -> evicted.add(connection));
    }

    /** The loop's next round, once the grace of every connection so far has run out. */
    private void nextRound() {
        now += ConnectionCap.GRACE_MS;
        List<Runnable> due = List.copyOf(nextRound);
        nextRound.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void atTheCapTheOldestUnauthenticatedConnectionMakesRoom() {
        assertTrue(admit("a"));
        assertTrue(admit("b"));
        assertTrue(admit("c"));
        assertTrue(admit("d"));
        nextRound();
        assertEquals(List.of("a"), evicted);
        assertEquals(3, cap.size());
    }

    @Test
    void theOldestAreClosedInTheLoopsNextRoundSoANewcomersTokenIsReadFirst() {
        for (String c : List.of("a", "b", "c", "d", "e", "token-holder")) {
            assertTrue(admit(c));
        }
        assertEquals(List.of(), evicted, "nothing is closed while the loop takes newcomers");
        assertEquals(1, nextRound.size(), "one eviction for the round, however many came");
        // the loop's reads come before the eviction: the newcomer's token was waiting
        cap.authenticated("token-holder");
        nextRound();
        assertEquals(List.of("a", "b", "c"), evicted);
        assertTrue(cap.isAuthenticated("token-holder"));
        assertEquals(3, cap.size());
    }

    @Test
    void aConnectionInItsGraceIsNotEvictedYet() {
        admit("a");
        now += ConnectionCap.GRACE_MS;
        for (String c : List.of("b", "c", "d", "e")) {
            admit(c);
        }
        List<Runnable> due = List.copyOf(nextRound);
        nextRound.clear();
        due.forEach(Runnable::run);
        assertEquals(List.of("a"), evicted, "a's grace is over; b, c, d, e are in theirs");
        assertEquals(List.of(0L, ConnectionCap.GRACE_MS), delays, "the next eviction is due when b's grace ends");
        nextRound();
        assertEquals(List.of("a", "b"), evicted);
        assertEquals(3, cap.size());
    }

    @Test
    void anAuthenticatedConnectionIsNeverEvicted() {
        admit("operator");
        cap.authenticated("operator");
        admit("b");
        admit("c");
        admit("d");
        admit("e");
        nextRound();
        assertEquals(List.of("b", "c"), evicted);
        assertTrue(cap.isAuthenticated("operator"));
    }

    @Test
    void aDoorFullOfAuthenticatedConnectionsRefusesANewOne() {
        for (String c : List.of("a", "b", "c")) {
            admit(c);
            cap.authenticated(c);
        }
        assertFalse(admit("d"));
        assertEquals(List.of(), evicted);
        cap.closed("b");
        assertTrue(admit("d"));
    }

    @Test
    void aClosedConnectionFreesItsPlace() {
        admit("a");
        admit("b");
        cap.closed("a");
        cap.closed("a");
        assertEquals(1, cap.size());
        assertFalse(cap.isAuthenticated("a"));
    }
}
