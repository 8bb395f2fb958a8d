package io.jpm.cli;

import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code jpm sendSignal <signal> <id|name|all>}: the signal goes to each target's process group. */
final class SignalCommand implements Command {
  @Override
  public int run(List<String> words, Session session) throws IOException {
    Args args = Args.parse("sendSignal", words, Map.of(), Map.of())
        .expectPositionals("sendSignal", 2, Integer.MAX_VALUE, "<signal> <id|name|all>...");
    Map<String, Object> body = Json.object();
    body.put("signal", args.positionals.get(0));
    body.put("target", Session.targets(args.positionals.subList(1, args.positionals.size())));
    Json.Value reached = session.request(Addresses.CMD_SIGNAL, body);
    for (Json.Value p : reached) {
      session.out.println("[jpm] " + args.positionals.get(0) + " sent to " + p.path("name").asText()
          + " (id " + p.path("pm_id").asText() + ", pid " + p.path("pid").asText() + ")");
    }
    return 0;
  }
}
