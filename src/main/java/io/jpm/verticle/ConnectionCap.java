package io.jpm.verticle;

import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * How many connections one door holds at once. Past the cap the oldest connections that have not
 * shown a valid token yet are closed, so connections that never authenticate cannot keep a client
 * that does out for long; a connection that has authenticated is never evicted, and when the door
 * is full of those, a newcomer is refused. Shared by the two doors; one event loop touches it (the
 * door's).
 *
 * <p>Past the cap the oldest are closed a moment later, not as a newcomer comes in, and none before it
 * has been open {@link #GRACE_MS}: under connection churn (bench/churn.sh) closing at once lets one loop
 * round take newcomers for as long as Vert.x gives it (up to 1 s), each closing an older one, and a
 * client that has sent its token is evicted by those that come after it before the loop reads that
 * token (half the tries of a token holder); and a client whose first frame comes a few milliseconds
 * after its connect (a process waiting for a core) is evicted before it has said anything. Meanwhile the
 * door holds at most the cap plus what its listening socket may accept beyond it ({@link AcceptLimit}).
 *
 * @param <C> the door's connection type
 */
public final class ConnectionCap<C> {
    /**
     * How long a connection may speak before it can be evicted: far longer than a client takes from
     * its connect to its first frame, also waiting for a core on a loaded machine (50 ms let a token
     * holder's GET come too late once in a CI run: the door closed before its request arrived, an empty
     * answer no HTTP client retries), far shorter than the auth timeout (5 s) a door still holds one
     * that never speaks, whose place past the cap is then the next newcomer's. The door's descriptors
     * stay bounded meanwhile ({@link AcceptLimit}).
     */
    public static final long GRACE_MS = 250;

    /** Runs a task on the door's loop after {@code delayMs}, and not in the loop round that asked. */
    public interface Later {
        void run(long delayMs, Runnable task);
    }

    private record Waiting(Runnable close, long admittedAt) {}

    private final int max;
    private final Later later;
    private final LongSupplier clock;
    /** Oldest first: the order connections came in; each with how to close it. */
    private final Map<C, Waiting> unauthenticated = new LinkedHashMap<>();

    private final Set<C> authenticated = new HashSet<>();
    private boolean evictionDue;

    /** A cap on the door's loop ({@link #afterReads}) and the system's clock. */
    public ConnectionCap(int max, Later later) {
        this(max, later, System::currentTimeMillis);
    }

    ConnectionCap(int max, Later later, LongSupplier clock) {
        this.max = max;
        this.later = later;
        this.clock = clock;
    }

    /**
     * Runs a task on the calling context's loop after a delay, at the earliest in its next round, after
     * the reads that round does: a Netty loop runs the timers that were due when its round of tasks
     * began, so a timer set during one round runs in a later one.
     */
    public static Later afterReads(Vertx vertx) {
        return (delayMs, task) -> vertx.setTimer(Math.max(1, delayMs), t -> task.run());
    }

    /**
     * Counts a new connection in; past the cap the oldest unauthenticated ones (through their close
     * actions) are closed later. False: the door is full of authenticated connections; close this one.
     */
    public boolean admit(C connection, Runnable close) {
        if (authenticated.size() >= max) {
            return false;
        }
        unauthenticated.put(connection, new Waiting(close, clock.getAsLong()));
        if (size() > max) {
            evictLater(0);
        }
        return true;
    }

    private void evictLater(long delayMs) {
        if (!evictionDue) {
            evictionDue = true;
            later.run(delayMs, this::evictPastCap);
        }
    }

    /**
     * Closes the oldest connections without a valid token until the door holds at most the cap; one
     * still in its grace is left to it, and the rest wait for its end.
     */
    private void evictPastCap() {
        evictionDue = false;
        long now = clock.getAsLong();
        Iterator<Waiting> oldest = unauthenticated.values().iterator();
        while (size() > max && oldest.hasNext()) {
            Waiting next = oldest.next();
            long graceLeft = next.admittedAt() + GRACE_MS - now;
            if (graceLeft > 0) {
                evictLater(graceLeft);
                return;
            }
            oldest.remove();
            next.close().run();
        }
    }
    /** The connection has shown a valid token: it is never evicted from now on. */
    public void authenticated(C connection) {
        if (unauthenticated.remove(connection) != null) {
            authenticated.add(connection);
        }
    }

    public boolean isAuthenticated(C connection) {
        return authenticated.contains(connection);
    }

    /** The connection has closed (whoever closed it). */
    public void closed(C connection) {
        unauthenticated.remove(connection);
        authenticated.remove(connection);
    }

    public int size() {
        return unauthenticated.size() + authenticated.size();
    }
}
