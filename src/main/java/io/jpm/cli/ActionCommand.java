package io.jpm.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The verbs that act on named processes: {@code stop|restart|reload|delete|reset <id|name|all|
 * /regex/|ecosystem.json>...}. Prints what was done, then the table, like pm2.
 */
final class ActionCommand implements Command {
  private final String verb;
  private final String address;
  private final String done;

  ActionCommand(String verb, String address, String done) {
    this.verb = verb;
    this.address = address;
    this.done = done;
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    Map<String, String> switches = "restart".equals(verb) ? Map.of("--watch", "watch", "-w", "watch") : Map.of();
    Args args = Args.parse(verb, words, Map.of(), switches)
        .expectPositionals(verb, 1, Integer.MAX_VALUE, "<id|name|all|/regex/|ecosystem.json>...");
    Map<String, Object> body = Session.targets(args.positionals);
    if (args.has("watch")) {
      body.put("watch_toggle", true); // pm2: restart --watch switches watching on or off
    }
    Json.Value acted = session.request(address, body);
    for (Json.Value p : acted) {
      session.out.println("[jpm] " + p.path("name").asText() + " (id " + p.path("pm_id").asText() + ") " + done);
    }
    session.printTable();
    return 0;
  }
}
