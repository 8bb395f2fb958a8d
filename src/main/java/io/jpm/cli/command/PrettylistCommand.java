package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.Inspect;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;

/** {@code jpm prettylist}: jlist as pm2 prints it, node's inspect() of the list. */
public final class PrettylistCommand extends ParsedCommand {
    public PrettylistCommand() {
        super(Syntax.of("prettylist").summary("the process list as pm2 prints it (node's inspect() of jlist)"));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        // pm2 writes node's inspect() of the list, without a newline after it; scripts grep and sed it
        session.out.print(Inspect.of(session.request(Addresses.QUERY_LIST, Json.object()).raw));
        return 0;
    }
}
