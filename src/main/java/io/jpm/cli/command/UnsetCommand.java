package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.ConfKeys;
import java.io.IOException;

/**
 * {@code jpm unset <key>}: a setting back to its default ({@link Settings}), or a key of pm2's
 * module configuration removed ({@link ModuleConfig}; {@code unset all} empties it). As in pm2,
 * no app is restarted.
 */
public final class UnsetCommand extends ParsedCommand {
    public UnsetCommand() {
        super(Syntax.of("unset")
                .operands("<key>", 1, 1)
                .summary("a setting back to its default, or a module configuration key removed (all: every one)"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        String key = args.positionals.get(0);
        if (ConfKeys.isSetting(key)) {
            Settings.write(session, key, null);
            return 0;
        }
        ModuleConfig.unset(session, key);
        ModuleConfig.show(session, null);
        return 0;
    }
}
