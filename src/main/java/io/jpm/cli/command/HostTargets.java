package io.jpm.cli.command;

import io.jpm.cli.CliException;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which host of a cluster a target verb goes to: {@code --host web-2}, or targets written
 * {@code api@web-2} (docs/CLUSTER.md). One host per command; none means this host, as without a
 * cluster. A target whose part after its last {@code @} is not a node name ({@code @scope/app})
 * is a plain name.
 *
 * @param targets the targets with their {@code @node} taken off
 * @param host the node, or null for this host
 * @param words the targets as given: on a daemon that is not clustered, {@code a@b} without
 *     {@code --host} is a plain name, as it was before clusters
 * @param flagged whether {@code --host} named the host
 */
record HostTargets(List<String> targets, String host, List<String> words, boolean flagged) {
    /** As the daemon's ClusterSettings.NAME: node names go in bus addresses. */
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9_-]{1,63}");

    /** The words read; call {@link #resolve} before acting on them. */
    static HostTargets of(List<String> words, String hostFlag) {
        if (hostFlag != null && !NODE.matcher(hostFlag).matches()) {
            throw CliException.usage("--host: a node name is 1-63 letters, digits, '-' or '_', got '" + hostFlag + "'");
        }
        List<String> targets = new ArrayList<>();
        TreeSet<String> hosts = new TreeSet<>();
        if (hostFlag != null) {
            hosts.add(hostFlag);
        }
        for (String word : words) {
            int at = word.lastIndexOf('@');
            if (at > 0 && NODE.matcher(word.substring(at + 1)).matches()) {
                hosts.add(word.substring(at + 1));
                targets.add(word.substring(0, at));
            } else {
                targets.add(word);
            }
        }
        if (hosts.size() > 1) {
            throw CliException.usage(
                    "the targets name several hosts (" + String.join(", ", hosts) + "): one host per command");
        }
        return new HostTargets(targets, hosts.isEmpty() ? null : hosts.first(), List.copyOf(words), hostFlag != null);
    }

    /** {@code address} on the chosen host, or as it is for this host. */
    String address(String address) {
        return host == null ? address : Addresses.onHost(host, address);
    }

    /**
     * The request to {@code address} on the chosen host; a host that serves nothing is refused in
     * one line that says why: this daemon is not clustered, no member has that name (naming those
     * that do), or the member left.
     */
    Json.Value request(Session session, String address, Map<String, Object> body) throws IOException {
        try {
            return session.request(address(address), body);
        } catch (CliException e) {
            boolean noHandler = e.error == JpmError.UNAVAILABLE
                    && e.getMessage() != null
                    && e.getMessage().startsWith(Addresses.HOST_PREFIX)
                    && e.getMessage().contains("No handlers");
            if (host == null || !noHandler) {
                throw e;
            }
            throw noSuchHost(session, host);
        }
    }

    /**
     * These targets as this daemon reads them: on one that is not clustered, {@code a@b} without
     * {@code --host} is the plain name it was before clusters (one more request, only for such a word).
     */
    HostTargets resolve(Session session) throws IOException {
        if (host == null || flagged) {
            return this;
        }
        try {
            session.request(Addresses.QUERY_CLUSTER, Map.of());
            return this;
        } catch (CliException e) {
            if (e.error != JpmError.UNAVAILABLE) {
                throw e;
            }
            return new HostTargets(words, null, words, false);
        }
    }

    /** Why {@code node} cannot be reached, asked of this daemon's view of the cluster. */
    static CliException noSuchHost(Session session, String node) throws IOException {
        Json.Value cluster;
        try {
            cluster = session.request(Addresses.QUERY_CLUSTER, Map.of());
        } catch (CliException e) {
            return new CliException(
                    JpmError.UNAVAILABLE,
                    "host '" + node + "': this daemon is not in a cluster"
                            + " (jpm.json has no cluster section; docs/CLUSTER.md)");
        }
        List<String> up = new ArrayList<>();
        boolean left = false;
        for (Json.Value member : cluster.path("members")) {
            String name = member.path("node").asText();
            if ("up".equals(member.path("status").asText())) {
                up.add(name);
            } else if (name.equals(node)) {
                left = true;
            }
        }
        String name = cluster.path("name").asText();
        return left
                ? new CliException(
                        JpmError.UNAVAILABLE,
                        "member '" + node + "' left cluster '" + name + "' (unreachable); members now: "
                                + String.join(", ", up))
                : new CliException(
                        JpmError.UNKNOWN_TARGET,
                        "no member named '" + node + "' in cluster '" + name + "'; members: " + String.join(", ", up));
    }
}
