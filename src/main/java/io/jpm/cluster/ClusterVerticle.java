package io.jpm.cluster;

import com.hazelcast.core.Hazelcast;
import io.jpm.config.ClusterSettings;
import io.jpm.protocol.Addresses;
import io.jpm.verticle.Reply;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
 * A clustered daemon's part in the cluster (docs/CLUSTER.md): this host's per-host addresses
 * ({@link HostForwarder}) and the cluster-wide list ({@link Addresses#QUERY_CLUSTER_LIST}), which asks
 * every known host at once, waits at most the cluster's timeout_ms for each, and names those that
 * did not answer rather than waiting on. Deployed only when jpm.json has a cluster section; it
 * holds no state of its own (the known hosts are {@link Members}'), so it is not redeployed.
 */
public final class ClusterVerticle extends VerticleBase {
  private ClusterSettings settings;
  private Members members;

  @Override
  public Future<?> start() {
    settings = ClusterSettings.parse("jpm.json", config().getJsonObject("cluster"));
    members = new Members(vertx);
    members.up(settings.node());
    new HostForwarder(vertx).open(settings.node());
    EventRelay.open(vertx, settings.node());
    RemoteLogListeners.watch(vertx, Hazelcast.getHazelcastInstanceByName(ClusterStart.instanceName(settings)), settings.node());
    vertx.eventBus().<JsonObject>localConsumer(Addresses.QUERY_CLUSTER_LIST, this::clusterList);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.QUERY_CLUSTER, m -> m.reply(Reply.ok(who())));
    return Future.succeededFuture();
  }

  private void clusterList(Message<JsonObject> message) {
    JsonObject query = message.body() == null ? new JsonObject() : message.body();
    List<Future<HostList>> asked = new ArrayList<>();
    for (Map.Entry<String, String> host : members.known().entrySet()) {
      asked.add(Members.LEFT.equals(host.getValue())
          ? Future.succeededFuture(HostList.unreachable(host.getKey(), "left the cluster"))
          : ask(host.getKey(), query));
    }
    Future.join(asked).onComplete(ar -> message.reply(Reply.ok(HostList.merge(asked.stream().map(Future::result).toList()))));
  }

  private JsonObject who() {
    JsonArray known = new JsonArray();
    members.known().forEach((node, state) -> known.add(new JsonObject().put("node", node).put("status", state)));
    return new JsonObject().put("name", settings.name()).put("node", settings.node()).put("members", known);
  }

  /** One host's list; never fails: a host that does not answer in time is unreachable. */
  private Future<HostList> ask(String node, JsonObject query) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(settings.timeoutMs());
    return vertx.eventBus().<JsonObject>request(Addresses.onHost(node, Addresses.QUERY_LIST), query, options)
        .map(reply -> HostList.answered(node, reply.body().getJsonArray("data", new JsonArray())))
        .otherwise(e -> HostList.unreachable(node, why(e)));
  }

  private String why(Throwable e) {
    if (e instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
      return "no answer within " + settings.timeoutMs() + " ms";
    }
    if (e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
      return "not in the cluster now";
    }
    return String.valueOf(e.getMessage());
  }
}
