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

  /** restart and reload take pm2's --update-env and --env (see {@code RestartOptions}). */
  private final boolean envOptions;

  ActionCommand(String verb, String address, String done) {
    this(verb, address, done, false);
  }

  ActionCommand(String verb, String address, String done, boolean envOptions) {
    this.verb = verb;
    this.address = address;
    this.done = done;
    this.envOptions = envOptions;
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    Map<String, String> switches = new java.util.HashMap<>();
    if (envOptions) {
      switches.putAll(Args.spellings("--update-env|-a", "update_env"));
    }
    if ("restart".equals(verb)) {
      switches.putAll(Args.spellings("--watch|-w", "watch"));
    }
    Args args = Args.parse(verb, words, envOptions ? Args.spellings("--env", "env_name") : Map.of(), switches)
        .expectPositionals(verb, 1, Integer.MAX_VALUE, "<id|name|all|/regex/|ecosystem.json>..."
            + (envOptions ? " [--update-env] [--env name]" : "") + ("restart".equals(verb) ? " [--watch]" : ""));
    Map<String, Object> body = Session.targets(args.positionals);
    if (args.has("watch")) {
      body.put("watch_toggle", true); // pm2: restart --watch switches watching on or off
    }
    if (args.has("update_env") || args.has("env_name")) {
      body.put("update_env", true);
      body.put("env_name", args.get("env_name"));
      body.put("env", new java.util.TreeMap<String, Object>(System.getenv()));
    }
    Json.Value acted = session.request(address, body);
    for (Json.Value p : acted) {
      session.out.println("[jpm] " + p.path("name").asText() + " (id " + p.path("pm_id").asText() + ") " + done);
    }
    session.printTable();
    return 0;
  }
}
