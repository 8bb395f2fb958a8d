package io.jpm.daemon;

import io.jpm.protocol.Addresses;
import io.jpm.verticle.FollowTotals;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * Brings the cluster in when jpm.json first has a {@code cluster} section: at the daemon's start
 * (a failed join then fails the start, as a user who configured a cluster expects to know at once;
 * a daemon its keeper started again, after a crash or an update, joins once its doors are open, as
 * a join can take a minute on a loaded machine while its adopted apps and the commands wait for
 * nothing of it, and ends as a crash does should the join fail) or on a running daemon when a
 * section is added (a failed join is said in daemon.log, the daemon runs on alone, and the next
 * edit of jpm.json tries again). It loads io.jpm.cluster through
 * {@link ClusterClassLoader} and deploys its switch, which from then on follows every edit itself
 * (leave, join again). Until then nothing of Hazelcast is loaded: a daemon that never sees a
 * section pays for this class only.
 */
final class ClusterGate extends VerticleBase {
    private static final Logger LOG = Logger.getLogger("jpm.cluster");
    private static final String SWITCH = "io.jpm.cluster.ClusterSwitch";

    /** What the doors' clients follow on other hosts (events --all), handed to the switch when it comes. */
    private final FollowTotals follows = new FollowTotals();
    /** The switch is deployed or being deployed: from then on it follows the edits itself. */
    private boolean deployed;
    /**
     * Made once: a join that failed (no secret yet) is tried again with the same classes, not a new
     * copy of Hazelcast's in the metaspace each time.
     */
    private ClassLoader clusterClasses;
    /** How a join after the start that failed ends the daemon; null: the start waits for the join. */
    private final Runnable endForAFailedJoin;

    /** {@code endForAFailedJoin}: join after the start, and end so should it fail; null: the start joins. */
    ClusterGate(Runnable endForAFailedJoin) {
        this.endForAFailedJoin = endForAFailedJoin;
    }

    @Override
    public Future<?> start() {
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_CLUSTER_FOLLOWS, m -> {
            follows.told(m.body());
        });
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_SETTINGS, m -> {
            JsonObject section = m.body() == null ? null : m.body().getJsonObject("cluster");
            if (!deployed && section != null && !section.isEmpty()) {
                LOG.info("jpm.json has a cluster section now: joining; the apps run on");
                bringIn(section)
                        .onFailure(
                                e -> LOG.severe(
                                        "the cluster section is not applied: " + e.getMessage()
                                                + "; this daemon runs alone, its apps untouched, and tries again at the next edit of jpm.json"));
            }
        });
        JsonObject section = config().getJsonObject("cluster", new JsonObject());
        if (section.isEmpty()) {
            return Future.succeededFuture();
        }
        if (endForAFailedJoin == null) {
            return bringIn(section);
        }
        LOG.info("joining the cluster after the start (a daemon its keeper started again): the apps and the"
                + " doors wait for nothing of it");
        bringIn(section).onFailure(e -> {
            LOG.severe("cannot join the cluster: " + e.getMessage()
                    + "; this daemon ends as a crash does: its keeper starts the next, which joins again, the apps"
                    + " run on");
            endForAFailedJoin.run();
        });
        return Future.succeededFuture();
    }

    private Future<String> bringIn(JsonObject section) {
        Deployable clusterSwitch;
        try {
            if (clusterClasses == null) {
                clusterClasses = ClusterClassLoader.forDaemon();
            }
            clusterSwitch = (Deployable) Class.forName(SWITCH, true, clusterClasses)
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (Exception | LinkageError e) {
            return Future.failedFuture(
                    e instanceof IOException ? e.getMessage() : "cannot load the cluster's classes: " + e);
        }
        JsonObject switchConfig = config().copy().put("cluster", section).put("follows", follows.toJson());
        deployed = true;
        return vertx.deployVerticle(clusterSwitch, new DeploymentOptions().setConfig(switchConfig))
                .onFailure(e -> deployed = false);
    }
}
