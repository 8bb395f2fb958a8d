package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import java.io.IOException;
import java.util.List;

/** {@code jpm unset <section.option>}: back to the default (see {@link Settings}). */
public final class UnsetCommand extends ParsedCommand {
  public UnsetCommand() {
    super(Syntax.of("unset").operands("<section.option>", 1, 1)
        .summary("back to the default"));
  }

  @Override
  int run(Args args, Session session) throws IOException {
    List<String> p = args.positionals;
    Settings.write(session, p.get(0), null);
    return 0;
  }
}
