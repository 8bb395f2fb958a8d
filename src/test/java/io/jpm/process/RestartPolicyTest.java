package io.jpm.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.process.RestartPolicy.Decision;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private static RestartPolicy policy(
            boolean autorestart, int maxRestarts, long restartDelay, long expBackoff, Set<Integer> stopCodes) {
        return new RestartPolicy(
                autorestart, maxRestarts, 1000, restartDelay, expBackoff, stopCodes, 1600, Signal.SIGINT);
    }

    @Test
    void defaultsArePm2s() {
        RestartPolicy p = RestartPolicy.defaults();
        assertTrue(p.autorestart());
        assertEquals(16, p.maxRestarts());
        assertEquals(1000, p.minUptimeMs());
        assertEquals(0, p.restartDelayMs());
        assertEquals(0, p.expBackoffInitialMs());
        assertTrue(p.stopExitCodes().isEmpty());
        assertEquals(1600, p.killTimeoutMs());
        assertEquals(Signal.SIGINT, p.killSignal());
    }

    @Test
    void autorestartOffStopsWhateverTheExit() {
        RestartPolicy p = policy(false, 16, 0, 0, Set.of());
        assertInstanceOf(Decision.Stop.class, p.onExit(1, 60_000, 0, 0));
        assertInstanceOf(Decision.Stop.class, p.onExit(null, 10, 1, 0));
        var stop = (Decision.Stop) p.onExit(0, 60_000, 0, 0);
        assertTrue(stop.reason().contains("autorestart"), stop.reason());
    }

    @Test
    void stopExitCodeStops() {
        RestartPolicy p = policy(true, 16, 0, 0, Set.of(0, 3));
        var stop = assertInstanceOf(Decision.Stop.class, p.onExit(3, 60_000, 0, 0));
        assertTrue(stop.reason().contains("3"), stop.reason());
        assertInstanceOf(Decision.Stop.class, p.onExit(0, 60_000, 0, 0));
        assertInstanceOf(Decision.Restart.class, p.onExit(1, 60_000, 0, 0));
    }

    @Test
    void killedBySignalIsNotAStopExitCode() {
        RestartPolicy p = policy(true, 16, 0, 0, Set.of(0));
        assertInstanceOf(Decision.Restart.class, p.onExit(null, 60_000, 0, 0));
    }

    @Test
    void stopExitCodeWinsOverTooManyUnstableRestarts() {
        RestartPolicy p = policy(true, 2, 0, 0, Set.of(7));
        assertInstanceOf(Decision.Stop.class, p.onExit(7, 10, 3, 0));
    }

    @Test
    void asManyUnstableExitsAsMaxRestartsIsErrored() {
        RestartPolicy p = policy(true, 3, 0, 0, Set.of());
        var errored = assertInstanceOf(Decision.Errored.class, p.onExit(1, 10, 3, 0));
        assertTrue(errored.reason().contains("3"), errored.reason());
        assertTrue(errored.reason().contains("max_restarts is 3"), errored.reason());
    }

    @Test
    void oneUnstableExitFewerThanMaxRestartsStillRestarts() {
        RestartPolicy p = policy(true, 3, 0, 0, Set.of());
        assertInstanceOf(Decision.Restart.class, p.onExit(1, 10, 2, 0));
    }

    @Test
    void zeroMaxRestartsNeverRestarts() {
        RestartPolicy p = policy(true, 0, 0, 0, Set.of());
        assertInstanceOf(Decision.Errored.class, p.onExit(1, 5000, 0, 0));
        assertInstanceOf(Decision.Errored.class, p.onExit(1, 10, 1, 0));
    }

    @Test
    void restartDelayIsUsedWithoutBackoff() {
        RestartPolicy p = policy(true, 16, 2500, 0, Set.of());
        assertEquals(new Decision.Restart(2500, 0), p.onExit(1, 60_000, 0, 0));
        assertEquals(new Decision.Restart(2500, 0), p.onExit(null, 10, 5, 0));
    }

    @Test
    void firstBackoffIsTheInitialDelay() {
        RestartPolicy p = policy(true, 16, 0, 100, Set.of());
        assertEquals(new Decision.Restart(100, 100), p.onExit(1, 10, 1, 0));
    }

    @Test
    void backoffGrowsByHalfEachRestart() {
        RestartPolicy p = policy(true, 100, 0, 100, Set.of());
        long delay = 0;
        long[] expected = {100, 150, 225};
        for (long e : expected) {
            var r = assertInstanceOf(Decision.Restart.class, p.onExit(1, 10, 1, delay));
            assertEquals(e, r.delayMs());
            assertEquals(e, r.nextBackoffMs());
            delay = r.nextBackoffMs();
        }
    }

    @Test
    void backoffIsCappedAt15Seconds() {
        RestartPolicy p = policy(true, 100, 0, 100, Set.of());
        assertEquals(15_000, p.nextBackoff(12_000, 10));
        assertEquals(15_000, p.nextBackoff(15_000, 10));
        assertEquals(14_250, p.nextBackoff(9_500, 10));
        long delay = 0;
        for (int i = 0; i < 40; i++) {
            delay = p.nextBackoff(delay, 10);
            assertTrue(delay <= RestartPolicy.BACKOFF_CAP_MS, "delay " + delay);
        }
        assertEquals(15_000, delay);
    }

    @Test
    void backoffResetsAfterA30SecondRun() {
        RestartPolicy p = policy(true, 16, 0, 100, Set.of());
        assertEquals(100, p.nextBackoff(15_000, 30_000));
        assertEquals(15_000, p.nextBackoff(15_000, 29_999));
        assertEquals(new Decision.Restart(100, 100), p.onExit(1, 45_000, 0, 3375));
    }

    @Test
    void backoffIgnoresRestartDelay() {
        RestartPolicy p = policy(true, 16, 5000, 200, Set.of());
        assertEquals(new Decision.Restart(200, 200), p.onExit(1, 10, 1, 0));
        assertEquals(new Decision.Restart(300, 300), p.onExit(1, 10, 2, 200));
    }

    @Test
    void unstableMeansShorterThanMinUptime() {
        RestartPolicy p = RestartPolicy.defaults();
        assertTrue(p.isUnstable(0));
        assertTrue(p.isUnstable(999));
        assertFalse(p.isUnstable(1000));
        assertFalse(p.isUnstable(5000));
    }

    @Test
    void stopExitCodesAreCopiedAndImmutable() {
        Set<Integer> codes = new HashSet<>(Set.of(2));
        RestartPolicy p = policy(true, 16, 0, 0, codes);
        codes.add(5);
        assertEquals(Set.of(2), p.stopExitCodes());
        assertThrows(
                UnsupportedOperationException.class, () -> p.stopExitCodes().add(9));
    }
}
