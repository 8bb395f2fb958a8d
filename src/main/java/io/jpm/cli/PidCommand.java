package io.jpm.cli;

import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code jpm pid [name]}: the pid of each process of that name (of every process without one),
 * one per line, 0 for one that does not run; nothing (and exit 0) for an unknown name, as pm2.
 * {@code jpm id <name>}: the pm_ids of that name in pm2's form, {@code [ 0, 1 ]} ({@code []} when
 * none).
 */
final class PidCommand implements Command {
  private final boolean ids;

  PidCommand(boolean ids) {
    this.ids = ids;
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    String verb = ids ? "id" : "pid";
    Args args = Args.parse(verb, words, Map.of(), Map.of()).expectPositionals(verb, ids ? 1 : 0, 1, ids ? "<name>" : "[name]");
    String name = args.positionals.isEmpty() ? null : args.positionals.get(0);
    List<String> found = new ArrayList<>();
    for (Json.Value p : session.request(Addresses.QUERY_LIST, Session.TABLE_QUERY)) {
      if (name == null || name.equals(p.path("name").asText())) {
        found.add(ids ? p.path("pm_id").asText() : p.path("pid").asText("0"));
      }
    }
    if (ids) {
      session.out.println(found.isEmpty() ? "[]" : "[ " + String.join(", ", found) + " ]");
    } else {
      session.out.println(String.join("\n", found));
    }
    return 0;
  }
}
