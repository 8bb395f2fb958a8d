package io.jpm.launcher;

import java.util.function.BooleanSupplier;

/**
 * The daemon's epoll pumps ({@link PipePump}), shared by everything that waits on a descriptor of
 * its own: children's pipes and exits, the notify sockets, socket mode's Node IPC pipes and its
 * connection dealer. One set of threads for all of them, started as they are first needed, so the
 * daemon's thread count does not grow with what its apps use.
 * The first is served by the daemon's main thread ({@link #serveFirst}), which
 * has nothing else to do once the daemon is up: the keeper's line, or a foreground daemon's stdin,
 * is one of its descriptors ({@link #watchInput}).
 */
public final class PumpPool {
    /**
     * One pump per core, four at most, whatever the number of apps: a pump's callbacks never wait (a
     * stream out of budget is paused, see {@link PipePump}), so more would only add threads; fewer
     * leave a core idle while several apps flood (one pump read four flooding apps ~30% slower than
     * one per core on two cores, docs/BENCHMARKS.md).
     */
    static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private static final PipePump[] PUMPS = new PipePump[THREADS];
    private static int dealt;
    private static final String NAME = "jpm-pump-";
    /** Set by {@link #reserveFirst}: the first pump is made without a thread, its loop is the caller's. */
    private static boolean firstServedByCaller;

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

    /**
     * The first pump will be served by the thread that then calls {@link #serveFirst}: called before
     * anything asks for a pump, so that whoever asks first (a resurrected app's spawn on another
     * thread) makes the first pump without a thread of its own.
     */
    public static synchronized void reserveFirst() {
        firstServedByCaller = true;
    }

    /**
     * Runs the first pump's loop on the calling thread, for good (after {@link #reserveFirst}).
     *
     * @throws IllegalStateException when the pump cannot be made (no epoll, no eventfd)
     */
    public static void serveFirst() {
        PipePump pump = first();
        Thread.currentThread().setName(NAME + 0);
        pump.run();
    }

    /**
     * Watches {@code fd}, a pipe or a socket, on the first pump: {@code readable} runs on the pump's
     * thread each time the descriptor has something to read or was hung up (so a read there does not
     * wait), and returns false once done with it (at its end of file), when it stops being watched.
     *
     * @throws IllegalStateException when epoll refuses the descriptor (a regular file, /dev/null)
     */
    public static void watchInput(int fd, BooleanSupplier readable) {
        PipePump pump = first();
        long token = PipePump.token();
        pump.watch(fd, Epoll.EPOLLIN, token, events -> {
            if (!readable.getAsBoolean()) {
                pump.unwatch(fd, token);
            }
        });
    }

    private static PipePump pump(int i) {
        if (PUMPS[i] == null) {
            PUMPS[i] = i == 0 && firstServedByCaller ? new PipePump() : new PipePump(NAME + i);
        }
        return PUMPS[i];
    }
}
