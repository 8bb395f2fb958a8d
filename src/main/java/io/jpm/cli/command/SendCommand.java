package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.StdinRequest;
import java.io.IOException;

/**
 * pm2's {@code send <pm_id> <line>}: the line and a newline to the app's stdin, then the table.
 * pm2's errors: a pm_id must be a number; an unknown or stopped one is refused.
 */
public final class SendCommand extends ParsedCommand {
    public SendCommand() {
        super(Syntax.of("send")
                .operands("<pm_id> <line>", 2, Syntax.MANY)
                .summary("write the line (and a newline) to the app's stdin"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        long pmId = pmId(args.positionals.get(0));
        // pm2 takes one <line>; words after it are joined, as a shell user means them
        send(session, pmId, String.join(" ", args.positionals.subList(1, args.positionals.size())) + "\n");
        session.printTable();
        return 0;
    }

    /** A pm_id, never a name: pm2 answers a name with "Process with ID <name> unknown." (exit 1); jpm says what it wants (docs/COMPAT.md). */
    static long pmId(String id) {
        if (!id.matches("\\d{1,9}")) {
            throw CliException.usage("pm_id must be a process number (not a process name), got '" + id + "'");
        }
        return Long.parseLong(id);
    }

    static void send(Session session, long pmId, String text) throws IOException {
        session.request(Addresses.CMD_STDIN, new StdinRequest((int) pmId, text).toMap());
    }
}
