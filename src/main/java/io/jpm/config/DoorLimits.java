package io.jpm.config;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * What one door (the bridge's TCP port, the HTTP server) lets a connection cost before and after it
 * shows a token: jpm.json's {@code bridge} section, and the same options in the {@code web} section.
 *
 * <pre>{"max_connections": 128, "idle_timeout_ms": 180000, "auth_timeout_ms": 5000}</pre>
 *
 * @param maxConnections connections open at once on the door; at the cap a new one takes the place of
 *     the oldest connection that has not shown a valid token yet, or is closed when every one has
 * @param idleTimeoutMs a connection with nothing in or out for this long is closed (a bridge connection
 *     registered for events, or waiting on a request within its own timeout, is not idle)
 * @param authTimeoutMs a bridge connection that has not shown a valid token this long after it opened is
 *     closed (the HTTP door checks the token of every request before reading its body)
 */
public record DoorLimits(int maxConnections, long idleTimeoutMs, long authTimeoutMs) {
    public static final DoorLimits DEFAULTS = new DoorLimits(128, 180_000, 5_000);
    /** The bridge section's options; the web section has the first two. */
    public static final Set<String> OPTIONS = Set.of("max_connections", "idle_timeout_ms", "auth_timeout_ms");
    /** The HTTP event streams send a comment every 15 s: an idle timeout must leave them room. */
    public static final long WEB_MIN_IDLE_MS = 20_000;

    /** Null when {@code value} fits the option, else what it must be. */
    static String problem(String section, String option, Object value) {
        long least =
                switch (option) {
                    case "max_connections" -> 1;
                    case "idle_timeout_ms" -> "web".equals(section) ? WEB_MIN_IDLE_MS : 1_000;
                    default -> 100;
                };
        if (value instanceof Number n
                && n.doubleValue() == n.longValue()
                && n.longValue() >= least
                && n.longValue() <= Integer.MAX_VALUE) {
            return null;
        }
        return "a whole number from " + least + (option.equals("max_connections") ? "" : " (milliseconds)")
                + (least == WEB_MIN_IDLE_MS ? ": the event streams' keepalive comes every 15 s" : "");
    }

    /** Checks the bridge section's limits (its other options are {@link BridgeSettings}'): a bad value is refused, naming the file and the option. */
    static void checkBridge(String where, JsonObject section) {
        for (String key : section.fieldNames()) {
            if (!OPTIONS.contains(key)) {
                continue;
            }
            String expected = problem("bridge", key, section.getValue(key));
            if (expected != null) {
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        where + ": bridge: option '" + key + "' must be " + expected + ", got "
                                + section.getValue(key));
            }
        }
    }

    /** The limits of an already checked section; absent options keep their defaults. */
    public static DoorLimits from(JsonObject section) {
        if (section == null) {
            return DEFAULTS;
        }
        return new DoorLimits(
                section.getInteger("max_connections", DEFAULTS.maxConnections),
                section.getLong("idle_timeout_ms", DEFAULTS.idleTimeoutMs),
                section.getLong("auth_timeout_ms", DEFAULTS.authTimeoutMs));
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("max_connections", maxConnections)
                .put("idle_timeout_ms", idleTimeoutMs)
                .put("auth_timeout_ms", authTimeoutMs);
    }
}
