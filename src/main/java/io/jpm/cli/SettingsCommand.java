package io.jpm.cli;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * pm2's {@code set <key> <value>}, {@code unset <key>}, {@code get [key]} and
 * {@code conf [key] [value]}, over jpm's settings file JPM_HOME/jpm.json with dotted keys
 * ({@code jpm set persist.auto_dump false}). The daemon writes the file, only when the whole of it
 * validates, and applies it as it applies any edit; reads come from the file itself.
 */
final class SettingsCommand implements Command {
  enum Kind { SET, UNSET, GET, CONF }

  private final Kind kind;

  SettingsCommand(Kind kind) {
    this.kind = kind;
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    String verb = kind.name().toLowerCase(java.util.Locale.ROOT);
    Args args = switch (kind) {
      case SET -> Args.parse(verb, words, Map.of(), Map.of()).expectPositionals(verb, 2, 2, "<section.option> <value>");
      case UNSET -> Args.parse(verb, words, Map.of(), Map.of()).expectPositionals(verb, 1, 1, "<section.option>");
      case GET -> Args.parse(verb, words, Map.of(), Map.of()).expectPositionals(verb, 0, 1, "[section.option]");
      case CONF -> Args.parse(verb, words, Map.of(), Map.of()).expectPositionals(verb, 0, 2, "[section.option] [value]");
    };
    List<String> p = args.positionals;
    if (kind == Kind.SET || kind == Kind.UNSET || (kind == Kind.CONF && p.size() == 2)) {
      Map<String, Object> body = Json.object();
      body.put("key", p.get(0));
      body.put("value", kind == Kind.UNSET ? null : p.get(1));
      Json.Value done = session.request(Addresses.CMD_SET, body);
      session.out.println("[jpm] " + done.path("file").asText() + ": " + p.get(0)
          + (kind == Kind.UNSET ? " unset (the default applies)" : " = " + done.path("value")));
      return 0;
    }
    Path file = session.home.root().resolve("jpm.json");
    Json.Value settings = Files.isRegularFile(file) ? Json.parse(Files.readAllBytes(file)) : new Json.Value(Json.object());
    if (p.isEmpty()) {
      session.out.println(Json.pretty(settings));
      return 0;
    }
    Json.Value value = settings;
    for (String part : p.get(0).split("\\.")) {
      if (!value.has(part)) {
        throw new CliException(JpmError.UNKNOWN_TARGET, p.get(0) + " is not set in " + file + ": the default applies");
      }
      value = value.path(part);
    }
    session.out.println(value.raw instanceof String s ? s : Json.pretty(value));
    return 0;
  }
}
