package io.jpm.cluster;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * A fleet app's reload rolled across its hosts (docs/CLUSTER.md, "Fleet apps"): one member at a
 * time, in name order, replaces its own instances one at a time (God's rolling reload: each new run
 * ready before its old run stops), so one instance of the app at most is being replaced in the
 * whole fleet while every other one serves through every front.
 *
 * <p>One roll of an app at a time in the cluster: the member that a {@code jpm reload} reached holds
 * the app's cluster-wide lock ({@value #LOCK}{@code <app>}, Vert.x's clustered lock: a Hazelcast map
 * lock, which Hazelcast frees when its holder leaves the cluster), and a second reload of the app,
 * from any member, is refused while it is held. A member that leaves the cluster during its turn
 * (killed, cut off) ends its turn at once: it is left out of the answer, daemon.log says so, and the
 * roll goes on with the next member (the member that left runs its share as the definition says
 * when it is back). A member whose reload fails (a new run that never got ready: its old run keeps
 * serving) stops the roll there: the members after it are not reloaded, and the one line says so.
 */
final class FleetRoll {
    /** The lock's name before the app's. */
    static final String LOCK = "jpm.fleet.roll.";

    private static final Logger LOG = Logger.getLogger("jpm.cluster");
    /** A lock held elsewhere is a roll under way: refused at once, not waited for. */
    private static final long LOCK_WAIT_MS = 500;
    /** How often a turn checks that its member is still in the cluster. */
    private static final long MEMBER_CHECK_MS = 500;

    private final Vertx cluster;
    private final Members members;

    FleetRoll(Vertx cluster, Members members) {
        this.cluster = cluster;
        this.members = members;
    }

    /**
     * {@code app} reloaded on {@code nodes} one after the other, each member's {@code turn} its own
     * reload; the processes they answered, or the first refusal.
     */
    Future<JsonArray> roll(String app, List<String> nodes, Function<String, Future<JsonArray>> turn) {
        return cluster.sharedData()
                .getLockWithTimeout(LOCK + app, LOCK_WAIT_MS)
                .recover(e -> Future.failedFuture(new JpmException(
                        JpmError.INVALID_ARGUMENT,
                        "a reload of '" + app + "' is already rolling across the fleet; wait for it to finish")))
                .compose(lock -> turns(app, nodes, turn).eventually(() -> {
                    lock.release();
                    return Future.succeededFuture();
                }));
    }

    private Future<JsonArray> turns(String app, List<String> nodes, Function<String, Future<JsonArray>> turn) {
        JsonArray all = new JsonArray();
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < nodes.size(); i++) {
            String node = nodes.get(i);
            List<String> after = nodes.subList(i + 1, nodes.size());
            chain = chain.compose(v -> whileMember(node, turn.apply(node)).transform(ar -> {
                if (ar.succeeded()) {
                    all.addAll(ar.result());
                    return Future.<Void>succeededFuture();
                }
                if (ar.cause() instanceof JpmException refused) {
                    return Future.failedFuture(stopped(refused, after));
                }
                LOG.warning(() -> "fleet app '" + app + "': reload on " + node + ": "
                        + ar.cause().getMessage() + "; the roll goes on with "
                        + (after.isEmpty() ? "no other member" : String.join(", ", after)));
                return Future.succeededFuture();
            }));
        }
        return chain.map(v -> all);
    }

    private static JpmException stopped(JpmException refused, List<String> after) {
        if (after.isEmpty()) {
            return refused;
        }
        return new JpmException(
                refused.error(),
                refused.getMessage() + "; the roll stopped there: " + String.join(", ", after) + " not reloaded");
    }

    /** {@code turn}, ended at once should {@code node} leave the cluster before it answers. */
    private Future<JsonArray> whileMember(String node, Future<JsonArray> turn) {
        Promise<JsonArray> done = Promise.promise();
        long timer = cluster.setPeriodic(MEMBER_CHECK_MS, t -> {
            if (!Members.UP.equals(members.known().get(node))) {
                done.tryFail("member '" + node + "' left the cluster during its turn");
            }
        });
        turn.onComplete(done::tryComplete, done::tryFail);
        return done.future().eventually(() -> {
            cluster.cancelTimer(timer);
            return Future.succeededFuture();
        });
    }
}
