package io.jpm.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapEvent;
import com.hazelcast.multimap.MultiMap;
import io.jpm.protocol.Addresses;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Reply;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.logging.Logger;

/**
 * How many consumers, on every host, follow this host's live log lines
 * ({@code jpm.host.<node>.events.log}: {@code jpm logs api@web-2}), told to the LogAggregator as
 * the door "cluster", so it builds lines while any do and none otherwise. Vert.x keeps every
 * cluster-wide consumer in Hazelcast's multimap {@value #SUBSCRIPTIONS} (keyed by address; the
 * same name ClusterStart declares), so a listener on that one key says when a follower comes or
 * goes, its host's death included (vertx-hazelcast then removes its consumers), without polling.
 */
final class RemoteLogListeners implements EntryListener<String, Object> {
    /** vertx-hazelcast's subscription multimap (its default-cluster.xml). */
    static final String SUBSCRIPTIONS = "__vertx.subs";

    private static final Logger LOG = Logger.getLogger("jpm.cluster");

    private final Vertx vertx;
    private MessageConsumer<JsonObject> query;
    /** The verticle's context: its ordered blocking tasks count one at a time, the last count last. */
    private final Context context;

    private final MultiMap<String, Object> subscriptions;
    private final String address;
    private volatile int count;

    private RemoteLogListeners(Vertx vertx, HazelcastInstance hazelcast, String node) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.subscriptions = hazelcast.getMultiMap(SUBSCRIPTIONS);
        this.address = Addresses.onHost(node, Addresses.EVENTS_LOG);
    }

    /**
     * Called on the cluster switch's context.
     *
     * @param vertx the daemon's own Vert.x (its LogAggregator hears the count there)
     */
    static RemoteLogListeners watch(Vertx vertx, HazelcastInstance hazelcast, String node) {
        RemoteLogListeners listeners = new RemoteLogListeners(vertx, hazelcast, node);
        listeners.subscriptions.addEntryListener(listeners, listeners.address, false);
        listeners.query = vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.INTERNAL_CLUSTER_LOG_LISTENERS,
                        m -> m.reply(Reply.ok(new JsonObject().put("count", listeners.count))));
        listeners.recount();
        return listeners;
    }

    /** This daemon leaves the cluster: nobody follows its lines through it any more. */
    void close() {
        query.unregister();
        count = 0;
        vertx.eventBus()
                .publish(
                        Addresses.INTERNAL_LOGS_LISTENERS,
                        new JsonObject().put("count", 0).put("source", "cluster"),
                        LocalBus.only());
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
            if (now != count && query != null && query.isRegistered()) {
                count = now;
                LOG.info(() -> "live log lines: " + now + " follower(s) through the cluster");
                vertx.eventBus()
                        .publish(
                                Addresses.INTERNAL_LOGS_LISTENERS,
                                new JsonObject().put("count", now).put("source", "cluster"),
                                LocalBus.only());
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
