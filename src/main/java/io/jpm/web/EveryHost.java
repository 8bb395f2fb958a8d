package io.jpm.web;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The HTTP API over every host of a cluster, as {@code jpm ls --all} and {@code jpm restart api@web-2}
 * are on the command line (docs/CLUSTER.md): every member's processes and totals, and a target's
 * {@code @node} sent to that member's address. A daemon without a cluster answers the same routes for
 * itself alone, and reads {@code a@b} as the plain name it always was, as the CLI does.
 */
final class EveryHost {
    /** As the daemon's ClusterSettings: node names go in bus addresses. */
    static final Pattern NODE = Pattern.compile("[A-Za-z0-9_-]{1,63}");

    private final BusCall bus;

    EveryHost(BusCall bus) {
        this.bus = bus;
    }

    /** A bus address and the target to send it, once the target's {@code @node} is read. */
    record Routed(String address, String target) {}

    /**
     * {@code GET /api/processes?all=true}: {"processes":[.. each with "host"],"hosts":[{"node","status","error"}]},
     * the cluster-wide list; without a cluster, this host's list in the same shape.
     */
    Future<Object> processes(RoutingContext ctx, JsonObject query) {
        JsonObject body = HttpTokenRules.query(ctx, query);
        return alone(bus.request(Addresses.QUERY_CLUSTER_LIST, body, BusCall.QUERY_TIMEOUT_MS), () -> bus.request(
                        Addresses.QUERY_LIST, body, BusCall.QUERY_TIMEOUT_MS)
                .compose(list -> self().map(node -> {
                    JsonArray processes = new JsonArray();
                    for (Object p : (JsonArray) list) {
                        processes.add(((JsonObject) p).copy().put("host", node));
                    }
                    return new JsonObject()
                            .put("processes", processes)
                            .put(
                                    "hosts",
                                    new JsonArray()
                                            .add(new JsonObject()
                                                    .put("node", node)
                                                    .put("status", "ok")));
                })));
    }

    /**
     * {@code GET /api/hosts}: {"cluster":name or null,"hosts":[..]}, each member's totals or why it is
     * unreachable; without a cluster, this host's totals alone.
     */
    Future<Object> hosts() {
        return alone(
                bus.request(Addresses.QUERY_CLUSTER_HOSTS, new JsonObject(), BusCall.QUERY_TIMEOUT_MS),
                () -> bus.request(Addresses.QUERY_HOST, new JsonObject(), BusCall.QUERY_TIMEOUT_MS)
                        .map(totals -> {
                            JsonObject host = ((JsonObject) totals).copy();
                            host.put("node", host.getString("hostname"))
                                    .put("self", true)
                                    .put("member", "up")
                                    .put("status", "ok");
                            return new JsonObject().putNull("cluster").put("hosts", new JsonArray().add(host));
                        }));
    }

    /**
     * {@code target} for {@code address}: {@code api@web-2} goes to web-2's address as {@code api} on
     * a clustered daemon; a node no member has is refused naming the members, one that left as
     * unavailable; anything else, or any target on a daemon without a cluster, goes as it is.
     */
    Future<Routed> route(String address, String target) {
        int at = target.lastIndexOf('@');
        if (at <= 0 || !NODE.matcher(target.substring(at + 1)).matches()) {
            return Future.succeededFuture(new Routed(address, target));
        }
        String node = target.substring(at + 1);
        String name = target.substring(0, at);
        return bus.request(Addresses.QUERY_CLUSTER, new JsonObject(), BusCall.QUERY_TIMEOUT_MS)
                .transform(ar -> {
                    if (ar.failed()) {
                        return noHandler(ar.cause())
                                ? Future.succeededFuture(new Routed(address, target))
                                : Future.failedFuture(ar.cause());
                    }
                    return member((JsonObject) ar.result(), node)
                            .map(up -> new Routed(Addresses.onHost(node, address), name));
                });
    }

    /**
     * {@code address} on member {@code node} ({@code jpm.host.<node>.query.*}), refused as {@link #route}
     * refuses a node; a daemon without a cluster answers for itself only when {@code node} is its own name.
     */
    Future<String> onNode(String address, String node) {
        if (!NODE.matcher(node).matches()) {
            return Future.failedFuture(new JpmException(
                    JpmError.INVALID_ARGUMENT,
                    "query parameter 'host': a node name is 1-63 letters, digits, '-' or '_', got '" + node + "'"));
        }
        return route(address, "any@" + node)
                .compose(routed -> !routed.address().equals(address)
                        ? Future.succeededFuture(routed.address())
                        : self().compose(self -> self.equals(node)
                                ? Future.succeededFuture(address)
                                : Future.failedFuture(new JpmException(
                                        JpmError.UNKNOWN_TARGET,
                                        "no host '" + node + "': this daemon is in no cluster (it is '" + self
                                                + "')"))));
    }

    /** Succeeds when {@code node} is in the cluster now; else the CLI's refusal, naming the members. */
    private static Future<Void> member(JsonObject cluster, String node) {
        List<String> up = new ArrayList<>();
        boolean left = false;
        for (Object o : cluster.getJsonArray("members", new JsonArray())) {
            JsonObject member = (JsonObject) o;
            boolean isUp = "up".equals(member.getString("status"));
            if (isUp) {
                up.add(member.getString("node"));
            }
            if (node.equals(member.getString("node"))) {
                if (isUp) {
                    return Future.succeededFuture();
                }
                left = true;
            }
        }
        String name = cluster.getString("name");
        return Future.failedFuture(
                left
                        ? new JpmException(
                                JpmError.UNAVAILABLE,
                                "member '" + node + "' left cluster '" + name + "' (unreachable); members now: "
                                        + String.join(", ", up))
                        : new JpmException(
                                JpmError.UNKNOWN_TARGET,
                                "no member named '" + node + "' in cluster '" + name + "'; members: "
                                        + String.join(", ", up)));
    }

    /** This host's name without a cluster: the one the daemon gives its processes and its ping. */
    private Future<String> self() {
        return bus.request(Addresses.QUERY_PING, new JsonObject(), BusCall.QUERY_TIMEOUT_MS)
                .map(pong -> ((JsonObject) pong).getString("host", "localhost"));
    }

    /** The cluster's answer, or {@code single}'s when this daemon is not in a cluster (no handler). */
    private static Future<Object> alone(Future<Object> clustered, java.util.function.Supplier<Future<Object>> single) {
        return clustered.recover(e -> noHandler(e) ? single.get() : Future.failedFuture(e));
    }

    private static boolean noHandler(Throwable e) {
        return e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS;
    }
}
