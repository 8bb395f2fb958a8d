package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.StartRequest;

/** {@code jpm restart <targets>...}: stop each process, then start it again. */
public final class RestartCommand extends RestartingCommand {
    private static final Syntax SYNTAX = Syntax.of("restart")
            .operands(TARGETS, 1, Syntax.MANY)
            .summary("stop the processes and start them again (a stopped one starts)")
            .note("of an ecosystem file: the file's options and env are read again and its apps that do not run start")
            .note(
                    "start options (--node-args, --name, --cron-restart, --max-memory-restart, -- args...) change the apps named"
                            + " from this run on, as pm2's do")
            .flags(ENV_FLAGS)
            .flag(LISTEN_TIMEOUT)
            // pm2: restart --watch switches watching on or off
            .flag(Flag.toggle("--watch|-w", "watch", "switch watching on, or off when it is on"))
            .flag(ATTACH)
            .flag(HOST)
            .flags(StartFlags.FOR_EXISTING_APPS)
            .flag(ONLY);

    public RestartCommand() {
        super(SYNTAX, Addresses.CMD_RESTART, "restarted");
    }

    @Override
    ActionRequest.Watch watch(Args args) {
        return args.has("watch") ? ActionRequest.Watch.TOGGLE : ActionRequest.Watch.KEEP;
    }

    @Override
    FileStartCommand forFiles() {
        return FileStartCommand.of("restart", StartRequest.RESTART);
    }
}
