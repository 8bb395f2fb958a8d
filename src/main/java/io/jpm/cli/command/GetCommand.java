package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import java.io.IOException;
import java.util.List;

/** {@code jpm get [section.option]}: a setting, or the whole file (see {@link Settings}). */
public final class GetCommand extends ParsedCommand {
  public GetCommand() {
    super(Syntax.of("get").operands("[section.option]", 0, 1)
        .summary("a setting, or the whole file"));
  }

  @Override
  int run(Args args, Session session) throws IOException {
    List<String> p = args.positionals;
    Settings.print(session, p.isEmpty() ? null : p.get(0));
    return 0;
  }
}
