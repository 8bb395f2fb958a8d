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

/** {@code jpm id <name>}: the pm_ids of that name in pm2's form, {@code [ 0, 1 ]} ({@code []} when none). */
public final class IdCommand extends ParsedCommand {
    public IdCommand() {
        super(Syntax.of("id").operands("<name>", 1, 1).summary("the pm_ids of that app, as [ 0, 1 ]"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        List<String> found = new ArrayList<>();
        for (ProcessView p : Render.views(session.request(Addresses.QUERY_LIST, Session.TABLE_QUERY))) {
            if (args.positionals.get(0).equals(p.name())) {
                found.add(Render.text(p.listedId()));
            }
        }
        session.out.println(found.isEmpty() ? "[]" : "[ " + String.join(", ", found) + " ]");
        return 0;
    }
}
