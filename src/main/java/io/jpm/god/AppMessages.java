package io.jpm.god;

import io.jpm.protocol.Addresses;
import io.jpm.verticle.LocalBus;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A Node app's own IPC messages ({@code process.send(x)}), published on
 * {@link Addresses#EVENTS_APP_MESSAGE} as pm2 puts them on its bus (process:msg, or the packet's
 * {@code type}). jpm's own messages on the same channel (socket mode's {@code NODE_*} commands, the
 * {@code 'ready'} signal) are not the app's and stay in the daemon.
 */
final class AppMessages {
    private final Vertx vertx;

    AppMessages(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Publishes one message of {@code instance}'s run (on God's event loop), unless it is jpm's. */
    void forward(Instance instance, String json) {
        JsonObject event = event(instance.name(), instance.pmId, instance.pid(), json, instance.host());
        if (event != null) {
            vertx.eventBus().publish(Addresses.EVENTS_APP_MESSAGE, event, LocalBus.only());
        }
    }

    /** The event for one message line, or null when it is jpm's own or no JSON. */
    static JsonObject event(String app, int pmId, Integer pid, String json, String host) {
        Object message;
        try {
            message = Json.decodeValue(json);
        } catch (DecodeException e) {
            return null;
        }
        if ("ready".equals(message)
                || (message instanceof JsonObject o
                        && o.getValue("cmd") instanceof String cmd
                        && cmd.startsWith("NODE_"))) {
            return null;
        }
        return new JsonObject()
                .put("app", app)
                .put("pm_id", pmId)
                .put("pid", pid)
                .put("message", message)
                .put("time", System.currentTimeMillis())
                .put("host", host);
    }
}
