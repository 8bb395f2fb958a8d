package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.MiniList;
import io.jpm.cli.render.Render;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.Map;

/** {@code jpm ls|list|status|l|ps}: the process table, sorted by name as pm2's. */
public final class LsCommand extends ParsedCommand {
    public LsCommand() {
        super(Syntax.of("ls", "list", "status", "l", "ps")
                .summary("the process table")
                .flag(Flag.toggle("-m|--mini-list", "mini", "one short block per process"))
                .flag(Flag.toggle("--all", "all", "every host of the cluster, with a host column (docs/CLUSTER.md)"))
                .flag(Flag.option(
                        "--sort",
                        "sort",
                        "field[:desc]",
                        "name, namespace, id, pid, cpu, memory, uptime or status (default name)")));
    }

    @Override
    int run(Args args, Session session) throws IOException {
        if (args.has("mini")) {
            session.out.print(MiniList.mini(session.request(Addresses.QUERY_LIST, Map.of("env", false))));
            return 0;
        }
        if (args.has("all")) {
            Json.Value reply = ClusterList.request(session, Session.TABLE_QUERY);
            session.out.print(
                    Render.table(Render.sorted(reply.path("processes"), args.has("sort") ? args.get("sort") : "name")));
            ClusterList.printUnreachable(reply, session.out);
            return 0;
        }
        // the table asks for its own fields only: no environment (most of jlist's bytes)
        Json.Value rows = session.request(Addresses.QUERY_LIST, Session.TABLE_QUERY);
        session.out.print(Render.table(Render.sorted(rows, args.has("sort") ? args.get("sort") : "name")));
        printWatchedFileTrouble(session);
        if (!session.startedDaemon()) { // else printed as it started
            for (String line : session.supervisionNotes()) {
                session.out.println(line);
            }
        }
        return 0;
    }

    /** A watched file whose last edit was refused, or is waiting: the apps run from its last good version. */
    private static void printWatchedFileTrouble(Session session) throws IOException {
        Json.Value files;
        try {
            files = session.request(Addresses.QUERY_CONFIG, Json.object());
        } catch (CliException e) {
            return; // the table is what ls is for; a watcher that does not answer does not fail it
        }
        for (Json.Value file : files) {
            if ("refused".equals(file.path("status").asText())) {
                session.out.println("[jpm] " + file.path("file").asText() + ": last edit refused: "
                        + file.path("error").asText());
            } else if ("waiting".equals(file.path("status").asText())) {
                session.out.println("[jpm] " + file.path("file").asText() + ": edited, not applied (hot reload is off):"
                        + " jpm reload " + file.path("file").asText() + " applies it");
            }
        }
    }
}
