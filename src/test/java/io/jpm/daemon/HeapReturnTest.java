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
        int collections;

        HeapReturn heapReturn() {
            return new HeapReturn(() -> committed, () -> used, () -> {
                collections++;
                committed = Math.max(live * 2, 8 * MIB);
                used = live;
            });
        }
    }

    @Test
    void aBurstThatIsOverIsCollectedOnceAndNotAgainUntilTheHeapGrows() {
        FakeHeap heap = new FakeHeap();
        HeapReturn heapReturn = heap.heapReturn();
        heap.committed = 60 * MIB; // 1,000 apps started and listed, then deleted
        heap.used = 9 * MIB;
        assertTrue(heapReturn.check());
        assertEquals(1, heap.collections);
        assertEquals(12 * MIB, heap.committed);
        for (int i = 0; i < 5; i++) {
            assertFalse(heapReturn.check(), "nothing grew since");
        }
        heap.committed = 40 * MIB;
        heap.used = 7 * MIB;
        assertTrue(heapReturn.check(), "a second burst, over");
        assertEquals(2, heap.collections);
    }

    @Test
    void aHeapInUseIsLeftAlone() {
        FakeHeap heap = new FakeHeap();
        HeapReturn heapReturn = heap.heapReturn();
        heap.committed = 60 * MIB; // 1,000 apps running: the heap holds them
        heap.used = 35 * MIB;
        assertFalse(heapReturn.check());
        assertEquals(0, heap.collections);
        heap.used = 10 * MIB; // deleted: now it is garbage
        assertTrue(heapReturn.check());
    }

    @Test
    void theOrdinaryBreathingOfAnIdleHeapIsNoBurst() {
        FakeHeap heap = new FakeHeap();
        HeapReturn heapReturn = heap.heapReturn();
        heap.committed = 12 * MIB + HeapReturn.GROWTH_BYTES - 1;
        heap.used = 2 * MIB;
        assertFalse(heapReturn.check());
        assertEquals(0, heap.collections);
    }
}
