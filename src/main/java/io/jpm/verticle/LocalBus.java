package io.jpm.verticle;

import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Every jpm address means "this daemon". The daemon's own Vert.x is never clustered (the cluster
 * package runs the cluster's Vert.x beside it, docs/CLUSTER.md), so this is belt and braces: a
 * publish with {@link #only()} and a {@code localConsumer} stay on their host even if the bus ever
 * were shared. What crosses hosts goes only through the {@code jpm.host.<node>.*} addresses of
 * the cluster package.
 */
public final class LocalBus {
    private LocalBus() {}

    /** Fresh delivery options for a publish that stays in this daemon. */
    public static DeliveryOptions only() {
        return new DeliveryOptions().setLocalOnly(true);
    }
}
