package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Addresses;

/** {@code jpm stop <targets>...}: each process gets its kill signal, then SIGKILL after its kill_timeout. */
public final class StopCommand extends TargetActionCommand {
    private static final Syntax SYNTAX = Syntax.of("stop")
            .operands(TARGETS, 1, Syntax.MANY)
            .summary("stop the processes (kill signal, then SIGKILL after kill_timeout); they stay in the list")
            // pm2: stop --watch stops watching too
            .flag(Flag.toggle("--watch|-w", "watch", "stop watching their files too"))
            .flag(ATTACH)
            .flag(HOST)
            .flag(ONLY);

    public StopCommand() {
        super(SYNTAX, Addresses.CMD_STOP, "stopped");
    }

    @Override
    ActionRequest.Watch watch(Args args) {
        return args.has("watch") ? ActionRequest.Watch.OFF : ActionRequest.Watch.KEEP;
    }
}
