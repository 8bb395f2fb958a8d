package io.jpm.bridge;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * How many bridge connections follow each address someone counts (live log lines, another host's
 * events), kept true when a connection drops without unregistering. The connections live on two
 * event loops (the TCP port's and the owner socket's), hence the lock: a few map operations, never
 * held across a wait.
 */
final class FollowerCounts {
    private final Map<Object, Set<String>> byConnection = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    /** Told (address, new count) at each change. */
    private final BiConsumer<String, Integer> onChange;

    FollowerCounts(BiConsumer<String, Integer> onChange) {
        this.onChange = onChange;
    }

    synchronized void registered(Object connection, String address) {
        if (byConnection.computeIfAbsent(connection, c -> new HashSet<>()).add(address)) {
            change(address, 1);
        }
    }

    synchronized void unregistered(Object connection, String address) {
        Set<String> addresses = byConnection.get(connection);
        if (addresses != null && addresses.remove(address)) {
            change(address, -1);
        }
    }

    synchronized int count(String address) {
        return counts.getOrDefault(address, 0);
    }

    synchronized void closed(Object connection) {
        Set<String> addresses = byConnection.remove(connection);
        if (addresses != null) {
            addresses.forEach(address -> change(address, -1));
        }
    }

    private void change(String address, int delta) {
        int now = counts.merge(address, delta, Integer::sum);
        if (now <= 0) {
            counts.remove(address);
        }
        onChange.accept(address, Math.max(now, 0));
    }
}
