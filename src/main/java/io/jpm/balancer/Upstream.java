package io.jpm.balancer;

import io.jpm.verticle.RelayRoute;
import io.vertx.core.Promise;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One instance behind a balanced app, as the balancer sees it, identified by its pid (an app has an
 * old and a new process side by side during a reload). Its state changes on the balancer's event
 * loop (Admission); its counters are touched by every frontend loop (HTTP mode runs on several),
 * hence the atomics: {@link #active} is what the least-busy choice reads.
 */
final class Upstream {
    /** Where an upstream is; only {@link #READY} ones get new connections. */
    enum State {
        /** Started, not yet accepting (or its health probe has not passed yet). */
        PROBING,
        /** In rotation. */
        READY,
        /** Out of rotation; its open connections are let finish. */
        DRAINING,
        /** Gone: left the rotation for good. */
        GONE;

        boolean canMoveTo(State next) {
            return switch (this) {
                case PROBING -> next == READY || next == DRAINING || next == GONE;
                case READY -> next == PROBING || next == DRAINING || next == GONE;
                case DRAINING -> next == GONE;
                case GONE -> false;
            };
        }

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final String app;
    final int pmId;
    final int pid;
    final int port;
    final boolean health;
    /** The member that runs it, reached through that member's daemon; null for this host's own. */
    final String node;
    /**
     * How the HTTP relay reaches it when it is another member's: that member's relay itself, over TLS
     * ({@link InstancePool}); null for this host's own, or when only {@link #port} (the cluster side's
     * loopback listener, which TCP mode, the Vert.x lane and the probes use) leads there.
     */
    volatile RelayRoute route;
    /**
     * Its member's relay answered nothing lately ({@link RelayWatch}): kept out of rotation until it
     * answers, whatever else says it is ready. On the balancer's loop.
     */
    boolean relaySilent;

    /** Its {@code sticky: "cookie"} value, the same on every front ({@link StickyCookie}). */
    final String cookie;

    private volatile State state = State.PROBING;
    /** Open TCP connections, or HTTP requests in flight. */
    final AtomicInteger active = new AtomicInteger();
    /** Connections (TCP) or requests (HTTP) handed to it, in all. */
    final LongAdder served = new LongAdder();
    /** The same over the last minute. */
    final MinuteWindow recent = new MinuteWindow();
    /** Bytes from clients to the instance, and back. */
    final LongAdder bytesIn = new LongAdder();

    final LongAdder bytesOut = new LongAdder();
    /** A health probe said healthy at least once (only waited for when {@link #health}). */
    boolean healthy;
    /** Completed once the upstream has no active connection left while draining (bound to the balancer's context). */
    volatile Promise<Boolean> drained;

    Upstream(String app, int pmId, int pid, int port, boolean health) {
        this(app, pmId, pid, port, health, null);
    }

    /** Its key in its app's rotation: the pid, with the node for another member's (pids repeat across hosts). */
    static String key(String node, int pid) {
        return node == null ? Integer.toString(pid) : node + "/" + pid;
    }

    String key() {
        return key(node, pid);
    }

    Upstream(String app, int pmId, int pid, int port, boolean health, String node) {
        this.node = node;
        this.app = app;
        this.pmId = pmId;
        this.pid = pid;
        this.port = port;
        this.health = health;
        this.cookie = StickyCookie.value(pid, pmId);
    }

    State state() {
        return state;
    }

    /** Moves along an allowed edge; a forbidden edge is a bug. */
    void moveTo(State next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("upstream pid " + pid + ": " + state + " -> " + next + " is not allowed");
        }
        state = next;
    }

    /** One connection or request is done. */
    void release() {
        Promise<Boolean> waiting = drained;
        if (active.decrementAndGet() <= 0 && waiting != null) {
            waiting.tryComplete(true);
        }
    }
}
