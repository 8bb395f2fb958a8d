package io.jpm.balancer;

import io.jpm.config.BalancerOptions.Balance;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The upstreams of one app and the choice of the next one. Pure: no Vert.x, unit-tested.
 * Synchronized: Admission changes it on the balancer's loop while HTTP mode's frontends pick on
 * theirs. {@link #pick} allocates nothing: it runs once per request.
 */
final class AppUpstreams {
    private final Map<Integer, Upstream> byPid = new LinkedHashMap<>();
    private Upstream[] members = new Upstream[0];
    private int cursor;

    synchronized void add(Upstream upstream) {
        byPid.put(upstream.pid, upstream);
        members = byPid.values().toArray(new Upstream[0]);
    }

    synchronized Upstream remove(int pid) {
        Upstream removed = byPid.remove(pid);
        members = byPid.values().toArray(new Upstream[0]);
        return removed;
    }

    synchronized Upstream get(int pid) {
        return byPid.get(pid);
    }

    /** A copy: the caller may iterate while frontends pick. */
    synchronized Collection<Upstream> all() {
        return List.copyOf(byPid.values());
    }

    synchronized long readyCount() {
        long n = 0;
        for (Upstream u : members) {
            if (u.state() == Upstream.State.READY) {
                n++;
            }
        }
        return n;
    }

    /**
     * The next ready upstream not in {@code tried}, or null when there is none. Round-robin walks the
     * ready ones in order; least-connections (and HTTP, by requests in flight) takes the least busy,
     * round-robin among equals so that idle instances share the load too.
     */
    synchronized Upstream pick(Balance balance, Set<Upstream> tried) {
        int ready = 0;
        for (Upstream u : members) {
            if (eligible(u, tried)) {
                ready++;
            }
        }
        if (ready == 0) {
            return null;
        }
        int start = Math.floorMod(cursor++, ready);
        Upstream best = null;
        int k = 0;
        // the ready ones from the start'th on, wrapping round: the first for round-robin, the least busy otherwise
        for (int pass = 0; pass < 2; pass++) {
            for (Upstream u : members) {
                if (!eligible(u, tried)) {
                    continue;
                }
                boolean inTurn = pass == 0 ? k >= start : k < start;
                k++;
                if (!inTurn) {
                    continue;
                }
                if (balance == Balance.ROUND_ROBIN) {
                    return u;
                }
                if (best == null || u.active.get() < best.active.get()) {
                    best = u;
                }
            }
            k = 0;
        }
        return best;
    }

    private static boolean eligible(Upstream u, Set<Upstream> tried) {
        return u.state() == Upstream.State.READY && (tried.isEmpty() || !tried.contains(u));
    }
}
