package io.jpm.god;

import io.jpm.process.AppChannels;
import io.vertx.core.Promise;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Each line a Node run sends over its channel, parsed once and handed to whom it is for: socket
 * mode's {@code NODE_*} requests to {@link SocketShare}, the reports of jpm's metrics preload and
 * of @pm2/io ({@code axm:monitor}, {@code axm:action}, {@code axm:option:configuration}) to the
 * run's {@link ReportedMetrics}, anything else to the bus as the app's own message
 * ({@link AppMessages}). pm2's daemon keeps the same four {@code axm:} packets off its bus
 * (Daemon.js); {@code axm:reply} and {@code process:exception} go on it. God's event loop.
 */
final class RunMessages {
    /** The packets pm2's daemon reads and does not publish. */
    static final Set<String> KEPT =
            Set.of("axm:monitor", "axm:action", "axm:option:configuration", "axm:option:setPID");

    private final SocketShare sockets;
    private final AppMessages appMessages;

    RunMessages(SocketShare sockets, AppMessages appMessages) {
        this.sockets = sockets;
        this.appMessages = appMessages;
    }

    /** One line of {@code instance}'s run, which came through {@code from}. */
    void accept(Instance instance, AppChannels.Channel from, String line, Promise<Void> listening) {
        Object message;
        try {
            message = Json.decodeValue(line);
        } catch (DecodeException e) {
            return; // not JSON: nothing Node's process.send writes
        }
        if (message instanceof JsonObject packet) {
            if (packet.getValue("cmd") instanceof String cmd && cmd.startsWith("NODE_")) {
                sockets.onMessage(instance, from, packet, listening);
                return;
            }
            if (packet.getValue("type") instanceof String type && KEPT.contains(type)) {
                // a run's report counts while it is the instance's run (not once a restart replaced it)
                if (instance.channel() == from) {
                    report(instance.run().reported(), type, packet.getValue("data"));
                }
                return;
            }
        }
        appMessages.forward(instance, message);
    }

    private static void report(ReportedMetrics reported, String type, Object data) {
        if (!(data instanceof JsonObject body)) {
            return;
        }
        switch (type) {
            case "axm:monitor" -> reported.monitor(body);
            case "axm:action" -> reported.action(body);
            case "axm:option:configuration" -> reported.options(body);
            default -> {} // setPID: pm2 reads it for an app whose pid is another process's; jpm follows its own
        }
    }
}
