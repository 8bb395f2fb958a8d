package io.jpm.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BurstWatchTest {
    private static BurstWatch started(int instances) {
        BurstWatch watch = new BurstWatch(BurstWatch.MIN_DROP);
        IntStream.range(0, instances).forEach(id -> watch.event(id, false));
        return watch;
    }

    private static void deleted(BurstWatch watch, int from, int to) {
        IntStream.range(from, to).forEach(id -> watch.event(id, true));
    }

    @Test
    void aThousandStartedThenDeletedIsABurstOver() {
        BurstWatch watch = started(1000);
        assertFalse(watch.over(), "at the peak");
        deleted(watch, 0, 1000);
        assertTrue(watch.over());
        assertEquals(0, watch.instances());
        assertEquals(1000, watch.peak());
    }

    @Test
    void aDropOfFewerThanTheMinimumIsNot() {
        BurstWatch watch = started(150);
        deleted(watch, 0, 99);
        assertFalse(watch.over(), "99 fewer than the peak");
        watch.event(99, true);
        assertTrue(watch.over(), "100 fewer, 50 left of 150");
    }

    @Test
    void moreThanHalfThePeakLeftIsNot() {
        BurstWatch watch = started(400);
        deleted(watch, 0, 199);
        assertFalse(watch.over(), "201 of 400 left");
        watch.event(199, true);
        assertTrue(watch.over(), "200 of 400 left");
    }

    @Test
    void restartsAndStopsCountOnceAndDeletingTheUnknownChangesNothing() {
        BurstWatch watch = started(200);
        IntStream.range(0, 200).forEach(id -> watch.event(id, false)); // each restarted: the same pm_ids
        assertEquals(200, watch.peak());
        watch.event(5000, true);
        assertEquals(200, watch.instances());
    }

    @Test
    void instancesGodListsAtTheStartCountTowardsThePeak() {
        BurstWatch watch = new BurstWatch(BurstWatch.MIN_DROP);
        watch.event(7, false); // an event before God's list came back
        watch.known(IntStream.range(0, 300).boxed().toList());
        assertEquals(300, watch.peak());
        deleted(watch, 0, 300);
        assertTrue(watch.over());
    }

    @Test
    void anyDoorsFollowerHoldsItUntilEveryCountIsZero() {
        BurstWatch watch = new BurstWatch(1);
        watch.followers("logs bridge ", 1);
        watch.followers("metrics web ", 2);
        assertTrue(watch.followed());
        watch.followers("logs bridge ", 0);
        assertTrue(watch.followed());
        watch.followers("metrics web ", 0);
        assertFalse(watch.followed());
        watch.known(List.of());
        assertFalse(watch.over(), "no peak, no burst");
    }
}
