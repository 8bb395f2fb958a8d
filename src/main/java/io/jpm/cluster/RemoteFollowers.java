package io.jpm.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapEvent;
import com.hazelcast.multimap.MultiMap;
import io.jpm.protocol.Addresses;
import io.jpm.verticle.LocalBus;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.logging.Logger;

/**
 * How many consumers, on every host, follow one of this host's event addresses through the cluster:
 * its live log lines ({@code jpm.host.<node>.events.log}: {@code jpm logs api@web-2}), told to the
 * LogAggregator as the door "cluster", so it builds lines while any do and none otherwise; its cpu
 * and memory figures ({@code jpm.host.<node>.events.metrics}), told to Satan, which reads /proc each
 * second while any do. Vert.x keeps every cluster-wide consumer in Hazelcast's multimap
 * {@value #SUBSCRIPTIONS} (keyed by address; the same name ClusterStart declares), so a listener on
 * that one key says when a follower comes or goes, its host's death included (vertx-hazelcast then
 * removes its consumers), without polling.
 */
final class RemoteFollowers implements EntryListener<String, Object> {
    /** vertx-hazelcast's subscription multimap (its default-cluster.xml). */
    static final String SUBSCRIPTIONS = "__vertx.subs";

    private static final Logger LOG = Logger.getLogger("jpm.cluster");

    private final Vertx vertx;
    /** The verticle's context: its ordered blocking tasks count one at a time, the last count last. */
    private final Context context;

    private final MultiMap<String, Object> subscriptions;
    private final String address;
    /** Where the count is published ({"count","source":"cluster"}), local to this daemon. */
    private final String announce;
    /** What the followers follow, for the daemon's log. */
    private final String what;

    private volatile int count;
    private volatile boolean closed;

    private RemoteFollowers(
            Vertx vertx, HazelcastInstance hazelcast, String node, String event, String announce, String what) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.subscriptions = hazelcast.getMultiMap(SUBSCRIPTIONS);
        this.address = Addresses.onHost(node, event);
        this.announce = announce;
        this.what = what;
    }

    /**
     * The followers of this host's live log lines. Called on the cluster switch's context.
     *
     * @param vertx the daemon's own Vert.x (its LogAggregator hears the count there)
     */
    static RemoteFollowers ofLogLines(Vertx vertx, HazelcastInstance hazelcast, String node) {
        return new RemoteFollowers(
                        vertx,
                        hazelcast,
                        node,
                        Addresses.EVENTS_LOG,
                        Addresses.INTERNAL_LOGS_LISTENERS,
                        "live log lines")
                .watch();
    }

    /** The followers of this host's cpu and memory figures, told to Satan. */
    static RemoteFollowers ofMetrics(Vertx vertx, HazelcastInstance hazelcast, String node) {
        return new RemoteFollowers(
                        vertx,
                        hazelcast,
                        node,
                        Addresses.EVENTS_METRICS,
                        Addresses.INTERNAL_METRICS_FOLLOWERS,
                        "cpu and memory figures")
                .watch();
    }

    private RemoteFollowers watch() {
        subscriptions.addEntryListener(this, address, false);
        recount();
        return this;
    }

    /** This daemon leaves the cluster: nobody follows its lines through it any more. */
    void close() {
        closed = true;
        count = 0;
        vertx.eventBus().publish(announce, new JsonObject().put("count", 0).put("source", "cluster"), LocalBus.only());
    }

    /** Counted again at each change rather than kept by +1/-1: an event missed or doubled cannot skew it. */
    private void recount() {
        context.executeBlocking(() -> subscriptions.valueCount(address), true).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warning(() -> "cannot count the followers of " + address + ": "
                        + ar.cause().getMessage());
                return;
            }
            int now = ar.result();
            if (now != count && !closed) {
                count = now;
                LOG.info(() -> what + ": " + now + " follower(s) through the cluster");
                vertx.eventBus()
                        .publish(
                                announce, new JsonObject().put("count", now).put("source", "cluster"), LocalBus.only());
            }
        });
    }

    @Override
    public void entryAdded(EntryEvent<String, Object> event) {
        recount();
    }

    @Override
    public void entryRemoved(EntryEvent<String, Object> event) {
        recount();
    }

    @Override
    public void entryUpdated(EntryEvent<String, Object> event) {
        recount();
    }

    @Override
    public void entryEvicted(EntryEvent<String, Object> event) {
        recount();
    }

    @Override
    public void entryExpired(EntryEvent<String, Object> event) {
        recount();
    }

    @Override
    public void mapCleared(MapEvent event) {
        recount();
    }

    @Override
    public void mapEvicted(MapEvent event) {
        recount();
    }
}
