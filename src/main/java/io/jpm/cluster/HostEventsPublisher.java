package io.jpm.cluster;

import io.jpm.protocol.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;

/**
 * This host's events for the other hosts (docs/CLUSTER.md): each {@code jpm.events.<what>},
 * published here local-only, is published again cluster-wide as
 * {@code jpm.host.<node>.events.<what>} with the same body, which a client on any host follows
 * ({@code jpm logs api@web-2}, {@code jpm events --all}). A publish nobody registered for leaves
 * this host as nothing: Vert.x sends it only to the members that have a consumer for the address.
 * Live log lines are built, and /proc read each second, only while someone listens;
 * {@link RemoteFollowers} counts those of the other hosts.
 */
final class HostEventsPublisher {
    /** Every event address a client may follow on another host. */
    static final List<String> RELAYED = List.of(
            Addresses.EVENTS_PROCESS,
            Addresses.EVENTS_LOG,
            Addresses.EVENTS_METRICS,
            Addresses.EVENTS_CONFIG,
            Addresses.EVENTS_BALANCER,
            Addresses.EVENTS_HEALTH,
            Addresses.EVENTS_APP_METRICS,
            Addresses.EVENTS_ALERT);

    private HostEventsPublisher() {}

    /** From the daemon's own bus to the cluster's; the consumers returned end the relay. */
    static List<MessageConsumer<Object>> open(Vertx daemon, Vertx cluster, String node) {
        List<MessageConsumer<Object>> consumers = new ArrayList<>();
        for (String local : RELAYED) {
            String shared = Addresses.onHost(node, local);
            consumers.add(daemon.eventBus()
                    .localConsumer(local, message -> cluster.eventBus().publish(shared, message.body())));
        }
        return consumers;
    }
}
