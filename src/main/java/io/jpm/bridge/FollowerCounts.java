package io.jpm.bridge;

import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * How many bridge connections follow each address someone counts (live log lines, another host's
 * events), kept true when a connection drops without unregistering: the bridge says nothing then,
 * but it leaves a socket's close handler to us (it uses the end and exception handlers).
 */
final class FollowerCounts {
    private final Map<NetSocket, Set<String>> bySocket = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    /** Told (address, new count) at each change. */
    private final BiConsumer<String, Integer> onChange;

    FollowerCounts(BiConsumer<String, Integer> onChange) {
        this.onChange = onChange;
    }

    void registered(NetSocket socket, String address) {
        Set<String> addresses = bySocket.get(socket);
        if (addresses == null) {
            addresses = new HashSet<>();
            bySocket.put(socket, addresses);
            socket.closeHandler(v -> closed(socket));
        }
        if (addresses.add(address)) {
            change(address, 1);
        }
    }

    void unregistered(NetSocket socket, String address) {
        Set<String> addresses = bySocket.get(socket);
        if (addresses != null && addresses.remove(address)) {
            change(address, -1);
        }
    }

    int count(String address) {
        return counts.getOrDefault(address, 0);
    }

    private void closed(NetSocket socket) {
        Set<String> addresses = bySocket.remove(socket);
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
