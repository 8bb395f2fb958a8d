package io.jpm.cluster;

import io.jpm.protocol.Addresses;
import io.jpm.verticle.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every known host's totals ({@link Addresses#QUERY_CLUSTER_HOSTS}), asked as the cluster-wide list
 * asks for processes: all at once over the cluster's bus, each waited for at most timeout_ms, a host
 * that left or did not answer listed with the reason rather than waited on, so a page that shows
 * them never spins on a member that is down.
 */
final class ClusterHostTotals {
    private ClusterHostTotals() {}

    static void answer(
            Vertx cluster, Members members, String clusterName, String self, long timeoutMs, Message<JsonObject> m) {
        List<Future<JsonObject>> asked = new ArrayList<>();
        for (Map.Entry<String, String> host : members.known().entrySet()) {
            String node = host.getKey();
            JsonObject row = new JsonObject()
                    .put("node", node)
                    .put("self", node.equals(self))
                    .put("member", host.getValue());
            asked.add(
                    Members.LEFT.equals(host.getValue())
                            ? Future.succeededFuture(unreachable(row, "left the cluster"))
                            : ask(cluster, row, timeoutMs));
        }
        Future.join(asked).onComplete(ar -> {
            JsonArray hosts = new JsonArray();
            asked.forEach(f -> hosts.add(f.result()));
            m.reply(Reply.ok(new JsonObject().put("cluster", clusterName).put("hosts", hosts)));
        });
    }

    /** One host's totals; never fails: a host that does not answer in time is unreachable. */
    private static Future<JsonObject> ask(Vertx cluster, JsonObject row, long timeoutMs) {
        String node = row.getString("node");
        return cluster.eventBus()
                .<JsonObject>request(
                        Addresses.onHost(node, Addresses.QUERY_HOST),
                        new JsonObject(),
                        new DeliveryOptions().setSendTimeout(timeoutMs))
                .map(reply -> reply.body()
                        .getJsonObject("data", new JsonObject())
                        .copy()
                        .mergeIn(row)
                        .put("status", HostList.OK))
                .otherwise(e -> unreachable(row, ClusterList.why(e, timeoutMs)));
    }

    private static JsonObject unreachable(JsonObject row, String why) {
        return row.put("status", HostList.UNREACHABLE).put("error", why);
    }
}
