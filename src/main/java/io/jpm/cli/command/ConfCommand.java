package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import java.io.IOException;
import java.util.List;

/**
 * {@code jpm conf|config [key] [value]}: with a value as {@link SetCommand}, else as
 * {@link GetCommand}. pm2's {@code config} does this; its {@code conf} prints everything whatever
 * it is given.
 */
public final class ConfCommand extends ParsedCommand {
    public ConfCommand() {
        super(Syntax.of("conf", "config").operands("[key] [value]", 0, 2).summary("with a value as set, else as get"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        List<String> p = args.positionals;
        if (p.size() == 2) {
            SetCommand.set(session, p.get(0), p.get(1));
        } else {
            GetCommand.get(session, p.isEmpty() ? null : p.get(0));
        }
        return 0;
    }
}
