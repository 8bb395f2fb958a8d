package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.MiniList;
import io.jpm.cli.render.Render;
import io.jpm.cli.render.SupervisionLines;
import io.jpm.cli.render.TableWarmUp;
import io.jpm.cli.transport.BridgeClient;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
        // the table asks for its own fields only (no environment: most of jlist's bytes); the watched
        // files and the supervision notes are asked in the same round trip
        BridgeClient daemon = session.daemon();
        List<BridgeClient.Request> requests = new ArrayList<>(List.of(
                new BridgeClient.Request(Addresses.QUERY_LIST, Session.TABLE_QUERY, Session.REQUEST_TIMEOUT_MS),
                new BridgeClient.Request(Addresses.QUERY_CONFIG, Json.object(), Session.REQUEST_TIMEOUT_MS)));
        if (!session.startedDaemon()) { // else printed as it started
            requests.add(new BridgeClient.Request(
                    Addresses.QUERY_SUPERVISION, Json.object(), Session.SUPERVISION_TIMEOUT_MS));
        }
        List<BridgeClient.Reply> replies = daemon.requestAll(requests, TableWarmUp::run);
        session.out.print(
                Render.table(Render.sorted(replies.get(0).get(), args.has("sort") ? args.get("sort") : "name")));
        printWatchedFileTrouble(replies.get(1), session);
        if (replies.size() > 2 && replies.get(2).failure() == null) {
            // the notes are extra: a daemon that does not answer them fails no command
            for (String line : SupervisionLines.of(replies.get(2).data())) {
                session.out.println(line);
            }
        }
        return 0;
    }

    /** A watched file whose last edit was refused, or is waiting: the apps run from its last good version. */
    private static void printWatchedFileTrouble(BridgeClient.Reply reply, Session session) {
        if (reply.failure() != null) {
            return; // the table is what ls is for; a watcher that does not answer does not fail it
        }
        for (Json.Value file : reply.data()) {
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
