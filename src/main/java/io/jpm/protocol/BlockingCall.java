package io.jpm.protocol;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The daemon's rule that an event loop never waits, made checkable: every call that may wait (a file
 * or /proc read, a DNS lookup, a spawn, a wait for a process) calls {@link #check} first, and with
 * assertions on (the test runs: surefire and failsafe run with {@code -ea}, and a daemon started with
 * {@code JPM_DAEMON_ASSERTIONS=1} gets {@code -ea:io.jpm...}, cli.transport.DaemonJvm) a call on a
 * Vert.x event loop or its acceptor loop throws an {@link AssertionError} and logs {@link #MARK} at
 * SEVERE first, so a failure the loop swallows still shows in daemon.log, where the ITs look for it
 * (io.jpm.it.Jpm). Without assertions it costs a read of a constant.
 *
 * <p>A loop is told by its thread's name, Vert.x's own: this package, and the launcher and the
 * client that use it, know nothing of Vert.x.
 */
public final class BlockingCall {
    /** What daemon.log says of a call on a loop; the ITs fail a class whose daemon logged it. */
    public static final String MARK = "blocking call on an event loop";

    private static final boolean CHECKED = BlockingCall.class.desiredAssertionStatus();
    /** Vert.x's names for its event-loop and acceptor threads (VertxBuilder's thread factory). */
    private static final String[] LOOP_PREFIXES = {"vert.x-eventloop-thread-", "vert.x-acceptor-thread-"};

    private BlockingCall() {}

    /**
     * @param what the call, as daemon.log should name it ("a read of /proc/<pid>/net/tcp")
     * @throws AssertionError with assertions on, on an event-loop thread
     */
    public static void check(String what) {
        if (CHECKED && isLoop(Thread.currentThread().getName())) {
            AssertionError e = new AssertionError(
                    MARK + ": " + what + " on " + Thread.currentThread().getName());
            Log.LOOP.log(Level.SEVERE, e.getMessage(), e);
            throw e;
        }
    }

    /**
     * Made on the first call found on a loop, not at class load: java.util.logging's set-up (its
     * LogManager, the security properties, a service lookup through the jar) cost every client
     * command ~20 ms of its ~100, for a logger only the daemon's tests ever write to.
     */
    private static final class Log {
        static final Logger LOOP = Logger.getLogger("jpm.loop");
    }

    static boolean isLoop(String threadName) {
        for (String prefix : LOOP_PREFIXES) {
            if (threadName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
