package io.jpm.cli.command;

import io.jpm.cli.Syntax;
import io.jpm.protocol.Addresses;

/** {@code jpm delete|del <targets>...}: stop the processes and take them out of the list. */
public final class DeleteCommand extends TargetActionCommand {
    private static final Syntax SYNTAX = Syntax.of("delete", "del")
            .operands(TARGETS, 1, Syntax.MANY)
            .summary("stop the processes and remove them from the list")
            .flag(ATTACH)
            .flag(HOST)
            .flag(ONLY);

    public DeleteCommand() {
        super(SYNTAX, Addresses.CMD_DELETE, "deleted");
    }
}
