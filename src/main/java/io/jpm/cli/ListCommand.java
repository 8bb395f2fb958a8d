package io.jpm.cli;

import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code ls|list|status|l|ps} (the table), {@code jlist} (pm2's JSON), {@code prettylist} (the same,
 * indented) and {@code describe|show|desc|info <target>}.
 */
final class ListCommand implements Command {
  enum Form { TABLE, JSON, PRETTY, DESCRIBE }

  private final Form form;

  ListCommand(Form form) {
    this.form = form;
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    if (form == Form.DESCRIBE) {
      Args args = Args.parse("describe", words, Map.of(), Map.of())
          .expectPositionals("describe", 1, Integer.MAX_VALUE, "<id|name|all>");
      Json.Value processes = session.request(Addresses.QUERY_DESCRIBE, Session.targets(args.positionals));
      for (Json.Value p : processes) {
        session.out.print(Render.describe(p));
      }
      return 0;
    }
    String verb = form == Form.JSON ? "jlist" : form == Form.PRETTY ? "prettylist" : "ls";
    Args args = Args.parse(verb, words, form == Form.TABLE ? Args.spellings("--sort", "sort") : Map.of(),
        form == Form.TABLE ? Args.spellings("-m|--mini-list", "mini") : Map.of()).expectPositionals(verb, 0, 0,
        form == Form.TABLE ? "[-m] [--sort name|namespace|id|pid|cpu|memory|uptime|status[:asc|desc]]" : "");
    if (form == Form.PRETTY) {
      // pm2 prints node's inspect() of the list; indented JSON reads the same and parses too
      session.out.println(Json.pretty(session.request(Addresses.QUERY_LIST, Json.object())));
      return 0;
    }
    if (form == Form.JSON) {
      // pm2's jlist: the reply's JSON as it comes, copied rather than parsed and written again
      session.daemon().requestInto(Addresses.QUERY_LIST, Json.object(), Session.REQUEST_TIMEOUT_MS, session.out);
      session.out.print("\n");
      session.out.flush();
      return 0;
    }
    if (args.has("mini")) {
      session.out.print(Render.mini(session.request(Addresses.QUERY_LIST, Map.of("env", false))));
      return 0;
    }
    // the table asks for its own fields only: no environment (most of jlist's bytes)
    Json.Value rows = session.request(Addresses.QUERY_LIST, Session.TABLE_QUERY);
    // pm2 sorts the table by name unless told otherwise
    session.out.print(Render.table(Render.sorted(rows, args.has("sort") ? args.get("sort") : "name")));
    // a watched file whose last edit was refused: the apps run from its last good version
    Json.Value files;
    try {
      files = session.request(Addresses.QUERY_CONFIG, Json.object());
    } catch (CliException e) {
      return 0; // the table is what ls is for; a watcher that does not answer does not fail it
    }
    for (Json.Value file : files) {
      if ("refused".equals(file.path("status").asText())) {
        session.out.println("[jpm] " + file.path("file").asText() + ": last edit refused: " + file.path("error").asText());
      } else if ("waiting".equals(file.path("status").asText())) {
        session.out.println("[jpm] " + file.path("file").asText() + ": edited, not applied (hot reload is off):"
            + " jpm reload " + file.path("file").asText() + " applies it");
      }
    }
    return 0;
  }
}
