package io.jpm.cluster;

import io.jpm.protocol.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import java.util.ArrayList;
import java.util.List;

/**
 * This host's doors in the cluster: {@code jpm.host.<node>.cmd.*} and {@code .query.*} are
 * cluster-wide consumers that hand the request, as it came, to the local address it names and
 * relay the reply (or the failure, with its code). Every other jpm address stays local, so a
 * command reaches another host only through these.
 */
final class HostForwarder {
  /** The addresses another host may reach here; kill, update and set stay with this host's own CLI. */
  static final List<String> FORWARDED = List.of(
      Addresses.CMD_START, Addresses.CMD_STOP, Addresses.CMD_RESTART, Addresses.CMD_RELOAD, Addresses.CMD_DELETE,
      Addresses.CMD_RESET, Addresses.CMD_SCALE, Addresses.CMD_SIGNAL, Addresses.CMD_FLUSH, Addresses.CMD_RELOAD_LOGS,
      Addresses.CMD_SAVE, Addresses.QUERY_LIST, Addresses.QUERY_DESCRIBE, Addresses.QUERY_PING, Addresses.QUERY_CONFIG);
  /** A command may run long (a restart waits for kill_timeout); the sender's own deadline governs. */
  private static final long FORWARD_TIMEOUT_MS = 180_000;

  private final Vertx vertx;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  HostForwarder(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Registers the doors of host {@code node} (this daemon's). */
  void open(String node) {
    for (String local : FORWARDED) {
      consumers.add(vertx.eventBus().consumer(Addresses.onHost(node, local), message -> forward(local, message)));
    }
  }

  private void forward(String local, Message<Object> message) {
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(FORWARD_TIMEOUT_MS);
    vertx.eventBus().request(local, message.body(), options).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result().body());
      } else if (ar.cause() instanceof ReplyException e) {
        message.fail(e.failureCode(), e.getMessage());
      } else {
        message.fail(-1, String.valueOf(ar.cause().getMessage()));
      }
    });
  }
}
