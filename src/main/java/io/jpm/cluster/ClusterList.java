package io.jpm.cluster;

import io.jpm.protocol.Addresses;
import io.jpm.verticle.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster-wide list ({@link Addresses#QUERY_CLUSTER_LIST}): every known host asked at once
 * over the cluster's bus, each waited for at most the cluster's timeout_ms, those that did not
 * answer named rather than waited on.
 */
final class ClusterList {
    private ClusterList() {}

    static void answer(Vertx cluster, Members members, long timeoutMs, Message<JsonObject> message) {
        JsonObject query = message.body() == null ? new JsonObject() : message.body();
        List<Future<HostList>> asked = new ArrayList<>();
        for (Map.Entry<String, String> host : members.known().entrySet()) {
            asked.add(
                    Members.LEFT.equals(host.getValue())
                            ? Future.succeededFuture(HostList.unreachable(host.getKey(), "left the cluster"))
                            : ask(cluster, host.getKey(), query, timeoutMs));
        }
        Future.join(asked)
                .onComplete(ar -> message.reply(Reply.ok(
                        HostList.merge(asked.stream().map(Future::result).toList()))));
    }

    /** One host's list; never fails: a host that does not answer in time is unreachable. */
    private static Future<HostList> ask(Vertx cluster, String node, JsonObject query, long timeoutMs) {
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
        return cluster.eventBus()
                .<JsonObject>request(Addresses.onHost(node, Addresses.QUERY_LIST), query, options)
                .map(reply -> HostList.answered(node, reply.body().getJsonArray("data", new JsonArray())))
                .otherwise(e -> HostList.unreachable(node, why(e, timeoutMs)));
    }

    /** Why a host did not answer, as the lists say it. */
    static String why(Throwable e, long timeoutMs) {
        if (e instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
            return "no answer within " + timeoutMs + " ms";
        }
        if (e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
            return "not in the cluster now";
        }
        return String.valueOf(e.getMessage());
    }
}
