package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChunkPoolTest {

    @Test
    void anArrayGivenBackIsTakenAgainInsteadOfANewOne() {
        ChunkPool pool = new ChunkPool(1024, 4);
        byte[] a = pool.take();
        assertEquals(1024, a.length);
        pool.give(a);
        assertSame(a, pool.take());
        assertEquals(1, pool.allocated());
    }

    @Test
    void arraysInUseAreNeverHandedOutTwice() {
        ChunkPool pool = new ChunkPool(16, 4);
        byte[] a = pool.take();
        byte[] b = pool.take();
        assertNotSame(a, b);
        assertEquals(2, pool.allocated());
    }

    @Test
    void anArrayGivenBackTwiceIsKeptOnceSoTwoStreamsNeverShareIt() {
        ChunkPool pool = new ChunkPool(16, 4);
        byte[] a = pool.take();
        pool.give(a);
        pool.give(a);
        assertEquals(1, pool.spare());
        assertSame(a, pool.take());
        assertNotSame(a, pool.take());
    }

    @Test
    void itKeepsNoMoreThanItsCapacityAndNothingOfAnotherSize() {
        ChunkPool pool = new ChunkPool(16, 2);
        byte[][] taken = {pool.take(), pool.take(), pool.take()};
        for (byte[] a : taken) {
            pool.give(a);
        }
        assertEquals(2, pool.spare());
        pool.take();
        pool.give(new byte[17]);
        assertEquals(1, pool.spare());
    }

    @Test
    void aFloodOfChunksAllocatesOnlyWhatIsInUseAtOnce() {
        ChunkPool pool = new ChunkPool(64, 8);
        for (int chunk = 0; chunk < 10_000; chunk++) {
            byte[] gathering = pool.take();
            byte[] writing = pool.take();
            pool.give(writing);
            pool.give(gathering);
        }
        assertEquals(2, pool.allocated());
    }

    @Test
    void spareArraysAreDroppedOnceNoneWasTakenForTheIdleTime() {
        ChunkPool pool = new ChunkPool(16, 4);
        pool.give(pool.take());
        long now = System.nanoTime();
        assertTrue(pool.trimIfIdle(now, 60_000_000_000L), "taken just now: kept");
        assertEquals(1, pool.spare());
        assertFalse(pool.trimIfIdle(now + 61_000_000_000L, 60_000_000_000L));
        assertEquals(0, pool.spare());
    }
}
