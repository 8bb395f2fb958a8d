package io.jpm.cli;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code jpm env <pm_id>}: every key of the process's {@code pm2_env}, its options and its
 * environment, one {@code key: value} a line, as pm2 prints them.
 */
final class EnvCommand implements Command {
  @Override
  public int run(List<String> words, Session session) throws IOException {
    Args args = Args.parse("env", words, Map.of(), Map.of()).expectPositionals("env", 1, 1, "<pm_id>");
    String id = args.positionals.get(0);
    int printed = 0;
    for (Json.Value p : session.request(Addresses.QUERY_LIST, Json.object())) {
      if (id.equals(p.path("pm_id").asText()) && p.path("pm2_env").raw instanceof Map<?, ?> env) {
        for (Map.Entry<?, ?> e : env.entrySet()) {
          session.out.println(e.getKey() + ": " + new Json.Value(e.getValue()).asText());
        }
        printed++;
      }
    }
    if (printed == 0) {
      throw new CliException(JpmError.UNKNOWN_TARGET, "process with id " + id + " not found");
    }
    return 0;
  }
}
