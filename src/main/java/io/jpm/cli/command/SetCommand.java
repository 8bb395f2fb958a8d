package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.ConfKeys;
import java.io.IOException;
import java.util.List;

/**
 * {@code jpm set <key> <value>}: one of jpm's settings ({@code section.option}, JPM_HOME/jpm.json,
 * see {@link Settings}) or, for any other key, pm2's module configuration (JPM_HOME/module_conf.json,
 * see {@link ModuleConfig}): {@code <app>.<key>} restarts that app with it, as pm2 does.
 */
public final class SetCommand extends ParsedCommand {
    public SetCommand() {
        super(
                Syntax.of("set")
                        .operands("<key> <value>", 2, 2)
                        .summary(
                                "a setting (section.option: JPM_HOME/jpm.json, validated whole, applied at once) or pm2's module"
                                        + " configuration (app.key, app:key, key: JPM_HOME/module_conf.json; app.key restarts the app with it)"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        List<String> p = args.positionals;
        set(session, p.get(0), p.get(1));
        return 0;
    }

    /** Shared with {@code conf <key> <value>}. */
    static void set(Session session, String key, String value) throws IOException {
        if (ConfKeys.isSetting(key)) {
            Settings.write(session, key, value);
            return;
        }
        ModuleConfig.set(session, List.of(new ModuleConfig.Pair(key, value)));
        String app = ModuleConfig.app(key);
        if (app != null) {
            session.out.println("[jpm] Setting changed");
        }
        ModuleConfig.show(session, app);
    }
}
