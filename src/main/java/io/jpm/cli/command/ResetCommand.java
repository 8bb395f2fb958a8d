package io.jpm.cli.command;

import io.jpm.cli.Syntax;
import io.jpm.protocol.Addresses;

/** {@code jpm reset <targets>...}: pm2's reset, the restart and unstable-restart counters back to 0. */
public final class ResetCommand extends TargetActionCommand {
    private static final Syntax SYNTAX = Syntax.of("reset")
            .operands(TARGETS, 1, Syntax.MANY)
            .summary("set the processes' restart counters back to 0")
            .flag(ATTACH)
            .flag(HOST);

    public ResetCommand() {
        super(SYNTAX, Addresses.CMD_RESET, "counters reset");
    }
}
