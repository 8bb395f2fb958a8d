package io.jpm.launcher;

/**
 * The daemon's epoll pumps ({@link PipePump}), shared by everything that waits on a descriptor of
 * its own: children's pipes and exits, the notify sockets, socket mode's Node IPC pipes and its
 * connection dealer. One set of threads for all of them, started as they are first needed, so the
 * daemon's thread count does not grow with what its apps use (issue 31: threads; each had a thread
 * of its own before).
 */
final class PumpPool {
    /**
     * One pump per core, four at most, whatever the number of apps: a pump's callbacks never wait (a
     * stream out of budget is paused, see {@link PipePump}), so more would only add threads; fewer
     * leave a core idle while several apps flood (one pump read four flooding apps ~30% slower than
     * one per core on two cores, docs/BENCHMARKS.md).
     */
    static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private static final PipePump[] PUMPS = new PipePump[THREADS];
    private static int dealt;

    private PumpPool() {}

    /** The pump for a new child: children are dealt to the pumps in turn. */
    static synchronized PipePump next() {
        return pump(Math.floorMod(dealt++, THREADS));
    }

    /**
     * The pump for the light descriptors (notify sockets, IPC pipes, listening sockets): the first,
     * which a daemon with any app runs anyway.
     */
    static synchronized PipePump first() {
        return pump(0);
    }

    private static PipePump pump(int i) {
        if (PUMPS[i] == null) {
            PUMPS[i] = new PipePump("jpm-pump-" + i);
        }
        return PUMPS[i];
    }
}
