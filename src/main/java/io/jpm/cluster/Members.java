package io.jpm.cluster;

import io.jpm.protocol.Addresses;
import io.jpm.verticle.LocalBus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hosts this daemon knows of, by node name: those in the cluster now ({@link #UP}) and those
 * that were and left ({@link #LEFT}: stopped, killed or cut off), kept so a cluster-wide query can
 * say they are unreachable rather than forget them, until a user forgets one on purpose. Written by {@link Membership} from Hazelcast's
 * threads, read by {@link ClusterSide}: a local map of the daemon's own Vert.x, safe from any thread.
 * Each change is published on {@link Addresses#EVENTS_CLUSTER} (a follower of every host learns of
 * one that joins).
 */
final class Members {
    static final String UP = "up";
    static final String LEFT = "left";
    static final String FORGOTTEN = "forgotten";
    private static final String MAP = "jpm.cluster.members";

    private final Vertx vertx;
    private final LocalMap<String, String> map;

    Members(Vertx vertx) {
        this.vertx = vertx;
        this.map = vertx.sharedData().getLocalMap(MAP);
    }

    void up(String node) {
        change(node, UP);
    }

    void left(String node) {
        change(node, LEFT);
    }

    /** Drops a host that left ({@code jpm cluster forget}); one in the cluster now stays. */
    void forget(String node) {
        if (map.remove(node, LEFT)) {
            announce(node, FORGOTTEN);
        }
    }

    private void change(String node, String status) {
        if (!status.equals(map.put(node, status))) {
            announce(node, status);
        }
    }

    private void announce(String node, String status) {
        vertx.eventBus()
                .publish(
                        Addresses.EVENTS_CLUSTER,
                        new JsonObject().put("node", node).put("status", status).put("at", System.currentTimeMillis()),
                        LocalBus.only());
    }

    /** Forgets every host: this daemon left the cluster. */
    void clear() {
        map.clear();
    }

    /** Every known node and its state, sorted by name. */
    Map<String, String> known() {
        return new TreeMap<>(map);
    }
}
