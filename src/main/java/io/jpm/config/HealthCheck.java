package io.jpm.config;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * An app's health probe (jpm's own option {@code health}; pm2 has none). One of {@code http}
 * (a path probed on the instance's PORT, or a full URL; 2xx and 3xx pass), {@code tcp} (a port,
 * {@code host:port}, or true for PORT; a connect passes) or {@code exec} (a shell command; exit 0
 * passes).
 *
 * @param target the path, URL, port or command, as given
 * @param intervalMs time between two probes
 * @param timeoutMs a probe that takes longer fails
 * @param unhealthyAfter failures in a row that make the instance unhealthy (and restart it)
 * @param startPeriodMs after a start, failures in this window do not count (a slow boot)
 */
public record HealthCheck(
        Kind kind, String target, long intervalMs, long timeoutMs, int unhealthyAfter, long startPeriodMs) {

    /** What a probe does. */
    public enum Kind {
        HTTP,
        TCP,
        EXEC;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final long DEFAULT_INTERVAL_MS = 5_000;
    public static final long DEFAULT_TIMEOUT_MS = 1_000;
    public static final int DEFAULT_UNHEALTHY_AFTER = 3;
    public static final long DEFAULT_START_PERIOD_MS = 0;

    public JsonObject toJson() {
        return new JsonObject()
                .put(kind.word(), target)
                .put("interval", intervalMs)
                .put("timeout", timeoutMs)
                .put("unhealthy_after", unhealthyAfter)
                .put("start_period", startPeriodMs);
    }

    /** Reads back {@link #toJson()}; null for null. */
    public static HealthCheck fromJson(JsonObject json) {
        if (json == null) {
            return null;
        }
        Kind kind = json.containsKey("http") ? Kind.HTTP : json.containsKey("tcp") ? Kind.TCP : Kind.EXEC;
        return new HealthCheck(
                kind,
                String.valueOf(json.getValue(kind.word())),
                json.getLong("interval"),
                json.getLong("timeout"),
                json.getInteger("unhealthy_after"),
                json.getLong("start_period"));
    }

    /** "http /healthz", for reasons and describe. */
    public String describe() {
        return kind.word() + " " + target;
    }
}
