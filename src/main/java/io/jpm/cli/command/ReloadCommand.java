package io.jpm.cli.command;

import io.jpm.cli.Syntax;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.StartRequest;

/**
 * {@code jpm reload <targets>...}: pm2's reload; a balanced app's instances are replaced one at a
 * time, each new one ready before its old one stops, so its port never stops answering.
 */
public final class ReloadCommand extends RestartingCommand {
    private static final Syntax SYNTAX = Syntax.of("reload")
            .operands(TARGETS, 1, Syntax.MANY)
            .summary(
                    "restart the processes; a balanced app's instances one at a time, each new one ready before its old one stops")
            .note("of an ecosystem file: the file's options and env are read again and its apps that do not run start")
            .note(
                    "start options (--node-args, --name, --cron-restart, --max-memory-restart, -- args...) change the apps named"
                            + " from this run on, as pm2's do")
            .flags(ENV_FLAGS)
            .flag(LISTEN_TIMEOUT)
            .flag(ATTACH)
            .flag(HOST)
            .flags(StartFlags.FOR_EXISTING_APPS)
            .flag(ONLY);

    public ReloadCommand() {
        super(SYNTAX, Addresses.CMD_RELOAD, "reloaded");
    }

    @Override
    FileStartCommand forFiles() {
        return FileStartCommand.of("reload", StartRequest.RELOAD);
    }
}
