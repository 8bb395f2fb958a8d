package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.Render;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jpm pid [name]}: the pid of each process of that name (of every process without one), one
 * per line, 0 for one that does not run; nothing (and exit 0) for an unknown name, as pm2.
 */
public final class PidCommand extends ParsedCommand {
    public PidCommand() {
        super(Syntax.of("pid")
                .operands("[name]", 0, 1)
                .summary("the pids of that app (of every app), one per line, 0 when not running")
                .flag(TargetActionCommand.HOST));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        HostTargets onHost = HostTargets.of(args.positionals, args.get("host")).resolve(session);
        String name = onHost.targets().isEmpty() ? null : onHost.targets().get(0);
        List<String> found = new ArrayList<>();
        for (ProcessView p : Render.views(onHost.request(session, Addresses.QUERY_LIST, Session.TABLE_QUERY))) {
            if (name == null || name.equals(p.name())) {
                found.add(Integer.toString(p.pid()));
            }
        }
        session.out.println(String.join("\n", found));
        return 0;
    }
}
