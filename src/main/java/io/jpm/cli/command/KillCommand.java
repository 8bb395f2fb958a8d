package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.BridgeClient;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code jpm kill}: every app stopped, then the daemon; it never starts one. */
public final class KillCommand extends ParsedCommand {
    public KillCommand() {
        super(Syntax.of("kill").summary("stop every app and the daemon"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        BridgeClient daemon = session.runningDaemon();
        if (daemon == null) {
            session.out.println("[jpm] no daemon running for " + session.home.root());
            return 0;
        }
        int pid = Json.parse(Files.readAllBytes(session.home.daemonJson()))
                .path("pid")
                .asInt();
        Json.Value reply = daemon.request(Addresses.CMD_KILL, Json.object(), Session.REQUEST_TIMEOUT_MS);
        session.out.println("[jpm] " + reply.path("stopped").asText() + " process(es) stopped");
        awaitExit(pid, 30_000);
        session.out.println("[jpm] daemon " + pid + " stopped"
                + (Files.exists(session.home.daemonJson()) ? " (stale daemon.json left)" : ""));
        return 0;
    }

    /**
     * Waits until the daemon's process has exited, which is when the kernel frees its JPM_HOME lock
     * (a daemon started next would otherwise find it held): gone, or a zombie. Not its connection's
     * close, which comes earlier (the shutdown closes the bridge), nor the pid's disappearance, which
     * comes when its parent (often init) reaps it, here up to ~1.3 s later.
     */
    static void awaitExit(int pid, long timeoutMs) {
        Path stat = Path.of("/proc", Integer.toString(pid), "stat");
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                String text = Files.readString(stat);
                if (text.substring(text.lastIndexOf(')') + 2).startsWith("Z")) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                return; // gone
            }
            try {
                Thread.sleep(5); // a poll with a deadline: an exit of another process raises no event here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
