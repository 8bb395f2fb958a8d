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
 * (Daemon.js); {@code axm:reply} (an action's answer, for {@link ActionTriggers}) and
 * {@code process:exception} (an error @pm2/io reports, also written to daemon.log:
 * {@link ReportedExceptions}) go on it. God's event loop.
 */
final class RunMessages {
    /** How JSON.stringify writes {@code process.send({type: 'axm:monitor', data})}, jpm's preload's and @pm2/io's. */
    static final String MONITOR_PREFIX = "{\"type\":\"axm:monitor\",";

    /** The packets pm2's daemon reads and does not publish. */
    static final Set<String> KEPT =
            Set.of("axm:monitor", "axm:action", "axm:option:configuration", "axm:option:setPID");

    private final SocketShare sockets;
    private final AppMessages appMessages;
    private final ActionTriggers triggers;
    private final ReportedExceptions exceptions = new ReportedExceptions();

    RunMessages(SocketShare sockets, AppMessages appMessages, ActionTriggers triggers) {
        this.sockets = sockets;
        this.appMessages = appMessages;
        this.triggers = triggers;
    }

    /**
     * Takes a line on the channel's pump thread, before it goes to God's event loop: a code metrics
     * report (every Node app's, every second) is kept as it is, unread, by the run it came from
     * ({@link ReportedMetrics#offer}); true when the line was taken.
     */
    static boolean takenOnItsThread(Instance instance, AppChannels.Channel from, String line) {
        if (!line.startsWith(MONITOR_PREFIX)) {
            return false;
        }
        instance.run().reported().offer(from, line);
        return true;
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
            if (packet.getValue("type") instanceof String type) {
                if (KEPT.contains(type)) {
                    // a run's report counts while it is the instance's run (not once a restart replaced it)
                    if (instance.channel() == from) {
                        report(instance.run().reported(), type, packet.getValue("data"));
                    }
                    return;
                }
                if (packet.getValue("data") instanceof JsonObject data) {
                    if ("axm:reply".equals(type)) {
                        triggers.replied(instance, from, data);
                    } else if ("process:exception".equals(type)) {
                        exceptions.reported(instance, data);
                    }
                }
            }
        }
        // what pm2's daemon publishes (axm:reply, process:exception, the app's own packets) goes on the bus
        appMessages.forward(instance, message, instance.run().stopAskedOf(from));
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
