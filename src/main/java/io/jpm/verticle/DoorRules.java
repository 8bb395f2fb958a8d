package io.jpm.verticle;

import io.jpm.protocol.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a frame through either event-bus door may reach, declared once for both: the TCP bridge
 * ({@code io.jpm.bridge}) and the HTTP server's SockJS bridge ({@code io.jpm.web}). Commands and
 * queries in, events out, on this host and (a clustered daemon) on the others; what each token may
 * do of that is {@link TokenGuard}'s, how a connection holds its token {@link ConnectionAuth}'s.
 */
public final class DoorRules {
    /** Addresses a client may send or publish to (TokenGuard keeps the commands for the admin token). */
    private static final List<String> INBOUND = List.of(
            "jpm\\.cmd\\.[A-Za-z]+",
            "jpm\\.query\\.[A-Za-z]+",
            // a clustered daemon's per-host addresses (docs/CLUSTER.md)
            "jpm\\.host\\.[A-Za-z0-9_-]+\\.(cmd|query)\\.[A-Za-z]+");
    /** Addresses a client may register for: this host's events, and another's relayed by its cluster package. */
    private static final List<String> OUTBOUND =
            List.of("jpm\\.events\\.[A-Za-z]+", "jpm\\.host\\.[A-Za-z0-9_-]+\\.events\\.[A-Za-z]+");

    private static final List<Pattern> INBOUND_PATTERNS =
            INBOUND.stream().map(Pattern::compile).toList();
    private static final List<Pattern> OUTBOUND_PATTERNS =
            OUTBOUND.stream().map(Pattern::compile).toList();

    private DoorRules() {}

    /** The bridges' inbound list (the Vert.x bridge options of either door). */
    public static List<PermittedOptions> inbound() {
        return INBOUND.stream()
                .map(regex -> new PermittedOptions().setAddressRegex(regex))
                .toList();
    }

    /** The bridges' outbound list. */
    public static List<PermittedOptions> outbound() {
        return OUTBOUND.stream()
                .map(regex -> new PermittedOptions().setAddressRegex(regex))
                .toList();
    }

    /**
     * Null when a frame of this type may reach {@code address} at all (whatever its token), else why
     * not: the same answer the Vert.x bridges give ("access_denied"), worded for a person.
     */
    public static String unreachable(String type, String address) {
        boolean outbound = "register".equals(type) || "unregister".equals(type);
        List<Pattern> permitted = outbound ? OUTBOUND_PATTERNS : INBOUND_PATTERNS;
        if (address != null
                && permitted.stream().anyMatch(p -> p.matcher(address).matches())) {
            return null;
        }
        return address + " is not an address a client may " + (outbound ? "register for" : type + " to")
                + (outbound ? " (jpm.events.*)" : " (jpm.cmd.*, jpm.query.*)");
    }

    /**
     * A frame its token let through, made ready for the bus: the token stripped, and a query sent
     * with the read-only token marked {@code "access": "read-only"} (God then shows env names, not
     * their values: io.jpm.protocol.Access).
     */
    public static void passOn(JsonObject frame, boolean readOnly) {
        JsonObject headers = frame.getJsonObject("headers");
        if (headers != null) {
            headers.remove("token");
        }
        if ("send".equals(frame.getString("type")) && isQuery(frame.getString("address")) && readOnly) {
            frame.put("body", TokenGuard.markReadOnly(frame.getValue("body")));
        }
    }

    /** {@code jpm.query.*}, or another host's {@code jpm.host.<node>.query.*}. */
    private static boolean isQuery(String address) {
        return address != null && Addresses.localOf(address).startsWith(Addresses.QUERY_PREFIX);
    }

    /** Whether registrations for {@code address} are counted: live log lines, cpu and memory figures, another host's events. */
    public static boolean counted(String address) {
        return address != null
                && (Addresses.EVENTS_LOG.equals(address)
                        || Addresses.EVENTS_METRICS.equals(address)
                        || Addresses.hostOf(address) != null
                                && Addresses.localOf(address).startsWith(Addresses.EVENTS_PREFIX));
    }
}
