package io.jpm.cli.command;

import io.jpm.cli.CliException;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/** What {@code ls --all} and {@code jlist --all} share: the cluster-wide list, and the hosts that did not answer. */
final class ClusterList {
    private ClusterList() {}

    /** {"processes":[..],"hosts":[..]} from the daemon; a daemon not in a cluster is said so in one line. */
    static Json.Value request(Session session, Map<String, Object> query) throws IOException {
        try {
            return session.request(Addresses.QUERY_CLUSTER_LIST, query);
        } catch (CliException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(Addresses.QUERY_CLUSTER_LIST)) {
                throw new CliException(
                        JpmError.UNAVAILABLE,
                        "--all: this daemon is not in a cluster"
                                + " (jpm.json has no cluster section; docs/CLUSTER.md)");
            }
            throw e;
        }
    }

    /** One line per host that did not answer: {@code [jpm] web-3: unreachable (no answer within 2000 ms)}. */
    static void printUnreachable(Json.Value reply, PrintStream to) {
        for (Json.Value host : reply.path("hosts")) {
            if ("unreachable".equals(host.path("status").asText())) {
                to.println("[jpm] " + host.path("node").asText() + ": unreachable ("
                        + host.path("error").asText() + ")");
            }
        }
    }
}
