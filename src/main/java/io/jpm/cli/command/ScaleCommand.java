package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessSummary;
import io.jpm.protocol.ScaleRequest;
import java.io.IOException;

/**
 * {@code jpm scale <name> <N|+N|-N>}: pm2's scale, for balanced and fork apps. Sends
 * {@code {"name":"api","count":"+2"}} to {@code jpm.cmd.scale}; prints the instances started or
 * removed, then the table.
 */
public final class ScaleCommand extends ParsedCommand {
    public ScaleCommand() {
        super(
                Syntax.of("scale")
                        .operands("<name> <N|+N|-N>", 2, 2)
                        .summary(
                                "run N instances of the app (+N, -N: that many more or fewer; balanced apps drain those removed)"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        String count = args.positionals.get(1);
        if (!count.matches("[+-]?\\d{1,4}")) {
            throw CliException.usage("scale expects a number like 4, +2 or -1, got '" + count + "'");
        }
        Json.Value changed =
                session.request(Addresses.CMD_SCALE, new ScaleRequest(args.positionals.get(0), count).toMap());
        for (ProcessSummary p : Session.summaries(changed)) {
            session.out.println("[jpm] " + TargetActionCommand.named(p) + " (id " + p.pmId() + ") " + p.status());
        }
        if (TargetActionCommand.onFleet(changed)) {
            TargetActionCommand.printClusterTable(session);
        } else {
            session.printTable();
        }
        return 0;
    }
}
