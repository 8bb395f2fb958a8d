package io.jpm.cluster;

import io.jpm.config.ClusterSettings;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ClusterKeys;
import io.jpm.protocol.JpmHome;
import io.jpm.verticle.FollowTotals;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A daemon's membership of the cluster, as jpm.json's {@code cluster} section says, now and after
 * each edit (docs/CLUSTER.md): deployed by the daemon's cluster gate when a section first appears
 * (at start or later), it joins (a daemon that cannot at start says why and exits); a new valid section makes it leave and
 * join again with it, an empty one makes it leave, a section again makes it join. The cluster's
 * Vert.x is its own ({@link ClusterSide}), so the daemon's bus, its verticles and the apps are
 * never touched. A section the config watcher refused never reaches it; one whose files are bad
 * (the secret, key, certificate) is refused here before anything is left.
 */
public final class ClusterSwitch extends VerticleBase {
    private static final Logger LOG = Logger.getLogger("jpm.cluster");

    private JpmHome home;
    private JsonObject section;
    private ClusterSide side;
    /** Each change waits for the one before: a join in progress is never left half-way. */
    private Future<?> busy = Future.succeededFuture();
    /** What the doors' clients follow on other hosts, kept while alone too: a join follows them at once. */
    private FollowTotals follows = new FollowTotals();

    @Override
    public Future<?> start() {
        home = new JpmHome(Path.of(config().getString("home")));
        section = config().getJsonObject("cluster", new JsonObject());
        follows = FollowTotals.fromJson(config().getJsonObject("follows"));
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.INTERNAL_SETTINGS,
                        m -> busy = busy.transform(ar -> change(m.body().getJsonObject("cluster", new JsonObject()))));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_CLUSTER_FOLLOWS, m -> {
            int total = follows.told(m.body());
            if (side != null) {
                side.follow(m.body().getString("address"), total);
            }
        });
        return join(ClusterSettings.parse("jpm.json", section))
                .onFailure(e -> LOG.severe("cannot join the cluster: " + e.getMessage()));
    }

    private Future<Void> join(ClusterSettings settings) {
        return ClusterSide.join(vertx, home, settings).map(joined -> {
            side = joined;
            follows.addresses().forEach(address -> joined.follow(address, follows.total(address)));
            return null;
        });
    }

    /** A valid jpm.json's cluster section, applied: nothing, leave, join, or leave and join. */
    private Future<Void> change(JsonObject next) {
        if (next.equals(section)) {
            return Future.succeededFuture();
        }
        // the section's files (secret, key, certificate) are read on a worker, never on this loop
        return vertx.executeBlocking(() -> checked(next), false).transform(ar -> {
            if (ar.failed()) {
                LOG.warning("jpm.json: refused the new cluster section: "
                        + ar.cause().getMessage() + "; the cluster stays as it was");
                return Future.succeededFuture();
            }
            return apply(next, ar.result().orElse(null));
        });
    }

    /** The section's settings, its files read and checked; empty for an empty section (leave). */
    private Optional<ClusterSettings> checked(JsonObject next) throws Exception {
        ClusterSettings settings = next.isEmpty() ? null : ClusterSettings.parse("jpm.json", next);
        if (settings != null) {
            BusTls.apply(new EventBusOptions(), home, settings, ClusterKeys.readSecret(home.clusterSecret()));
        }
        return Optional.ofNullable(settings);
    }

    private Future<Void> apply(JsonObject next, ClusterSettings settings) {
        section = next;
        LOG.info(() -> "jpm.json's cluster section changed: "
                + (side == null ? "" : "leaving cluster '" + side.settings().name() + "'")
                + (side != null && settings != null ? ", then " : "")
                + (settings == null ? "" : "joining cluster '" + settings.name() + "' as " + settings.node())
                + "; the apps run on");
        Future<Void> left =
                side == null ? Future.succeededFuture() : side.leave().onComplete(ar -> side = null);
        return left.transform(ar -> settings == null
                ? Future.<Void>succeededFuture()
                : join(settings).recover(e -> {
                    LOG.severe("cannot join the cluster: " + e.getMessage()
                            + "; this daemon runs alone, its apps untouched");
                    return Future.succeededFuture();
                }));
    }

    @Override
    public Future<?> stop() {
        return side == null ? Future.succeededFuture() : side.leave();
    }
}
