package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.nio.file.Files;

/**
 * {@code jpm ping}: starts the daemon if needed, like pm2, and prints pm2's pong with the daemon's
 * word on each verticle: "ok", or "busy N ms" while its current task has held its thread a second or
 * more (a task that holds it past the hang timeout ends the daemon, and its keeper starts the next).
 * Exit 0 whenever the daemon answers, as {@code pm2 ping}.
 */
public final class PingCommand extends ParsedCommand {
    public PingCommand() {
        super(Syntax.of("ping").summary("start the daemon if needed and check it answers"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        Json.Value pong = session.request(Addresses.QUERY_PING, Json.object());
        Json.Value verticles = pong.path("verticles");
        StringBuilder line = new StringBuilder("{ msg: 'pong', pid: ")
                .append(pong.path("pid").asText())
                .append(", uptime_ms: ")
                .append(pong.path("uptime").asText());
        for (String name : VERTICLES) {
            line.append(", ").append(name).append(": ").append(status(verticles.path(name)));
        }
        line.append(", hang_timeout_ms: ").append(pong.path("hangTimeoutMs").asText("unknown"));
        Json.Value keeper = pong.path("keeper");
        if (!keeper.isNull()) {
            line.append(", keeper: ")
                    .append(
                            keeper.path("protected").asBoolean()
                                    ? keeper.path("pid").asText()
                                    : "none");
        }
        session.out.println(line.append(" }"));
        if (!keeper.isNull() && !keeper.path("protected").asBoolean()) {
            System.err.println("[jpm] apps unprotected: " + keeper.path("why").asText());
        }
        portTaken(session);
        return 0;
    }

    private static final String[] VERTICLES = {"god", "logs", "balancer", "config", "persist"};

    /** "ok", or "busy 3200 ms"; "unknown" from a daemon that did not say. */
    private static String status(Json.Value verticle) {
        String status = verticle.path("status").asText("unknown");
        return status.equals("busy") ? "busy " + verticle.path("busyMs").asText() + " ms" : status;
    }

    /** A bridge that could not have its configured port says so: a client configured with it would miss it. */
    private static void portTaken(Session session) {
        try {
            Json.Value info = Json.parse(Files.readAllBytes(session.home.daemonJson()));
            Json.Value taken = info.path("bridgePortTaken");
            if (!taken.isNull()) {
                System.err.println("[jpm] the bridge's port " + taken.asText() + " was taken when the daemon started:"
                        + " it listens on " + info.path("bridgePort").asText() + " (daemon.json bridgePort)");
            }
        } catch (IOException e) {
            // daemon.json was just read to connect; gone now, the daemon is gone and the pong said enough
        }
    }
}
