package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.EnvLines;
import io.jpm.cli.render.Render;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.ProcessView;
import java.io.IOException;

/**
 * {@code jpm env <pm_id>}: the process's environment and the fields of its {@code pm2_env} pm2's
 * {@code env} prints, one {@code key: value} a line, as pm2 prints them (EnvLines).
 */
public final class EnvCommand extends ParsedCommand {
    public EnvCommand() {
        super(Syntax.of("env")
                .operands("<pm_id>", 1, 1)
                .summary("the process's pm2_env (its options and environment), one key: value a line"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        String id = args.positionals.get(0);
        int printed = 0;
        for (ProcessView p : Render.views(session.request(Addresses.QUERY_LIST, Json.object()))) {
            if (id.equals(Render.text(p.listedId()))) {
                EnvLines.of(p.pm2EnvMap()).forEach(session.out::println);
                printed++;
            }
        }
        if (printed == 0) {
            throw new CliException(JpmError.UNKNOWN_TARGET, "process with id " + id + " not found");
        }
        return 0;
    }
}
