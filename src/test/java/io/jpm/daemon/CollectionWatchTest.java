package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Cleaner;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A collection is told, with the heap it left, by a sentinel on a cleaner: no management beans. */
class CollectionWatchTest {
    private static final long MIB = 1L << 20;

    /** Until the watch tells a collection (each System.gc() is one; the cleaner may take a moment). */
    private static long awaitTold(LinkedBlockingQueue<Long> told) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            System.gc();
            Long seen = told.poll(100, TimeUnit.MILLISECONDS);
            if (seen != null) {
                return seen;
            }
        }
        throw new AssertionError("no collection told");
    }

    @Test
    void eachCollectionIsToldNotOnlyTheFirst() throws Exception {
        AtomicLong inUse = new AtomicLong(5 * MIB);
        CollectionWatch watch = new CollectionWatch(Cleaner.create(), inUse::get);
        LinkedBlockingQueue<Long> told = new LinkedBlockingQueue<>();
        watch.onCollection(() -> told.add(watch.promotedSinceFull()));
        assertEquals(0, watch.promotedSinceFull(), "no collection yet: nothing promoted");
        assertEquals(5 * MIB, awaitTold(told), "before any full collection asked for, all in use counts");
        told.clear();
        inUse.set(7 * MIB);
        assertEquals(7 * MIB, awaitTold(told), "the next collection, read anew");
    }

    @Test
    void promotionsCountFromTheLastFullCollection() throws Exception {
        AtomicLong inUse = new AtomicLong(20 * MIB);
        CollectionWatch watch = new CollectionWatch(Cleaner.create(), inUse::get);
        LinkedBlockingQueue<Long> told = new LinkedBlockingQueue<>();
        watch.onCollection(() -> told.add(watch.promotedSinceFull()));
        inUse.set(6 * MIB);
        watch.fullCollected();
        assertEquals(0, watch.promotedSinceFull(), "right after a full collection");
        inUse.set(15 * MIB);
        assertEquals(9 * MIB, awaitTold(told), "a young collection left 9 MiB more than the full one");
        told.clear();
        inUse.set(4 * MIB); // the collector's own full collection left less than ours
        assertEquals(0, awaitTold(told), "never below nothing");
    }

    @Test
    void thisJvmsHeapIsRead() throws Exception {
        CollectionWatch watch = CollectionWatch.ofThisJvm(Cleaner.create());
        LinkedBlockingQueue<Long> told = new LinkedBlockingQueue<>();
        watch.onCollection(() -> told.add(watch.promotedSinceFull()));
        assertTrue(awaitTold(told) > 0, "some heap in use after a collection");
    }
}
