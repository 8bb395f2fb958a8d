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
    private final Map<String, Upstream> byKey = new LinkedHashMap<>();
    private Upstream[] members = new Upstream[0];
    private int cursor;

    synchronized void add(Upstream upstream) {
        byKey.put(upstream.key(), upstream);
        members = byKey.values().toArray(new Upstream[0]);
    }

    /** @param key {@link Upstream#key} */
    synchronized Upstream remove(String key) {
        Upstream removed = byKey.remove(key);
        members = byKey.values().toArray(new Upstream[0]);
        return removed;
    }

    synchronized Upstream get(String key) {
        return byKey.get(key);
    }

    /** A copy: the caller may iterate while frontends pick. */
    synchronized Collection<Upstream> all() {
        return List.copyOf(byKey.values());
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
        return pick(balance, tried, false, null);
    }

    /**
     * As {@link #pick(Balance, Set)}; with {@code preferLocal}, among this host's ready upstreams
     * while there is one (another member's only when none is); with a sticky {@code client} key,
     * the ready upstream that key hashes to. The hash is rendezvous hashing over each upstream's pid
     * and pm_id, which every member's front sees alike: a client goes to the same instance from every
     * front, and only the clients of an instance that leaves move.
     */
    synchronized Upstream pick(Balance balance, Set<Upstream> tried, boolean preferLocal, String client) {
        if (client != null) {
            return hashed(tried, client);
        }
        boolean localOnly = preferLocal && anyLocal(tried);
        int ready = 0;
        for (Upstream u : members) {
            if (eligible(u, tried, localOnly)) {
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
                if (!eligible(u, tried, localOnly)) {
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

    private static boolean eligible(Upstream u, Set<Upstream> tried, boolean localOnly) {
        return u.state() == Upstream.State.READY
                && (tried.isEmpty() || !tried.contains(u))
                && (!localOnly || u.node == null);
    }

    private boolean anyLocal(Set<Upstream> tried) {
        for (Upstream u : members) {
            if (u.node == null && eligible(u, tried, false)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code sticky: "cookie"}: the ready upstream whose cookie value is {@code cookie} when there is
     * one not yet tried, else the pick of {@code balance} (the client then gets that one's cookie).
     */
    synchronized Upstream pickByCookie(Balance balance, Set<Upstream> tried, String cookie) {
        if (cookie != null) {
            for (Upstream u : members) {
                if (cookie.equals(u.cookie) && eligible(u, tried, false)) {
                    return u;
                }
            }
        }
        return pick(balance, tried, false, null);
    }

    private Upstream hashed(Set<Upstream> tried, String client) {
        int key = client.hashCode(); // String's hash is the same in every JVM: the same on every front
        Upstream best = null;
        long bestScore = 0;
        for (Upstream u : members) {
            if (!eligible(u, tried, false)) {
                continue;
            }
            long score = mix(key, u.pid, u.pmId);
            if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
                best = u;
                bestScore = score;
            }
        }
        return best;
    }

    /** A well-spread 64-bit score of a client key and an instance (SplitMix64's finaliser). */
    static long mix(int client, int pid, int pmId) {
        long z = ((long) client << 32) ^ ((long) pid * 0x9E3779B97F4A7C15L) ^ pmId;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
