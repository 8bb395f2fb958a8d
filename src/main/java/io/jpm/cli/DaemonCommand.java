package io.jpm.cli;

import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** {@code jpm ping} (starts the daemon if needed, like pm2) and {@code jpm kill} (never starts one). */
final class DaemonCommand implements Command {
  enum Kind { PING, KILL }

  private final Kind kind;

  DaemonCommand(Kind kind) {
    this.kind = kind;
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    Args.parse(kind.name().toLowerCase(java.util.Locale.ROOT), words, Map.of(), Map.of())
        .expectPositionals(kind.name().toLowerCase(java.util.Locale.ROOT), 0, 0, "");
    if (kind == Kind.PING) {
      Json.Value pong = session.request(Addresses.QUERY_PING, Json.object());
      Json.Value god = pong.path("god");
      session.out.println("{ msg: 'pong', pid: " + pong.path("pid").asText() + ", uptime_ms: " + pong.path("uptime").asText()
          + ", god: " + (god.path("ok").asBoolean() ? "ok (" + god.path("latencyMs").asText() + " ms)" : "NOT ANSWERING")
          + ", logs: " + pong.path("verticles").path("logs").path("status").asText("unknown")
          + ", balancer: " + pong.path("verticles").path("balancer").path("status").asText("unknown")
          + ", config: " + pong.path("verticles").path("config").path("status").asText("unknown")
          + ", persist: " + pong.path("verticles").path("persist").path("status").asText("unknown") + " }");
      return god.path("ok").asBoolean() ? 0 : 1;
    }
    BridgeClient daemon = session.runningDaemon();
    if (daemon == null) {
      session.out.println("[jpm] no daemon running for " + session.home.root());
      return 0;
    }
    int pid = Json.parse(Files.readAllBytes(session.home.daemonJson())).path("pid").asInt();
    Json.Value reply = daemon.request(Addresses.CMD_KILL, Json.object(), Session.REQUEST_TIMEOUT_MS);
    session.out.println("[jpm] " + reply.path("stopped").asText() + " process(es) stopped");
    // the connection closes when the daemon's process exits; the pid lingers until it is reaped
    if (!daemon.awaitClosedByPeer(30_000)) {
      ProcessHandle.of(pid).ifPresent(handle ->
          handle.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join());
    }
    session.out.println("[jpm] daemon " + pid + " stopped" + (Files.exists(session.home.daemonJson()) ? " (stale daemon.json left)" : ""));
    return 0;
  }
}
