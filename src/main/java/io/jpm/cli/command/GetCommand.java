package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.ConfKeys;
import java.io.IOException;
import java.util.List;

/**
 * {@code jpm get [key]}: a setting ({@link Settings}), a module configuration value or module
 * ({@link ModuleConfig}), or, without a key (or {@code all}), jpm.json and every module.
 */
public final class GetCommand extends ParsedCommand {
    public GetCommand() {
        super(Syntax.of("get")
                .operands("[key]", 0, 1)
                .summary("a setting, a module configuration value or module, or all of them"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        List<String> p = args.positionals;
        get(session, p.isEmpty() ? null : p.get(0));
        return 0;
    }

    /** Shared with {@code conf [key]}; {@code key} null: everything. */
    static void get(Session session, String key) throws IOException {
        if (key == null || key.equals("all")) {
            Settings.print(session, null);
            ModuleConfig.show(session, null);
        } else if (ConfKeys.isSetting(key)) {
            Settings.print(session, key);
        } else {
            ModuleConfig.print(session, key);
        }
    }
}
