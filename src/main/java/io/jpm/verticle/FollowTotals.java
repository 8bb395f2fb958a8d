package io.jpm.verticle;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How many clients follow each of another host's event addresses, per door that has them (the TCP
 * bridge, "bridge"; the HTTP server's SockJS bridge, "web"), as told on
 * {@code jpm.internal.cluster.follows}: each door tells its own count, and the cluster relays an
 * address while the sum over the doors is above 0. Summed here so one door's 0 does not stop what
 * the other's clients follow.
 */
public final class FollowTotals {
    /** The source of a message that names none: the bridge, which told its counts alone before. */
    public static final String DEFAULT_SOURCE = "bridge";

    private final Map<String, Map<String, Integer>> bySource = new HashMap<>();

    /** A door's count for an address, from a {@code jpm.internal.cluster.follows} message; the address's new total. */
    public int told(JsonObject message) {
        String source = message.getString("source", DEFAULT_SOURCE);
        String address = message.getString("address");
        int count = message.getInteger("count", 0);
        bySource.computeIfAbsent(source, s -> new HashMap<>()).put(address, count);
        return total(address);
    }

    public int total(String address) {
        return bySource.values().stream()
                .mapToInt(counts -> counts.getOrDefault(address, 0))
                .sum();
    }

    public Set<String> addresses() {
        Set<String> all = new TreeSet<>();
        bySource.values().forEach(counts -> all.addAll(counts.keySet()));
        return all;
    }

    /** {@code {"<source>": {"<address>": count}}}, handed from the daemon's gate to the cluster switch. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject();
        bySource.forEach((source, counts) -> {
            JsonObject c = new JsonObject();
            counts.forEach(c::put);
            json.put(source, c);
        });
        return json;
    }

    public static FollowTotals fromJson(JsonObject json) {
        FollowTotals totals = new FollowTotals();
        if (json != null) {
            json.forEach(source -> {
                if (source.getValue() instanceof JsonObject counts) {
                    counts.forEach(e -> totals.told(new JsonObject()
                            .put("source", source.getKey())
                            .put("address", e.getKey())
                            .put("count", e.getValue())));
                }
            });
        }
        return totals;
    }
}
