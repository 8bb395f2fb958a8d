package io.jpm.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.jpm.protocol.FleetDefinition;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A lost member's share run by the others (docs/CLUSTER.md, "A host lost"): when a member a fleet
 * app names leaves the cluster (killed, or cut off once Hazelcast drops it), each named member up
 * runs its own instances plus its part of the lost one's ({@link FleetDeal}, the same deal on every
 * member, from Hazelcast's membership); when it is back, it runs its own share and the others stop
 * their extras only once every other member has its count ready in {@link FleetRoutes#MAP} (so never
 * fewer ready than asked; a healed split's halves stop theirs at once). A member that left for an
 * update ({@code jpm update}: its entries say {@code leaving}, its instances run on under the keeper)
 * is waited for {@value #UPDATE_WAIT_MS} ms before its share is dealt. Apps on {@code hosts: "all"}
 * (whoever is up) and with a per-host count that depends on the host ({@code "max"}) are not dealt.
 * It tells {@link FleetPlacement} to run this member's share again on each change; the counts go to
 * God with the definitions ({@link #counts}).
 */
final class FleetCover extends EntryAdapter<String, String> implements MembershipListener {
    /** How long a member that left for an update is waited for before its share is run elsewhere. */
    static final long UPDATE_WAIT_MS = 60_000;

    /** jpm scale's bound: a member never runs more of an app, however many members are lost. */
    private static final int MAX_INSTANCES = 1024;
    /** How often the counts are looked at again without an event. */
    private static final long CHECK_MS = 5_000;

    private static final Logger LOG = Logger.getLogger("jpm.cluster");

    private final Vertx daemon;
    private final Context context;
    private final HazelcastInstance hazelcast;
    private final ReplicatedMap<String, String> ready;
    private final String node;
    private final FleetPlacement placement;
    /** Members that left for an update, and when. */
    private final Map<String, Long> waited = new ConcurrentHashMap<>();

    private UUID entries;
    private UUID membership;
    private long timer = -1;
    /** A run of the share is queued and has not begun: another change needs no other. */
    private boolean queued;

    private volatile boolean closed;

    private FleetCover(Vertx daemon, HazelcastInstance hazelcast, String node, FleetPlacement placement) {
        this.daemon = daemon;
        this.context = daemon.getOrCreateContext();
        this.hazelcast = hazelcast;
        this.ready = hazelcast.getReplicatedMap(FleetRoutes.MAP);
        this.node = node;
        this.placement = placement;
    }

    /** Opened on the cluster switch's context once this daemon joined, after {@link FleetPlacement}. */
    static FleetCover open(Vertx daemon, HazelcastInstance hazelcast, String node, FleetPlacement placement) {
        FleetCover cover = new FleetCover(daemon, hazelcast, node, placement);
        placement.onCover(cover);
        cover.context.executeBlocking(
                () -> {
                    cover.entries = cover.ready.addEntryListener(cover);
                    cover.membership = hazelcast.getCluster().addMembershipListener(cover);
                    return null;
                },
                false);
        // the events say each change; this catches one missed (a listener across a split's merge)
        cover.timer = daemon.setPeriodic(CHECK_MS, t -> cover.changed());
        return cover;
    }

    /**
     * On a worker, for the definitions this member runs a share of: {"counts":{app:n},"held":[app]},
     * how many instances each app has here, and those none of which may stop now (a member back is
     * not ready yet).
     */
    JsonObject counts(List<FleetDefinition> fleet) {
        Set<String> up = new HashSet<>();
        hazelcast.getCluster().getMembers().forEach(m -> up.add(Membership.node(m)));
        long now = System.currentTimeMillis();
        Set<String> away = new HashSet<>();
        waited.forEach((member, since) -> {
            if (now - since < UPDATE_WAIT_MS) {
                away.add(member);
            }
        });
        JsonObject counts = new JsonObject();
        JsonArray held = new JsonArray();
        for (FleetDefinition app : fleet) {
            int perHost = app.instances();
            if (app.deleted()
                    || app.hosts().contains(FleetDefinition.ALL)
                    || perHost < 1
                    || !app.hosts().contains(node)) {
                continue;
            }
            Map<String, Integer> dealt = FleetDeal.counts(app.hosts(), perHost, up, away);
            Integer mine = dealt.get(node);
            if (mine == null) {
                continue;
            }
            counts.put(app.name(), Math.min(mine, MAX_INSTANCES));
            if (!FleetDeal.othersReady(dealt, node, readyOf(app.name(), dealt.keySet()))) {
                held.add(app.name());
            }
        }
        return new JsonObject().put("counts", counts).put("held", held);
    }

    /** Each member's ready instances of {@code app}, from its entry in {@link FleetRoutes#MAP}. */
    private Map<String, Integer> readyOf(String app, Set<String> members) {
        Map<String, Integer> counts = new HashMap<>();
        for (String member : members) {
            String value = ready.get(app + "@" + member);
            if (value != null) {
                FleetReady entry = FleetReady.parse(value);
                counts.put(member, entry.leaving() ? 0 : entry.instances().size());
            }
        }
        return counts;
    }

    void close() {
        closed = true;
        daemon.cancelTimer(timer);
        context.executeBlocking(
                () -> {
                    if (entries != null) {
                        ready.removeEntryListener(entries);
                    }
                    if (membership != null) {
                        hazelcast.getCluster().removeMembershipListener(membership);
                    }
                    return null;
                },
                false);
    }

    /** This member's share run again, once for any number of changes meanwhile. */
    private void changed() {
        context.runOnContext(v -> {
            if (closed || queued) {
                return;
            }
            queued = true;
            placement.reshare(() -> queued = false);
        });
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        waited.remove(Membership.node(event.getMember()));
        changed();
    }

    /**
     * A member gone: its entries in {@link FleetRoutes#MAP} say whether it left for an update (then
     * it is waited for); else they are removed, so that once back it counts as ready only when it
     * wrote them again (its old entry names instances that may be dead).
     */
    @Override
    public void memberRemoved(MembershipEvent event) {
        String gone = Membership.node(event.getMember());
        if (event.getMembers().stream().anyMatch(m -> gone.equals(Membership.node(m)))) {
            return; // a second daemon under a taken name turned away (Membership): the name's owner stays
        }
        context.executeBlocking(
                        () -> {
                            boolean leaving = false;
                            for (String key : List.copyOf(ready.keySet())) {
                                String value = key.endsWith("@" + gone) ? ready.get(key) : null;
                                leaving |=
                                        value != null && FleetReady.parse(value).leaving();
                            }
                            if (leaving) {
                                waited.put(gone, System.currentTimeMillis());
                            } else {
                                ready.keySet().stream()
                                        .filter(key -> key.endsWith("@" + gone))
                                        .toList()
                                        .forEach(ready::remove);
                            }
                            return leaving;
                        },
                        false)
                .onSuccess(leaving -> {
                    if (leaving) {
                        LOG.info(() -> gone + " left for an update: its fleet share is run elsewhere if it is not"
                                + " back within " + UPDATE_WAIT_MS / 1000 + " s");
                        daemon.setTimer(UPDATE_WAIT_MS, t -> changed());
                    } else {
                        LOG.info(() -> gone + " lost: its fleet share runs on the members up that the apps name");
                    }
                    changed();
                });
    }

    @Override
    public void onEntryEvent(EntryEvent<String, String> event) {
        if (!event.getKey().endsWith("@" + node)) {
            changed();
        }
    }
}
