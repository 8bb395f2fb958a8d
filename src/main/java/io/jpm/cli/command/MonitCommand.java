package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.MonitScreen;
import io.jpm.cli.transport.Session;
import java.io.IOException;

/**
 * {@code jpm monit}: pm2's live terminal dashboard. This class only checks the arguments; the
 * screen lives in {@link MonitScreen} so the terminal library is loaded by this verb alone.
 */
public final class MonitCommand extends ParsedCommand {
    public MonitCommand() {
        super(Syntax.of("monit").summary("live dashboard: processes, cpu/mem, details, logs (keys: up/down r s q)"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        if (System.console() == null) {
            throw CliException.usage("monit needs a terminal (use jpm ls, jlist or events when piping)");
        }
        return MonitScreen.run(session);
    }
}
