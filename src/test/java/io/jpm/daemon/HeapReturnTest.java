package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapReturnTest {
    private static final long MIB = 1L << 20;

    /** A heap whose sizes the test sets; a collection shrinks it to what is live. */
    private static final class FakeHeap {
        long committed = 12 * MIB;
        long used = 6 * MIB;
        long live = 6 * MIB;
        long promoted;
        long allocated;
        int collections;

        HeapReturn heapReturn() {
            return new HeapReturn(() -> committed, () -> used, () -> promoted, () -> allocated, () -> {
                collections++;
                committed = Math.max(live * 2, 8 * MIB);
                used = live;
                promoted = 0;
            });
        }

        /** A HeapReturn past the daemon's start: its first return made, the heap at what is live. */
        HeapReturn afterStart() {
            HeapReturn heapReturn = heapReturn();
            assertTrue(heapReturn.check(), "the start's garbage, once quiet");
            collections = 0;
            return heapReturn;
        }

        /** Past the start, with 1,000 apps running whose heap was collected once (40 MiB held, 20 live). */
        HeapReturn withThousandAppsCollected() {
            HeapReturn heapReturn = afterStart();
            committed = 44 * MIB;
            live = 20 * MIB;
            assertFalse(heapReturn.check(), "grown since the last look");
            assertTrue(heapReturn.check(), "quiet");
            assertEquals(40 * MIB, committed);
            collections = 0;
            return heapReturn;
        }
    }

    @Test
    void theStartsGarbageIsCollectedOnceTheStartIsOver() {
        FakeHeap heap = new FakeHeap();
        heap.committed = 30 * MIB; // grown during the start
        HeapReturn heapReturn = heap.heapReturn();
        heap.committed = 34 * MIB;
        assertFalse(heapReturn.check(), "still starting");
        assertTrue(heapReturn.check(), "quiet: the start is over");
        assertEquals(12 * MIB, heap.committed);
        assertFalse(heapReturn.check(), "once");
        assertEquals(1, heap.collections);
    }

    @Test
    void aBurstIsNotCollectedWhileTheDaemonAllocatesAsUnderTraffic() {
        FakeHeap heap = new FakeHeap();
        HeapReturn heapReturn = heap.withThousandAppsCollected();
        heap.committed = 60 * MIB; // grew: a burst
        assertFalse(heapReturn.check(), "grown since the last look");
        // the heap stopped growing, but requests go through: 50 MB a second
        heap.allocated += 500_000_000L;
        assertFalse(heapReturn.check(), "busy: no stop of the world under traffic");
        heap.allocated += HeapReturn.BUSY_BYTES - 1; // idle: what a quiet daemon allocates
        assertTrue(heapReturn.check(), "quiet at last");
        assertEquals(1, heap.collections);
    }

    @Test
    void aSmallStartIsCollectedOnceToo() {
        FakeHeap heap = new FakeHeap();
        heap.committed = 7 * MIB; // less than a burst: a start with CDS leaves little
        heap.live = 3 * MIB;
        HeapReturn heapReturn = heap.heapReturn();
        assertTrue(heapReturn.check(), "quiet: the start is over");
        assertEquals(1, heap.collections);
        assertFalse(heapReturn.check(), "once");
        assertEquals(1, heap.collections);
    }

    @Test
    void aBurstThatIsOverIsCollectedOnceAndNotAgainUntilTheHeapGrows() {
        FakeHeap heap = new FakeHeap();
        HeapReturn heapReturn = heap.afterStart();
        heap.committed = 60 * MIB; // 1,000 apps started and listed, then deleted
        heap.used = 45 * MIB; // most of it dead, but counted as used until a full collection
        assertFalse(heapReturn.check(), "it grew since the last look: the burst may go on");
        assertTrue(heapReturn.check(), "no growth since: over");
        assertEquals(1, heap.collections);
        assertEquals(12 * MIB, heap.committed);
        for (int i = 0; i < 5; i++) {
            assertFalse(heapReturn.check(), "nothing grew since");
        }
        heap.committed = 40 * MIB;
        heap.used = 30 * MIB;
        assertFalse(heapReturn.check());
        assertTrue(heapReturn.check(), "a second burst, over");
        assertEquals(2, heap.collections);
    }

    @Test
    void aHeapStillGrowingIsLeftAlone() {
        FakeHeap heap = new FakeHeap();
        HeapReturn heapReturn = heap.afterStart();
        for (long held = 30; held <= 90; held += 20) {
            heap.committed = held * MIB; // 1,000 apps starting: each look finds more
            heap.used = held * MIB / 2;
            assertFalse(heapReturn.check(), held + " MiB");
        }
        assertEquals(0, heap.collections);
        assertTrue(heapReturn.check(), "it stopped growing");
    }

    @Test
    void appsDeletedInAHeapThatDidNotGrowAreGivenBack() {
        FakeHeap heap = new FakeHeap();
        HeapReturn heapReturn = heap.withThousandAppsCollected();
        heap.live = 6 * MIB; // restarted, then deleted: the heap is the same size, its old generation
        heap.promoted = 12 * MIB; // took in what the restart and the delete left
        assertFalse(heapReturn.check(), "promoted since the last look");
        assertTrue(heapReturn.check(), "quiet");
        assertEquals(12 * MIB, heap.committed);
    }

    @Test
    void manyAppsDeletedWithNothingPromotedAreGivenBack() {
        FakeHeap heap = new FakeHeap();
        HeapReturn heapReturn = heap.withThousandAppsCollected();
        heap.live = 6 * MIB; // deleted at once: they die in the old generation, nothing is promoted
        for (int i = 0; i < HeapReturn.DELETED_BURST - 1; i++) {
            heapReturn.instanceDeleted();
        }
        assertFalse(heapReturn.check(), "fewer than a burst");
        assertFalse(heapReturn.check());
        heapReturn.instanceDeleted();
        assertFalse(heapReturn.check(), "deleted since the last look");
        assertTrue(heapReturn.check(), "quiet");
        assertEquals(12 * MIB, heap.committed);
        assertFalse(heapReturn.check(), "the count starts again");
    }

    @Test
    void aBurstThatLeftTheHeapNearItsFloorIsNotCollected() {
        FakeHeap heap = new FakeHeap();
        HeapReturn heapReturn = heap.afterStart(); // 12 MiB, the least a collection leaves here
        heap.committed = 12 * MIB + HeapReturn.GROWTH_BYTES - 1; // 200 apps started
        heap.promoted = 2 * HeapReturn.GROWTH_BYTES; // and their start's garbage promoted
        for (int i = 0; i < HeapReturn.DELETED_BURST; i++) {
            heapReturn.instanceDeleted();
        }
        assertFalse(heapReturn.check(), "promoted and deleted since the last look");
        assertFalse(heapReturn.check(), "quiet, but a collection would give nothing back");
        assertFalse(heapReturn.unsettled(), "no look is kept going for it");
        assertEquals(0, heap.collections);
        heap.committed = 12 * MIB + HeapReturn.GROWTH_BYTES; // grown past the floor: it can give back
        assertFalse(heapReturn.check(), "grown since the last look");
        assertTrue(heapReturn.unsettled());
        assertTrue(heapReturn.check(), "quiet");
        assertEquals(1, heap.collections);
    }

    @Test
    void theOrdinaryBreathingOfAnIdleHeapIsNoBurst() {
        FakeHeap heap = new FakeHeap();
        HeapReturn heapReturn = heap.afterStart();
        heap.committed = 12 * MIB + HeapReturn.GROWTH_BYTES - 1;
        heap.used = 2 * MIB;
        heap.promoted = HeapReturn.GROWTH_BYTES - 1;
        assertFalse(heapReturn.check(), "growing");
        assertFalse(heapReturn.check(), "quiet, but not grown by a burst");
        assertEquals(0, heap.collections);
    }
}
