package io.jpm.cli;

import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    awaitExit(pid, 30_000);
    session.out.println("[jpm] daemon " + pid + " stopped" + (Files.exists(session.home.daemonJson()) ? " (stale daemon.json left)" : ""));
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
