package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import java.io.IOException;
import java.util.List;

/** {@code jpm set <section.option> <value>}: change JPM_HOME/jpm.json (validated whole; applied at once) (see {@link Settings}). */
public final class SetCommand extends ParsedCommand {
  public SetCommand() {
    super(Syntax.of("set").operands("<section.option> <value>", 2, 2)
        .summary("change JPM_HOME/jpm.json (validated whole; applied at once)"));
  }

  @Override
  int run(Args args, Session session) throws IOException {
    List<String> p = args.positionals;
    Settings.write(session, p.get(0), p.get(1));
    return 0;
  }
}
