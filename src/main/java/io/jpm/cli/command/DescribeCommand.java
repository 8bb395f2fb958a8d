package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.AppMetricsView;
import io.jpm.cli.render.CodeMetricsView;
import io.jpm.cli.render.Render;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;

/** {@code jpm describe|show|desc|info <target>...}: everything about each process, pm2's blocks. */
public final class DescribeCommand extends ParsedCommand {
    public DescribeCommand() {
        super(Syntax.of("describe", "show", "desc", "info")
                .operands("<id|name|all>...", 1, Syntax.MANY)
                .summary("everything about a process: options, paths, restarts, health, balancer")
                .flag(TargetActionCommand.HOST));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        HostTargets onHost = HostTargets.of(args.positionals, args.get("host")).resolve(session);
        for (Json.Value p : onHost.request(session, Addresses.QUERY_DESCRIBE, Session.targets(onHost.targets()))) {
            session.out.print(Render.describe(p));
            session.out.print(CodeMetricsView.boxes(p));
            session.out.print(AppMetricsView.box(p));
        }
        return 0;
    }
}
