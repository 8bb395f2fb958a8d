package io.jpm.cli;

import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code jpm flush [name|id|all...]} empties the log files of the targets (all when none), and
 * {@code jpm reloadLogs} makes the daemon reopen every log file (after an outside tool moved them).
 */
final class LogFilesCommand implements Command {
  enum Kind { FLUSH, RELOAD }

  private final Kind kind;

  LogFilesCommand(Kind kind) {
    this.kind = kind;
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    if (kind == Kind.RELOAD) {
      Args.parse("reloadLogs", words, Map.of(), Map.of()).expectPositionals("reloadLogs", 0, 0, "");
      session.out.println("[jpm] Reloading all logs...");
      Json.Value done = session.request(Addresses.CMD_RELOAD_LOGS, Map.of());
      session.out.println("[jpm] All logs reloaded (" + done.path("reopened").asText() + " open files)");
      return 0;
    }
    Args args = Args.parse("flush", words, Map.of(), Map.of())
        .expectPositionals("flush", 0, Integer.MAX_VALUE, "[name|id|all]...");
    Json.Value flushed = session.request(Addresses.CMD_FLUSH, Session.targets(args.positionals.isEmpty() ? List.of("all") : args.positionals));
    for (Json.Value path : flushed) {
      session.out.println("[jpm] Flushing " + path.asText());
    }
    session.out.println("[jpm] Logs flushed");
    return 0;
  }
}
