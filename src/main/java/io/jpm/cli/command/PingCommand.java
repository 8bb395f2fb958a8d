package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.nio.file.Files;

/** {@code jpm ping}: starts the daemon if needed, like pm2, and prints what each verticle says. */
public final class PingCommand extends ParsedCommand {
    public PingCommand() {
        super(Syntax.of("ping").summary("start the daemon if needed and check it answers"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        Json.Value pong = session.request(Addresses.QUERY_PING, Json.object());
        Json.Value god = pong.path("god");
        Json.Value verticles = pong.path("verticles");
        session.out.println("{ msg: 'pong', pid: " + pong.path("pid").asText() + ", uptime_ms: "
                + pong.path("uptime").asText()
                + ", god: "
                + (god.path("ok").asBoolean() ? "ok (" + god.path("latencyMs").asText() + " ms)" : "NOT ANSWERING")
                + ", logs: " + verticles.path("logs").path("status").asText("unknown")
                + ", balancer: " + verticles.path("balancer").path("status").asText("unknown")
                + ", config: " + verticles.path("config").path("status").asText("unknown")
                + ", persist: " + verticles.path("persist").path("status").asText("unknown") + " }");
        portTaken(session);
        return god.path("ok").asBoolean() ? 0 : 1;
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
