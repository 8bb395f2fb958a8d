package io.jpm.cli;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.ScaleRequest;
import io.jpm.protocol.ProcessSummary;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code jpm scale <name> <N|+N|-N>}: pm2's scale, for balanced and fork apps. Sends
 * {@code {"name":"api","count":"+2"}} to {@code jpm.cmd.scale}; prints the instances started or
 * removed, then the table.
 */
final class ScaleCommand implements Command {
  @Override
  public int run(List<String> words, Session session) throws IOException {
    Args args = Args.parse("scale", words, Map.of(), Map.of()).expectPositionals("scale", 2, 2, "<name> <N|+N|-N>");
    String count = args.positionals.get(1);
    if (!count.matches("[+-]?\\d{1,4}")) {
      throw CliException.usage("scale expects a number like 4, +2 or -1, got '" + count + "'");
    }
    Json.Value changed = session.request(Addresses.CMD_SCALE, new ScaleRequest(args.positionals.get(0), count).toMap());
    for (ProcessSummary p : Session.summaries(changed)) {
      session.out.println("[jpm] " + p.name() + " (id " + p.pmId() + ") " + p.status());
    }
    session.printTable();
    return 0;
  }
}
