package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import java.io.IOException;
import java.util.List;

/** {@code jpm conf [section.option] [value]}: pm2's conf: with a value as set, else as get (see {@link Settings}). */
public final class ConfCommand extends ParsedCommand {
  public ConfCommand() {
    super(Syntax.of("conf").operands("[section.option] [value]", 0, 2)
        .summary("pm2's conf: with a value as set, else as get"));
  }

  @Override
  int run(Args args, Session session) throws IOException {
    List<String> p = args.positionals;
    if (p.size() == 2) {
      Settings.write(session, p.get(0), p.get(1));
    } else {
      Settings.print(session, p.isEmpty() ? null : p.get(0));
    }
    return 0;
  }
}
