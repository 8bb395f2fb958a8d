package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.List;

/** {@code jpm prettylist}: jlist, indented. */
public final class PrettylistCommand extends ParsedCommand {
  public PrettylistCommand() {
    super(Syntax.of("prettylist").summary("the process list as pm2-compatible JSON, indented"));
  }

  @Override
  int run(Args args, Session session) throws IOException {
    // pm2 prints node's inspect() of the list; indented JSON reads the same and parses too
    session.out.println(Json.pretty(session.request(Addresses.QUERY_LIST, Json.object())));
    return 0;
  }
}
