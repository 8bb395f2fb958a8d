package io.jpm.cli;

import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code jpm save [--force]} writes the app list to JPM_HOME/dump.json (an empty list keeps the old
 * dump unless forced); {@code jpm resurrect} starts the dumped apps that do not run, with the
 * options and environment they were saved with (from dump.json.bak when dump.json is unreadable);
 * {@code jpm cleardump} empties the dump.
 */
final class PersistCommand implements Command {
  enum Kind { SAVE, RESURRECT, CLEAR }

  private final Kind kind;

  PersistCommand(Kind kind) {
    this.kind = kind;
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    if (kind == Kind.CLEAR) {
      Args.parse("cleardump", words, Map.of(), Map.of()).expectPositionals("cleardump", 0, 0, "");
      Json.Value cleared = session.request(Addresses.CMD_CLEARDUMP, Json.object());
      session.out.println("[jpm] " + cleared.path("file").asText() + " now holds no app");
      return 0;
    }
    if (kind == Kind.SAVE) {
      Args args = Args.parse("save", words, Map.of(), Args.spellings("-f|--force", "force"))
          .expectPositionals("save", 0, 0, "[--force]");
      Map<String, Object> body = Json.object();
      body.put("force", args.has("force"));
      Json.Value saved = session.request(Addresses.CMD_SAVE, body);
      if (saved.has("warning") && !saved.path("warning").isNull()) {
        System.err.println("[jpm] warning: " + saved.path("warning").asText());
        return 0;
      }
      session.out.println("[jpm] saved " + saved.path("apps").asText() + " app(s) to " + saved.path("file").asText());
      return 0;
    }
    Args.parse("resurrect", words, Map.of(), Map.of()).expectPositionals("resurrect", 0, 0, "");
    Json.Value result = session.request(Addresses.CMD_RESURRECT, Json.object());
    session.out.println("[jpm] resurrecting from " + result.path("from").asText());
    for (Json.Value p : result.path("started")) {
      session.out.println("[jpm] " + p.path("name").asText() + " (id " + p.path("pm_id").asText() + ") " + p.path("status").asText());
    }
    for (Json.Value name : result.path("skipped")) {
      session.out.println("[jpm] " + name.asText() + " already runs: left as it is");
    }
    int failures = 0;
    for (Json.Value error : result.path("errors")) {
      System.err.println("[jpm] not restored: " + error.asText());
      failures++;
    }
    session.printTable();
    return failures == 0 ? 0 : 1;
  }
}
