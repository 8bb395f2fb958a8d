package io.jpm.config;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * jpm.json's {@code cluster} section (docs/CLUSTER.md): several daemons on several hosts as one
 * clustered event bus. Absent or empty: no clustering, and nothing of it is loaded.
 *
 * Built once, by {@link #parse} from named reads: no builder (RecordShapeTest lists it).
 *
 * @param name the cluster's name; the name members compare on join is derived from it and the secret
 * @param node this host's name in the cluster ({@code jpm restart api@web-2}); unique per cluster
 * @param listenHost the interface Hazelcast (membership) and the event bus bind to
 * @param listenPort Hazelcast's port
 * @param busPort the event bus's port (TLS); default {@code listenPort + 1}
 * @param busPublic where the other members reach this event bus, {@code host:port}; default the
 *     listen host and {@code busPort} (differs behind NAT or a port forward)
 * @param relayPort the fleet relay's port (TLS): other members' fronts reach this host's instances
 *     of a fleet app through it; default {@code busPort + 1}
 * @param members {@code host:port} of the Hazelcast ports to join (this one may be among them)
 * @param timeoutMs how long a cluster-wide query waits for a host before it calls it unreachable
 * @param keys the user's own key, certificate and CA for the event bus; null: JPM_HOME/cluster.p12
 */
public record ClusterSettings(
        String name,
        String node,
        String listenHost,
        int listenPort,
        int busPort,
        int relayPort,
        String busPublic,
        List<String> members,
        long timeoutMs,
        KeyFiles keys) {
    /**
     * The event bus's TLS from the user's PEM files rather than cluster.p12: this member's private
     * key and certificate (chain), and the CA certificate(s) a peer's certificate must be signed by.
     * Paths as written (relative ones are read from JPM_HOME when the daemon starts).
     */
    public record KeyFiles(String key, String cert, String ca) {
        public static final List<String> OPTIONS = List.of("key", "cert", "ca");
    }

    /** Node and cluster names: they go in bus addresses ({@code jpm.host.<node>.cmd.restart}). */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,63}");

    public static final long DEFAULT_TIMEOUT_MS = 2000;
    private static final Set<String> OPTIONS = Set.of(
            "name",
            "node",
            "listen",
            "members",
            "bus_port",
            "relay_port",
            "bus_public",
            "timeout_ms",
            "key",
            "cert",
            "ca");

    /** Whether the settings' cluster section asks for clustering. */
    public static boolean configured(JsonObject settings) {
        JsonObject section = settings.getJsonObject("cluster");
        return section != null && !section.isEmpty();
    }

    /** The section checked; every error is one line naming the option. */
    public static ClusterSettings parse(String where, JsonObject section) {
        String at = where + ": cluster: ";
        for (String option : section.fieldNames()) {
            if (!OPTIONS.contains(option)) {
                String hint = Spelling.closest(option, OPTIONS)
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse("");
                throw invalid(at + "option '" + option + "' is not a known option" + hint);
            }
        }
        String name = name(at, "name", section.getValue("name"));
        String node = name(at, "node", section.getValue("node"));
        HostPort listen = HostPort.parse(at + "option 'listen'", required(at, "listen", section.getValue("listen")));
        Object membersValue = required(at, "members", section.getValue("members"));
        if (!(membersValue instanceof JsonArray array) || array.isEmpty()) {
            throw invalid(at + "option 'members' must be a non-empty list of \"host:port\", got " + membersValue);
        }
        List<String> members = new ArrayList<>();
        for (Object member : array) {
            if (!(member instanceof String text)) {
                throw invalid(at + "option 'members' must hold \"host:port\" strings, got " + member);
            }
            members.add(HostPort.parse(at + "option 'members'", text).toString());
        }
        int busPort = (int) whole(at, "bus_port", section.getValue("bus_port"), listen.port() + 1L, 65535);
        if (busPort == listen.port()) {
            throw invalid(at + "option 'bus_port' must differ from the port of 'listen' (" + listen.port() + ")");
        }
        int relayPort = (int) whole(
                at, "relay_port", section.getValue("relay_port"), busPort < 65535 ? busPort + 1L : busPort - 1L, 65535);
        if (relayPort == listen.port() || relayPort == busPort) {
            throw invalid(at + "option 'relay_port' must differ from the ports of 'listen' and 'bus_port' ("
                    + listen.port() + ", " + busPort + ")");
        }
        String busPublic = section.getValue("bus_public") == null
                ? listen.host() + ":" + busPort
                : HostPort.parse(at + "option 'bus_public'", section.getValue("bus_public"))
                        .toString();
        long timeoutMs = whole(at, "timeout_ms", section.getValue("timeout_ms"), DEFAULT_TIMEOUT_MS, 600_000);
        return new ClusterSettings(
                name,
                node,
                listen.host(),
                listen.port(),
                busPort,
                relayPort,
                busPublic,
                List.copyOf(members),
                timeoutMs,
                keyFiles(at, section));
    }

    /** key, cert and ca: all three (the user's own TLS) or none (cluster.p12). */
    private static KeyFiles keyFiles(String at, JsonObject section) {
        List<String> given =
                KeyFiles.OPTIONS.stream().filter(section::containsKey).toList();
        if (given.isEmpty()) {
            return null;
        }
        for (String option : KeyFiles.OPTIONS) {
            Object value = section.getValue(option);
            if (value == null) {
                throw invalid(at + "option '" + option + "' is required with " + String.join(" and ", given)
                        + " (key, cert and ca go together: your own TLS for the event bus)");
            }
            if (!(value instanceof String text) || text.isBlank()) {
                throw invalid(at + "option '" + option + "' must be the path of a PEM file, got " + value);
            }
        }
        return new KeyFiles(section.getString("key"), section.getString("cert"), section.getString("ca"));
    }

    private static Object required(String at, String option, Object value) {
        if (value == null) {
            throw invalid(at + "option '" + option + "' is required");
        }
        return value;
    }

    private static String name(String at, String option, Object value) {
        if (!(required(at, option, value) instanceof String text)
                || !NAME.matcher(text).matches()) {
            throw invalid(at + "option '" + option + "' must be 1-63 letters, digits, '-' or '_', got " + value);
        }
        return text;
    }

    private static long whole(String at, String option, Object value, long fallback, long max) {
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n)
                || n.doubleValue() != n.longValue()
                || n.longValue() < 1
                || n.longValue() > max) {
            throw invalid(at + "option '" + option + "' must be a whole number from 1 to " + max + ", got " + value);
        }
        return n.longValue();
    }

    private static JpmException invalid(String message) {
        return new JpmException(JpmError.INVALID_CONFIG, message);
    }

    /** A {@code host:port} pair; the host an IPv4 address or a name, no IPv6 brackets yet. */
    record HostPort(String host, int port) {
        static HostPort parse(String what, Object value) {
            String text = value instanceof String s ? s.trim() : "";
            int colon = text.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(text.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (port < 1
                    || port > 65535
                    || text.substring(0, colon).isBlank()
                    || text.substring(0, colon).contains(":")) {
                throw invalid(what + " must be \"host:port\" with a port from 1 to 65535, got " + value);
            }
            return new HostPort(text.substring(0, colon), port);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
