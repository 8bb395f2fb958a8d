package io.jpm.cluster;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.FleetDefinition;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.ScaleRequest;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A verb on a fleet app done by every member that runs it (docs/CLUSTER.md, "Fleet apps"): the member
 * a command reached asks each member up that the app's {@code hosts} name ({@code "all"}: every member
 * up) on the cluster's bus ({@link Addresses#INTERNAL_FLEET_MEMBER}{@code .<node>}), each acts on
 * its own instances (all at once; a reload one member after the other, {@link FleetRoll}), and the
 * answers are put together, each process with its {@code host}. What must
 * outlive a member that is away (rest, run, delete, how many instances) is in the definition, not
 * here: this only carries what is done now (restart, reload) and what is asked now (the instances
 * after a change, describe). A member that does not answer is left out of the answer, said in
 * daemon.log.
 */
final class FleetVerbs {
    /** What each member is asked: its share made to match first, or a verb on its instances. */
    static final String SHARE = "share";
    /** The verb that rolls across the members rather than reach them all at once. */
    static final String RELOAD = "reload";

    private static final Logger LOG = Logger.getLogger("jpm.cluster");
    /** A restart waits for each new instance (a JVM app's listen_timeout is 30 s). */
    private static final long MEMBER_TIMEOUT_MS = 180_000;

    /** One app's part of a command: the members its hosts name, and what each is asked. */
    record Step(String name, List<String> hosts, String action) {}

    private final Vertx cluster;
    private final Members members;
    private final FleetRoll roll;

    FleetVerbs(Vertx cluster, Members members) {
        this.cluster = cluster;
        this.members = members;
        this.roll = new FleetRoll(cluster, members);
    }

    /** The address member {@code node} is asked at on the cluster's bus. */
    static String memberAddress(String node) {
        return Addresses.INTERNAL_FLEET_MEMBER + "." + node;
    }

    /**
     * {@code jpm scale api <count>} of a fleet app: its per-host instances after it, checked before
     * anything changes (1 to 1024; a relative count needs a definition that says how many).
     */
    static int scaledTo(FleetDefinition app, JsonObject request) {
        String count = ScaleRequest.from(Plain.map(request)).count();
        boolean relative = count.startsWith("+") || count.startsWith("-");
        if (relative && app.instances() < 0) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT,
                    "scale " + app.name() + " " + count + ": its instances per host depend on each host's CPUs ("
                            + app.app().source().get(AppOption.INSTANCES.key) + "): give a number, like scale "
                            + app.name() + " 2: nothing changed");
        }
        int target = new ScaleRequest(app.name(), count).target(app.instances());
        if (target < 1 || target > 1024) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT,
                    "scale " + app.name() + " " + count + " gives " + target + " instances per host: it must be"
                            + " 1 to 1024 (use stop or delete to have none): nothing changed");
        }
        return target;
    }

    /**
     * Every step asked of its members at once, but a reload, which rolls across them one member at
     * a time ({@link FleetRoll}); the processes they answer, each with its host.
     */
    Future<JsonArray> ask(List<Step> steps, JsonObject request) {
        List<Future<JsonArray>> asked = new ArrayList<>();
        for (Step step : steps) {
            List<String> nodes = membersOf(step.hosts());
            if (RELOAD.equals(step.action())) {
                asked.add(roll.roll(step.name(), nodes, node -> askMember(node, step, request)));
                continue;
            }
            for (String node : nodes) {
                asked.add(askMember(node, step, request));
            }
        }
        return Future.join(asked).transform(ar -> {
            JsonArray all = new JsonArray();
            for (Future<JsonArray> f : asked) {
                if (f.succeeded()) {
                    all.addAll(f.result());
                } else if (f.cause() instanceof JpmException refused) {
                    return Future.failedFuture(refused);
                }
            }
            return Future.succeededFuture(all);
        });
    }

    /** The members up now that {@code hosts} names, in name order. */
    private List<String> membersOf(List<String> hosts) {
        List<String> up = new ArrayList<>();
        for (Map.Entry<String, String> member : members.known().entrySet()) {
            boolean named = hosts.contains(FleetDefinition.ALL) || hosts.contains(member.getKey());
            if (named && Members.UP.equals(member.getValue())) {
                up.add(member.getKey());
            }
        }
        return up;
    }

    private Future<JsonArray> askMember(String node, Step step, JsonObject request) {
        JsonObject body = new JsonObject()
                .put("action", step.action())
                .put("names", new JsonArray().add(step.name()))
                .put("request", request);
        return cluster.eventBus()
                .<JsonObject>request(memberAddress(node), body, new DeliveryOptions().setSendTimeout(MEMBER_TIMEOUT_MS))
                .map(reply -> {
                    JsonArray processes = new JsonArray();
                    JsonObject data = reply.body().getJsonObject("data", new JsonObject());
                    for (Object o : data.getJsonArray("processes", new JsonArray())) {
                        JsonObject p = (JsonObject) o;
                        processes.add(p.containsKey("host") ? p : p.copy().put("host", node));
                    }
                    return processes;
                })
                .recover(e -> {
                    if (e instanceof ReplyException r
                            && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
                            && r.failureCode() > 0) {
                        // the member refused it (a reload already going on there): the user reads why
                        return Future.failedFuture(new JpmException(
                                JpmError.fromCode(r.failureCode()), "member '" + node + "': " + r.getMessage()));
                    }
                    LOG.warning(() -> "fleet app '" + step.name() + "': " + step.action() + " on " + node + ": "
                            + e.getMessage() + "; left out of the answer");
                    return Future.failedFuture(e);
                });
    }
}
