package io.jpm.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/** One request onto the bus, as the bridge would send it; the reply envelope's {@code data}. */
final class BusCall {
    /** Commands answer once processes stopped: up to each app's wait before SIGKILL. The bridge's default is 30 s. */
    static final long COMMAND_TIMEOUT_MS = 120_000;

    static final long QUERY_TIMEOUT_MS = 30_000;

    private final Vertx vertx;

    BusCall(Vertx vertx) {
        this.vertx = vertx;
    }

    Future<Object> request(String address, JsonObject body, long timeoutMs) {
        return vertx.eventBus()
                .<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
                .map(reply -> reply.body() == null ? null : reply.body().getValue("data"));
    }
}
