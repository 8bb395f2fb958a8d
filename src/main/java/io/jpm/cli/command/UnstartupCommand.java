package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import java.io.IOException;

/** {@code jpm unstartup [systemd]}: the unit {@code jpm startup} wrote, disabled and removed. */
public final class UnstartupCommand extends ParsedCommand {
    static final Syntax SYNTAX = Syntax.of("unstartup")
            .operands("[systemd]", 0, 1)
            .summary("remove the unit jpm startup installed")
            .flags(StartupCommand.FLAGS);

    public UnstartupCommand() {
        super(SYNTAX);
    }

    @Override
    int run(Args args, Session session) throws IOException {
        return StartupCommand.run(SYNTAX.verb(), false, args, session);
    }
}
