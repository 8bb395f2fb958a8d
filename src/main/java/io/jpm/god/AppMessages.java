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
 * {@code 'ready'} signal) are not the app's and stay in the daemon, as do the code metrics reports
 * pm2 keeps off its bus ({@code axm:monitor}, ...).
 */
final class AppMessages {
    private final Vertx vertx;

    AppMessages(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Publishes one message (decoded) of {@code instance}'s run (on God's event loop), unless it is
     * jpm's; {@code duringStop}: the run was being stopped on request when it sent it ({@code
     * "during_stop":true}), so an error it reports on its way out is no exception to alert on.
     */
    void forward(Instance instance, Object message, boolean duringStop) {
        JsonObject event = event(instance.name(), instance.pmId, instance.pid(), message, instance.host());
        if (event != null) {
            if (duringStop) {
                event.put("during_stop", true);
            }
            vertx.eventBus().publish(Addresses.EVENTS_APP_MESSAGE, event, LocalBus.only());
        }
    }

    /** The event for one message line, or null when it is jpm's own or no JSON. */
    static JsonObject event(String app, int pmId, Integer pid, String json, String host) {
        try {
            return event(app, pmId, pid, Json.decodeValue(json), host);
        } catch (DecodeException e) {
            return null;
        }
    }

    /**
     * The event for one decoded message, or null when it is jpm's own or one pm2 keeps off its bus
     * ({@link RunMessages#KEPT}).
     */
    static JsonObject event(String app, int pmId, Integer pid, Object message, String host) {
        if ("ready".equals(message)
                || (message instanceof JsonObject o
                        && ((o.getValue("cmd") instanceof String cmd && cmd.startsWith("NODE_"))
                                || (o.getValue("type") instanceof String type && RunMessages.KEPT.contains(type))))) {
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
