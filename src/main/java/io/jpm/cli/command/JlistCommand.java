package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;

/** {@code jpm jlist}: the process list as pm2-compatible JSON, as the daemon sent it. */
public final class JlistCommand extends ParsedCommand {
    public JlistCommand() {
        super(Syntax.of("jlist")
                .summary("the process list as pm2-compatible JSON")
                .flag(Flag.toggle(
                        "--all", "all", "every host of the cluster, each process with its host (docs/CLUSTER.md)")));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        if (args.has("all")) {
            // stdout stays one JSON array; the hosts that did not answer go to stderr
            Json.Value reply = ClusterList.request(session, Json.object());
            session.out.print(Json.text(reply.path("processes").raw));
            session.out.print("\n");
            session.out.flush();
            ClusterList.printUnreachable(reply, System.err);
            return 0;
        }
        // pm2's jlist: the reply's JSON as it comes, copied rather than parsed and written again
        session.daemon().requestInto(Addresses.QUERY_LIST, Json.object(), Session.REQUEST_TIMEOUT_MS, session.out);
        session.out.print("\n");
        session.out.flush();
        return 0;
    }
}
