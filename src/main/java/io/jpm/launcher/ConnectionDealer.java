package io.jpm.launcher;

import com.sun.jna.Native;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Deals the connections of a shared listening socket to the Node instances that listen on it, in
 * turn, as Node's cluster module does for pm2 (its primary accepts and hands each connection to the
 * next worker). Left to the kernel, instances race for connections and the first awake takes a
 * burst: measured with wrk's 32 keep-alive connections on two instances, splits of 20/12, 13/0 and
 * 7/25 and 0.6-0.74x pm2's req/s (docs/BENCHMARKS.md). The daemon accepts each connection and sends
 * it over the instance's IPC pipe; no byte of it goes through the daemon.
 *
 * <p>One epoll thread for every socket; a socket is watched only while someone listens on it, so
 * with no instance ready its connections wait in the kernel's queue. Thread-safe.
 *
 * <p>A taker that keeps a copy of the socket (jpm-listen.js) accepts on it itself when the dealing
 * stops, whatever the daemon does (stopped, dead, its keeper resting): so it is told that the
 * dealing goes on, by each connection dealt to it and, while none was in the last {@link #BEAT_MS},
 * by a beat sent from this pump's thread (God's loop may be busy or hung while dealing goes on).
 * The clock ticks only while such a taker listens.
 */
public final class ConnectionDealer {
    private static final Logger LOG = Logger.getLogger("jpm.launcher");
    private static final int SOCK_NONBLOCK = 04000;
    private static final int SOCK_CLOEXEC = 02000000;

    /**
     * How often a taker that was dealt nothing hears that the dealing goes on: jpm-listen.js accepts
     * itself after 700 ms of silence, so a connection waits under a second when nobody deals.
     */
    static final long BEAT_MS = 250;

    /** Who takes a connection: 1 taken, 0 busy now (not patient), -1 gone (it leaves the turn). */
    public interface Take {
        int offer(int connection, boolean patient);
    }

    /** Tells a taker that the dealing goes on (pump thread; must not wait). */
    public interface Beat {
        void beat();
    }

    private static final class Taker {
        final Object owner;
        final Take take;
        final Beat beat;
        /** Dealt a connection since the clock's last tick: that told it already. */
        boolean dealt;

        Taker(Object owner, Take take, Beat beat) {
            this.owner = owner;
            this.take = take;
            this.beat = beat;
        }
    }

    /** One socket's turn: its takers, whose turn is next, and its epoll registration. */
    private static final class Table {
        final List<Taker> takers = new ArrayList<>();
        final long token = PipePump.token();
        int next;
        boolean watched;
    }

    private final Map<Integer, Table> tables = new HashMap<>();
    private PipePump pump;
    private PumpClock clock;

    /** {@code owner} takes connections of {@code listenFd} in turn with the others, from now on. */
    public void join(int listenFd, Object owner, Take take) {
        join(listenFd, owner, take, null);
    }

    /**
     * {@code owner} takes connections of {@code listenFd} in turn with the others, from now on;
     * {@code beat}, when not null, is told every {@link #BEAT_MS} it was dealt nothing.
     */
    public synchronized void join(int listenFd, Object owner, Take take, Beat beat) {
        Table table = tables.computeIfAbsent(listenFd, fd -> new Table());
        table.takers.removeIf(t -> t.owner.equals(owner));
        table.takers.add(new Taker(owner, take, beat));
        if (!table.watched) {
            table.watched = true;
            pump().watch(listenFd, Epoll.EPOLLIN, table.token, events -> deal(listenFd));
        }
        if (beat != null) {
            clock().start();
        }
    }

    /** The socket {@code owner} takes connections of, or -1 when it takes none. */
    public synchronized int socketOf(Object owner) {
        for (Map.Entry<Integer, Table> e : tables.entrySet()) {
            if (e.getValue().takers.stream().anyMatch(t -> t.owner.equals(owner))) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** {@code owner} takes no more connections of {@code listenFd} (it stops, or closed its server). */
    public synchronized void leave(int listenFd, Object owner) {
        Table table = tables.get(listenFd);
        if (table != null) {
            table.takers.removeIf(t -> t.owner.equals(owner));
            idle(listenFd, table);
        }
    }

    /** Every owner {@code which} accepts takes no more connections of any socket. */
    public synchronized void leaveAll(Predicate<Object> which) {
        tables.forEach((fd, table) -> {
            table.takers.removeIf(t -> which.test(t.owner));
            idle(fd, table);
        });
    }

    /** The socket is about to be closed: nobody deals from it any more. */
    public synchronized void forget(int listenFd) {
        Table table = tables.remove(listenFd);
        if (table != null && table.watched) {
            pump.unwatch(listenFd, table.token);
        }
    }

    private void idle(int listenFd, Table table) {
        if (table.takers.isEmpty() && table.watched) {
            // connections wait in the kernel's queue until an instance listens again
            table.watched = false;
            pump.unwatch(listenFd, table.token);
        }
    }

    private synchronized PipePump pump() {
        if (pump == null) {
            pump = PumpPool.first();
        }
        return pump;
    }

    private PumpClock clock() {
        if (clock == null) {
            clock = new PumpClock(pump(), BEAT_MS * 1_000_000L, this::tick);
        }
        return clock;
    }

    /** On the pump's thread, every {@link #BEAT_MS} while a taker wants beats. */
    private synchronized void tick() {
        boolean wanted = false;
        for (Table table : tables.values()) {
            for (Taker taker : table.takers) {
                if (taker.beat != null) {
                    wanted = true;
                    if (!taker.dealt) {
                        taker.beat.beat();
                    }
                    taker.dealt = false;
                }
            }
        }
        if (!wanted) {
            clock.stop();
        }
    }

    /** On the pump's thread: accepts what waits and hands each connection to the next taker. */
    private void deal(int listenFd) {
        while (true) {
            int connection;
            synchronized (this) {
                Table table = tables.get(listenFd);
                if (table == null || table.takers.isEmpty()) {
                    return;
                }
                connection = LibC.accept4(listenFd, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (connection < 0) {
                    int errno = Native.getLastError();
                    if (errno != LibC.EAGAIN && errno != LibC.EINTR) {
                        LOG.warning(() -> "accept on shared socket " + listenFd + ": " + LibC.strerror(errno));
                    }
                    return;
                }
                handOut(table, connection);
                idle(listenFd, table);
            }
        }
    }

    /**
     * The next taker in turn that is not busy takes it (an instance whose pipe is full is behind:
     * it is skipped rather than waited for, which held every connection up behind it); when all are
     * busy, the next one in turn is waited for.
     */
    private static void handOut(Table table, int connection) {
        try {
            for (boolean patient : new boolean[] {false, true}) {
                int tries = table.takers.size();
                while (tries-- > 0 && !table.takers.isEmpty()) {
                    int i = Math.floorMod(table.next++, table.takers.size());
                    Taker taker = table.takers.get(i);
                    int taken = taker.take.offer(connection, patient);
                    if (taken > 0) {
                        taker.dealt = true;
                        return;
                    }
                    if (taken < 0) {
                        table.takers.remove(i); // its pipe is gone: the next one takes the connection
                    }
                }
            }
            LOG.warning("a connection of a shared socket found no instance to take it: closed");
        } finally {
            LibC.close(connection); // the instance has its own copy
        }
    }
}
