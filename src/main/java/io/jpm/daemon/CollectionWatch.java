package io.jpm.daemon;

import java.lang.ref.Cleaner;
import java.util.function.LongSupplier;

/**
 * Tells each garbage collection and what it left of the heap, without the JVM's management beans: a
 * sentinel object nothing refers to, registered with a cleaner (Vert.x's, whose thread is there in
 * any case), is found unreachable by the next collection, and the cleaner's thread then reads the heap
 * in use (Runtime), tells the listener and registers the next sentinel.
 *
 * <p>Why not the beans (a collector's notifications, the old generation's pool): their set-up loaded
 * ~140 classes from the runtime image outside the daemon's archive (java.lang.management, JMX, open
 * types, reflection on generic signatures), and each collection's notification built its GcInfo
 * through them: 1.1-1.4 MB of the idle daemon's RSS, in turn (docs/BENCHMARKS.md, foundation). What
 * the daemon asks of a collection is only "the heap grew", which the heap in use right after it says.
 *
 * <p>Read right after a young collection, the heap in use is the old generation and the survivors:
 * what was promoted since the last full collection is that less what the last full collection
 * left ({@link #promotedSinceFull}), to within the survivors (a tenth of the young generation).
 */
final class CollectionWatch {
    private final Cleaner cleaner;
    private final LongSupplier inUse;
    /** The heap in use as the last collection left it; -1 before the first. */
    private volatile long afterLast = -1;
    /** The heap in use as the last full collection asked for ({@link #fullCollected}) left it. */
    private volatile long afterFull;

    private volatile Runnable listener = () -> {};

    CollectionWatch(Cleaner cleaner, LongSupplier inUse) {
        this.cleaner = cleaner;
        this.inUse = inUse;
        arm();
    }

    /** This JVM's heap, watched on {@code cleaner}'s thread. */
    static CollectionWatch ofThisJvm(Cleaner cleaner) {
        Runtime runtime = Runtime.getRuntime();
        return new CollectionWatch(cleaner, () -> runtime.totalMemory() - runtime.freeMemory());
    }

    private void arm() {
        // the sentinel is dropped here: only the cleaner's phantom reference sees it
        cleaner.register(new Object(), this::collected);
    }

    /** On the cleaner's thread, after a collection found the sentinel unreachable. */
    private void collected() {
        afterLast = inUse.getAsLong();
        arm();
        listener.run();
    }

    /** Runs {@code listener} on the cleaner's thread after each collection: it must be quick. */
    void onCollection(Runnable listener) {
        this.listener = listener;
    }

    /** The heap in use now. */
    long inUse() {
        return inUse.getAsLong();
    }

    /** A full collection was made (System.gc, which the serial collector makes at once): the baseline of promotions. */
    void fullCollected() {
        long now = inUse.getAsLong();
        afterFull = now;
        afterLast = now;
    }

    /** What the collections since the last full one promoted, live or not; 0 before any collection. */
    long promotedSinceFull() {
        long last = afterLast;
        return last < 0 ? 0 : Math.max(0, last - afterFull);
    }
}
