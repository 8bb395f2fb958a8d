package io.jpm.config;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The HTTP server's settings, the {@code "web"} section of JPM_HOME/jpm.json: off unless asked
 * for, on loopback, on pm2 web's port.
 *
 * <pre>{"enabled": true, "host": "127.0.0.1", "port": 9615, "open_metrics": false}</pre>
 *
 * <p>Off loopback the door speaks HTTPS ({@code tls_key}, {@code tls_cert}) or is refused, unless
 * {@code insecure_no_tls} (see {@link DoorTls}).
 *
 * @param enabled whether the daemon serves HTTP at all
 * @param host the address to listen on (loopback by default: the door is as private as the bridge)
 * @param port the port; 0 picks a free one
 * @param openMetrics true: {@code GET /metrics} answers without a token, for a scraper on the same host
 * @param tls the door's TLS (tls_key, tls_cert, insecure_no_tls)
 * @param limits the connection cap and idle timeout ({@code max_connections}, {@code idle_timeout_ms})
 */
public record WebSettings(boolean enabled, String host, int port, boolean openMetrics, DoorTls tls, DoorLimits limits) {
    public static final WebSettings DEFAULTS = new WebSettings(false, "127.0.0.1", 9615, false);
    private static final Set<String> OPTIONS = Set.of(
            "enabled",
            "host",
            "port",
            "open_metrics",
            "tls_key",
            "tls_cert",
            "insecure_no_tls",
            "max_connections",
            "idle_timeout_ms");

    /** Plain HTTP settings with the default limits. */
    public WebSettings(boolean enabled, String host, int port, boolean openMetrics) {
        this(enabled, host, port, openMetrics, DoorTls.NONE, DoorLimits.DEFAULTS);
    }

    /** Validates a section: unknown options and wrong types are refused, naming the file and the option. */
    public static WebSettings parse(String where, JsonObject section) {
        for (String key : section.fieldNames()) {
            if (!OPTIONS.contains(key)) {
                String hint = Spelling.closest(key, OPTIONS)
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse("");
                throw new JpmException(
                        JpmError.INVALID_CONFIG, where + ": web: option '" + key + "' is not a known option" + hint);
            }
            if (key.startsWith("tls_") || key.equals("insecure_no_tls")) {
                continue; // DoorTls.check, below
            }
            Object value = section.getValue(key);
            if (key.equals("max_connections") || key.equals("idle_timeout_ms")) {
                String expected = DoorLimits.problem("web", key, value);
                if (expected != null) {
                    throw new JpmException(
                            JpmError.INVALID_CONFIG,
                            where + ": web: option '" + key + "' must be " + expected + ", got " + value);
                }
                continue;
            }
            boolean fits =
                    switch (key) {
                        case "enabled", "open_metrics" -> value instanceof Boolean;
                        case "host" -> value instanceof String s && !s.isBlank();
                        default -> value instanceof Number n
                                && n.doubleValue() == n.intValue()
                                && n.intValue() >= 0
                                && n.intValue() <= 65535;
                    };
            if (!fits) {
                String expected =
                        switch (key) {
                            case "enabled", "open_metrics" -> "true or false";
                            case "host" -> "an address to listen on, like \"127.0.0.1\"";
                            default -> "a port number from 0 to 65535";
                        };
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        where + ": web: option '" + key + "' must be " + expected + ", got " + value);
            }
        }
        DoorTls.check(where, "web", section);
        return from(section);
    }

    /** The settings of an already validated section; absent options keep their defaults. */
    public static WebSettings from(JsonObject section) {
        if (section == null) {
            return DEFAULTS;
        }
        return new WebSettings(
                section.getBoolean("enabled", DEFAULTS.enabled),
                section.getString("host", DEFAULTS.host),
                section.getInteger("port", DEFAULTS.port),
                section.getBoolean("open_metrics", DEFAULTS.openMetrics),
                DoorTls.from(section),
                DoorLimits.from(section));
    }

    /** What the server is reached at. */
    public String url() {
        return (tls.on() ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
