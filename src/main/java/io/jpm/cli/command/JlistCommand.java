package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.List;

/** {@code jpm jlist}: the process list as pm2-compatible JSON, as the daemon sent it. */
public final class JlistCommand extends ParsedCommand {
  public JlistCommand() {
    super(Syntax.of("jlist").summary("the process list as pm2-compatible JSON"));
  }

  @Override
  int run(Args args, Session session) throws IOException {
    // pm2's jlist: the reply's JSON as it comes, copied rather than parsed and written again
    session.daemon().requestInto(Addresses.QUERY_LIST, Json.object(), Session.REQUEST_TIMEOUT_MS, session.out);
    session.out.print("\n");
    session.out.flush();
    return 0;
  }
}
