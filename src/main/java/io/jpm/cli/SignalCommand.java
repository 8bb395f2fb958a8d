package io.jpm.cli;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.TargetRequest;
import io.jpm.protocol.SignalRequest;
import io.jpm.protocol.ProcessSummary;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code jpm sendSignal <signal> <id|name|all>}: the signal goes to each target's process group. */
final class SignalCommand implements Command {
  @Override
  public int run(List<String> words, Session session) throws IOException {
    Args args = Args.parse("sendSignal", words, Map.of(), Map.of())
        .expectPositionals("sendSignal", 2, Integer.MAX_VALUE, "<signal> <id|name|all>...");
    TargetRequest target = TargetRequest.fromClient(args.positionals.subList(1, args.positionals.size()), System.getenv());
    Json.Value reached = session.request(Addresses.CMD_SIGNAL, new SignalRequest(args.positionals.get(0), target).toMap());
    for (ProcessSummary p : Session.summaries(reached)) {
      session.out.println("[jpm] " + args.positionals.get(0) + " sent to " + p.name()
          + " (id " + p.pmId() + ", pid " + p.pid() + ")");
    }
    return 0;
  }
}
