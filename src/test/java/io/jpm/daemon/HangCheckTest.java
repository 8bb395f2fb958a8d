package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The hang check's rules on a fake clock: what counts against a task, and when it is a hang. */
class HangCheckTest {
    private static final long MS = 1_000_000;
    /** The default timeout; ticks every 30 s. */
    private static final long TIMEOUT_MS = 60_000;

    private static HangCheck.Task god(long startMs) {
        return new HangCheck.Task("vert.x-eventloop-thread-0", startMs * MS, "god");
    }

    private static HangCheck.Task idle(String thread) {
        return new HangCheck.Task(thread, 0, null);
    }

    /** Ticks every period from {@code fromMs} to {@code toMs}, each seeing {@code task}; the last verdict. */
    private static HangCheck.Verdict ticks(HangCheck check, long fromMs, long toMs, HangCheck.Task task) {
        HangCheck.Verdict verdict = HangCheck.Verdict.NONE;
        for (long t = fromMs; t <= toMs; t += check.periodMs()) {
            verdict = check.tick(t * MS, List.of(task, idle("vert.x-worker-thread-0")));
            if (verdict.hang() != null) {
                return verdict;
            }
        }
        return verdict;
    }

    @Test
    void thePeriodIsHalfTheTimeoutWithinBounds() {
        assertEquals(30_000, HangCheck.periodMs(60_000));
        assertEquals(30_000, HangCheck.periodMs(3_600_000));
        assertEquals(1_500, HangCheck.periodMs(3_000));
        assertEquals(HangCheck.MIN_PERIOD_MS, HangCheck.periodMs(100));
    }

    @Test
    void oneTaskHeldPastTheTimeoutIsAHang() {
        HangCheck check = new HangCheck(TIMEOUT_MS, 0);
        // begun at 1 s; held 59 s at the tick of 60 s: not yet
        assertNull(ticks(check, 10_000, 60_000, god(1_000)).hang());
        HangCheck.Verdict verdict = check.tick(70_000 * MS, List.of(god(1_000)));
        assertEquals("god", verdict.hang().task().verticle());
        assertEquals("vert.x-eventloop-thread-0", verdict.hang().task().thread());
        assertEquals(69_000, verdict.hang().heldMs());
        assertEquals(0, verdict.lateMs());
    }

    @Test
    void manyShortTasksOnOneThreadAreNoHang() {
        HangCheck check = new HangCheck(TIMEOUT_MS, 0);
        for (long t = 10_000; t <= 600_000; t += 10_000) {
            // a busy thread: a task under way at every tick, each begun just before it
            assertNull(check.tick(t * MS, List.of(god(t - 3_000))).hang(), "at " + t);
        }
    }

    @Test
    void aTaskThatEndsBeforeTheTimeoutIsForgotten() {
        HangCheck check = new HangCheck(TIMEOUT_MS, 0);
        assertNull(ticks(check, 10_000, 50_000, god(5_000)).hang());
        assertNull(check.tick(60_000 * MS, List.of(idle("vert.x-eventloop-thread-0")))
                .hang());
        // the next task on that thread starts from nothing
        assertNull(ticks(check, 70_000, 120_000, god(65_000)).hang());
        assertEquals(
                65_000,
                check.tick(130_000 * MS, List.of(god(65_000))).hang().heldMs(),
                "held from its start, 65 s, at the tick of 130 s");
    }

    @Test
    void ticksThatComeLateUnderLoadStillCount() {
        HangCheck check = new HangCheck(TIMEOUT_MS, 0);
        // each tick 5 s late (half a period: a starved acceptor thread), the task held all along
        long t = 0;
        HangCheck.Verdict verdict = HangCheck.Verdict.NONE;
        while (verdict.hang() == null && t < 200_000) {
            t += 15_000;
            verdict = check.tick(t * MS, List.of(god(1_000)));
            assertEquals(0, verdict.lateMs());
        }
        assertEquals(75_000, t);
        assertEquals(74_000, verdict.hang().heldMs());
    }

    /** SIGSTOP for 5 minutes, with a task under way: the stopped time is no task's doing. */
    @Test
    void aTickLateByFarCountsNothingOfItsGap() {
        HangCheck check = new HangCheck(TIMEOUT_MS, 0);
        check.tick(10_000 * MS, List.of());
        check.tick(20_000 * MS, List.of());
        assertNull(check.tick(30_000 * MS, List.of(god(25_000))).hang()); // held 5 s so far
        HangCheck.Verdict resumed = check.tick(330_000 * MS, List.of(god(25_000)));
        assertNull(resumed.hang(), "the 300 s stopped are not counted");
        assertEquals(270_000, resumed.lateMs()); // the gap less the period it was due after
        // it goes on being held: counted from the resume, a hang 55 s later (5 s + 55 s)
        assertNull(ticks(check, 340_000, 380_000, god(25_000)).hang());
        HangCheck.Verdict verdict = check.tick(390_000 * MS, List.of(god(25_000)));
        assertEquals(65_000, verdict.hang().heldMs());
    }

    @Test
    void aTaskFirstSeenAfterALateTickCountsOnlyFromThen() {
        HangCheck check = new HangCheck(TIMEOUT_MS, 0);
        // begun before the stop, first seen by the tick after it
        HangCheck.Verdict resumed = check.tick(500_000 * MS, List.of(god(2_000)));
        assertNull(resumed.hang());
        assertNull(ticks(check, 510_000, 550_000, god(2_000)).hang());
        assertEquals(
                60_000, check.tick(560_000 * MS, List.of(god(2_000))).hang().heldMs());
    }

    @Test
    void aTaskFirstSeenCountsNoLongerThanTheGapSinceTheLastTick() {
        HangCheck check = new HangCheck(TIMEOUT_MS, 0);
        check.tick(10_000 * MS, List.of());
        // its start claims 100 s ago (a clock read before a stop, say): the tick only vouches for 10 s
        assertNull(ticks(check, 20_000, 60_000, god(-80_000)).hang());
        assertEquals(
                60_000, check.tick(70_000 * MS, List.of(god(-80_000))).hang().heldMs());
    }

    @Test
    void theLongestTaskSeenIsKeptAfterItEnds() {
        HangCheck check = new HangCheck(TIMEOUT_MS, 0);
        assertNull(check.longest());
        check.tick(10_000 * MS, List.of(god(8_000)));
        check.tick(20_000 * MS, List.of(god(8_000)));
        check.tick(30_000 * MS, List.of(god(29_500)));
        check.tick(40_000 * MS, List.of(idle("vert.x-eventloop-thread-0")));
        assertEquals(12_000, check.longest().heldMs());
        assertEquals("god", check.longest().task().verticle());
    }

    @Test
    void theLongestOfTwoHangsIsTold() {
        HangCheck check = new HangCheck(3_000, 0);
        HangCheck.Task logs = new HangCheck.Task("vert.x-worker-thread-1", 100 * MS, "logs");
        HangCheck.Verdict verdict = HangCheck.Verdict.NONE;
        for (long t = 500; verdict.hang() == null; t += 500) {
            verdict = check.tick(t * MS, List.of(god(400), logs));
        }
        assertEquals("logs", verdict.hang().task().verticle());
        assertEquals(3_400, verdict.hang().heldMs());
    }
}
