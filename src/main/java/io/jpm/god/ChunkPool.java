package io.jpm.god;

import java.util.ArrayDeque;

/**
 * The output path's spare 1 MiB chunk arrays. A flooding stream gathers its output into one of
 * them, gives it away with the chunk, and the LogAggregator gives it back once written (see
 * {@link io.jpm.protocol.OutputChunk#release()}), so a flood allocates almost nothing. Before, each
 * 1 MiB chunk was a new array; the daemon's small Serial-GC heap put them straight into its old
 * generation, and a 4-app flood of 210 MB cost 78 full collections.
 *
 * <p>Bounded both ways: at most {@link #capacity} spare arrays are kept (one given back to a full
 * pool is left to the GC), and when none was taken for a while {@link #trimIfIdle} drops them all,
 * so a daemon that flooded once does not keep the memory. The pool does not limit how many arrays
 * are in use: {@link StreamShipper}'s byte budget does. An array given back twice (a bug) is kept
 * once: it must never be handed to two streams.
 */
final class ChunkPool {
    private final int arraySize;
    private final int capacity;
    private final ArrayDeque<byte[]> spare;
    private long lastTakenNanos;
    private long allocated;

    ChunkPool(int arraySize, int capacity) {
        this.arraySize = arraySize;
        this.capacity = capacity;
        this.spare = new ArrayDeque<>(capacity);
    }

    int arraySize() {
        return arraySize;
    }

    /** A spare array, or a new one when none is spare. Its content is whatever it held before. */
    synchronized byte[] take() {
        lastTakenNanos = System.nanoTime();
        byte[] a = spare.pollFirst();
        if (a == null) {
            allocated++;
            a = new byte[arraySize];
        }
        return a;
    }

    /** Takes an array back once nobody reads it any more. Not one of ours, or no room: left to the GC. */
    synchronized void give(byte[] a) {
        if (a.length != arraySize || spare.size() >= capacity) {
            return;
        }
        for (byte[] s : spare) {
            if (s == a) {
                return;
            }
        }
        spare.addFirst(a); // the most recently used first: likely still in the CPU cache
    }

    /**
     * Drops every spare array if none was taken in the last {@code idleNanos}.
     *
     * @return whether spare arrays remain (then call again later)
     */
    synchronized boolean trimIfIdle(long nowNanos, long idleNanos) {
        if (nowNanos - lastTakenNanos >= idleNanos) {
            spare.clear();
        }
        return !spare.isEmpty();
    }

    synchronized int spare() {
        return spare.size();
    }

    /** Arrays allocated since the start (a flood that reuses its arrays keeps this flat). */
    synchronized long allocated() {
        return allocated;
    }
}
