package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.List;

/** {@code jpm flush [name|id|all]...}: empties the targets' log files (every app's when none). */
public final class FlushCommand extends ParsedCommand {
    public FlushCommand() {
        super(Syntax.of("flush").operands("[name|id|all]...", 0, Syntax.MANY).summary("empty the log files"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        Json.Value flushed = session.request(
                Addresses.CMD_FLUSH, Session.targets(args.positionals.isEmpty() ? List.of("all") : args.positionals));
        for (Json.Value path : flushed) {
            session.out.println("[jpm] Flushing " + path.asText());
        }
        session.out.println("[jpm] Logs flushed");
        return 0;
    }
}
