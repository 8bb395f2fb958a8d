package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.BridgeClient;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.LostToken;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessEnd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** {@code jpm kill}: every app stopped, then the daemon; it never starts one. */
public final class KillCommand extends ParsedCommand {
    /** A daemon stopping on SIGTERM waits up to 60 s for its apps (DaemonMain), then a few for Vert.x. */
    private static final long SIGTERM_WAIT_MS = 70_000;

    public KillCommand() {
        super(Syntax.of("kill").summary("stop every app and the daemon"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        OptionalLong shutOut = LostToken.shutOutDaemon(session.home);
        if (shutOut.isPresent()) {
            return stopByPid(session, (int) shutOut.getAsLong());
        }
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
     * The token file is empty or missing, so the daemon cannot be asked: SIGTERM, on which it stops
     * its apps as {@code jpm kill} does, then the wait for its exit.
     */
    private static int stopByPid(Session session, int pid) {
        String token = session.home.token() + " " + LostToken.problemWith(session.home);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        awaitExit(pid, SIGTERM_WAIT_MS);
        if (!exited(pid)) {
            session.out.println("[jpm] " + token + ": daemon " + pid + " was sent SIGTERM and still runs after "
                    + SIGTERM_WAIT_MS / 1000 + " s");
            return ProcessEnd.Code.FAILURE.status;
        }
        session.out.println("[jpm] " + token + ": daemon " + pid
                + " stopped by its pid (SIGTERM), its apps with it; the next daemon writes a new token");
        return 0;
    }

    /**
     * Waits until the daemon's process has exited, which is when the kernel frees its JPM_HOME lock
     * (a daemon started next would otherwise find it held): gone, or a zombie. Not its connection's
     * close, which comes earlier (the shutdown closes the bridge), nor the pid's disappearance, which
     * comes when its parent (often init) reaps it, here up to ~1.3 s later.
     */
    static void awaitExit(int pid, long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (System.nanoTime() < deadline && !exited(pid)) {
            try {
                Thread.sleep(5); // a poll with a deadline: an exit of another process raises no event here
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Gone, or a zombie. */
    private static boolean exited(int pid) {
        try {
            String text = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true; // gone
        }
    }
}
