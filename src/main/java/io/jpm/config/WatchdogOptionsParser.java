package io.jpm.config;

import io.jpm.protocol.AppOption;
import io.jpm.protocol.Durations;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads Satan's options of one app: {@code health}, {@code max_memory_restart},
 * {@code cron_restart}, {@code watch}, {@code ignore_watch}, {@code watch_delay},
 * {@code errored_retry}, {@code metrics_url}. Errors name where the app came from, the app and the option.
 */
public final class WatchdogOptionsParser {
    /** pm2's size syntax: bytes, or a number with K, M or G (powers of 1024). */
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMG])?B?");

    private static final List<String> HEALTH_KEYS =
            List.of("http", "tcp", "exec", "interval", "timeout", "unhealthy_after", "start_period");

    private final String where;
    private final String label;
    /** Takes a warning (an option jpm does not act on), already naming where, the app and the option. */
    private final Consumer<String> warn;

    /**
     * @param where the file or "command line"
     * @param label "app 'api'"
     */
    public WatchdogOptionsParser(String where, String label) {
        this(where, label, message -> {});
    }

    WatchdogOptionsParser(String where, String label, Consumer<String> warn) {
        this.where = where;
        this.label = label;
        this.warn = warn;
    }

    public WatchdogOptions parse(JsonObject app, Path cwd) {
        HealthCheck health = health(app.getValue(AppOption.HEALTH.key));
        long maxMemory = size(app.getValue(AppOption.MAX_MEMORY_RESTART.key));
        String cron = cron(app.getValue(AppOption.CRON_RESTART.key));
        List<String> paths = watchPaths(app.getValue(AppOption.WATCH.key), cwd);
        Object ignoreWatch = app.getValue(AppOption.IGNORE_WATCH.key);
        List<String> ignore = ignoreWatch == null
                ? WatchdogOptions.DEFAULT_IGNORE
                : ignorePatterns(AppOption.IGNORE_WATCH.key, ignoreWatch);
        WatchOptionsParser.Result watching = new WatchOptionsParser(
                        this::error,
                        (option, problem) -> warn.accept(where + ": " + label + ": option '" + option + "' " + problem))
                .parse(
                        app.getValue(AppOption.WATCH_OPTIONS.key),
                        value -> ignorePatterns(AppOption.WATCH_OPTIONS.key + ".ignored", value));
        if (watching.ignored() != null) {
            ignore = watching.ignored();
        }
        long watchDelay = Math.max(
                Math.max(WatchdogOptions.MIN_WATCH_DELAY_MS, watching.minDelayMs()),
                duration(app, AppOption.WATCH_DELAY, AppOption.WATCH_DELAY.longDefault()));
        long erroredRetry = duration(app, AppOption.ERRORED_RETRY, 0);
        return new WatchdogOptions(
                health,
                maxMemory,
                cron,
                paths != null,
                paths == null ? List.of() : paths,
                ignore,
                watchDelay,
                erroredRetry,
                watching.options(),
                metricsUrl(app.getValue(AppOption.METRICS_URL.key)));
    }

    /** A path on the run's PORT ("/metrics"), or an http URL, where {PORT} stands for the run's PORT. */
    private String metricsUrl(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String url)
                || !(url.startsWith("/") || url.startsWith("http://") || url.startsWith("https://"))) {
            throw error(
                    AppOption.METRICS_URL.key,
                    "must be a path served on the app's PORT, like \"/metrics\", or an http:// URL, got " + value);
        }
        return url;
    }

    private HealthCheck health(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonObject h)) {
            throw error(AppOption.HEALTH.key, "must be an object like {\"http\": \"/healthz\", \"interval\": \"5s\"}");
        }
        for (String key : h.fieldNames()) {
            if (!HEALTH_KEYS.contains(key)) {
                throw error("health." + key, "is not a known health option (" + String.join(", ", HEALTH_KEYS) + ")");
            }
        }
        List<HealthCheck.Kind> kinds = new ArrayList<>();
        for (HealthCheck.Kind kind : HealthCheck.Kind.values()) {
            if (h.containsKey(kind.word())) {
                kinds.add(kind);
            }
        }
        if (kinds.size() != 1) {
            throw error(AppOption.HEALTH.key, "needs exactly one of http, tcp or exec");
        }
        HealthCheck.Kind kind = kinds.get(0);
        String target = probeTarget(kind, h.getValue(kind.word()));
        long interval = duration(h, "interval", HealthCheck.DEFAULT_INTERVAL_MS, "health.interval");
        long timeout = duration(h, "timeout", HealthCheck.DEFAULT_TIMEOUT_MS, "health.timeout");
        if (interval < 100) {
            throw error("health.interval", "must be at least 100ms, got " + h.getValue("interval"));
        }
        if (timeout < 1 || timeout > interval) {
            throw error(
                    "health.timeout",
                    "must be between 1ms and the interval (" + interval + " ms), got " + h.getValue("timeout"));
        }
        Object after = h.getValue("unhealthy_after", HealthCheck.DEFAULT_UNHEALTHY_AFTER);
        if (!(after instanceof Number n)
                || n.doubleValue() != n.intValue()
                || n.intValue() < 1
                || n.intValue() > 1000) {
            throw error("health.unhealthy_after", "must be a whole number from 1 to 1000, got " + after);
        }
        long start = duration(h, "start_period", HealthCheck.DEFAULT_START_PERIOD_MS, "health.start_period");
        return new HealthCheck(kind, target, interval, timeout, n.intValue(), start);
    }

    private String probeTarget(HealthCheck.Kind kind, Object value) {
        String option = "health." + kind.word();
        switch (kind) {
            case HTTP:
                if (value instanceof String s
                        && (s.startsWith("/") || s.startsWith("http://") || s.startsWith("https://"))) {
                    return s;
                }
                throw error(
                        option,
                        "must be a path starting with / (probed on the instance's PORT) or a full http:// URL, got "
                                + value);
            case TCP:
                if (Boolean.TRUE.equals(value)) {
                    return "PORT";
                }
                String text = String.valueOf(value);
                if ((value instanceof Number || value instanceof String)
                        && text.matches("(?:[^:\\s]+:)?\\d{1,5}")
                        && Integer.parseInt(text.substring(text.lastIndexOf(':') + 1)) <= 65535) {
                    return text;
                }
                throw error(option, "must be a port, host:port, or true for the instance's PORT, got " + value);
            default:
                if (value instanceof String s && !s.isBlank()) {
                    return s;
                }
                throw error(option, "must be a command line, got " + value);
        }
    }

    /** Bytes of pm2's max_memory_restart ("300M", "1G", "512K", or a number of bytes); 0 = none. */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        double value = Double.parseDouble(m.group(1));
        long factor = m.group(2) == null
                ? 1
                : switch (m.group(2)) {
                    case "K" -> 1024L;
                    case "M" -> 1024L * 1024;
                    default -> 1024L * 1024 * 1024;
                };
        return Math.round(value * factor);
    }

    private long size(Object value) {
        if (value == null) {
            return 0;
        }
        long bytes = value instanceof Number n && n.doubleValue() >= 0
                ? n.longValue()
                : value instanceof String s ? parseSize(s) : -1;
        if (bytes <= 0) {
            throw error(
                    AppOption.MAX_MEMORY_RESTART.key,
                    "must be a size like \"300M\", \"1G\", \"512K\" or a number of bytes, got " + value);
        }
        return bytes;
    }

    private String cron(Object value) {
        // pm2 (Common.sink.determineCron): 0 or "0" means no cron restart
        if (value == null || "0".equals(String.valueOf(value)) || (value instanceof Number n && n.doubleValue() == 0)) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw error(AppOption.CRON_RESTART.key, "must be a cron expression string, got " + value);
        }
        try {
            CronExpressions.parse(s);
        } catch (IllegalArgumentException e) {
            throw error(AppOption.CRON_RESTART.key, "is not a valid cron expression '" + s + "': " + e.getMessage());
        }
        return s.trim();
    }

    /** null when not watching; the cwd for true; else the listed paths resolved against cwd. */
    private List<String> watchPaths(Object value, Path cwd) {
        if (value == null || Boolean.FALSE.equals(value) || "false".equals(value)) {
            return null;
        }
        if (Boolean.TRUE.equals(value) || "true".equals(value)) {
            return List.of(cwd.toString());
        }
        List<String> items = strings(AppOption.WATCH.key, value);
        if (items.isEmpty()) {
            throw error(AppOption.WATCH.key, "must be true, false, a path or a non-empty array of paths");
        }
        return items.stream()
                .map(p -> cwd.resolve(globBase(p)).normalize().toString())
                .toList();
    }

    /**
     * A path of chokidar's glob syntax ({@code "**"}, {@code "src/**\/*.js"}) watches the folder before
     * its first segment with a wildcard (the cwd for {@code "**"}), the whole of it: pm2's watch takes
     * globs; jpm watches at least what they match.
     */
    static String globBase(String path) {
        List<String> base = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            if (segment.matches(".*[*?\\[\\]{}].*")) {
                String folder = String.join("/", base);
                return folder.isEmpty() ? (path.startsWith("/") ? "/" : ".") : folder;
            }
            base.add(segment);
        }
        return path;
    }

    private List<String> ignorePatterns(String option, Object value) {
        List<String> patterns = strings(option, value);
        for (String p : patterns) {
            if (IgnorePatterns.looksLikeRegex(p)) {
                try {
                    Pattern.compile(p);
                } catch (PatternSyntaxException e) {
                    throw error(option, "has a bad regular expression '" + p + "': " + e.getDescription());
                }
            }
        }
        return patterns;
    }

    private List<String> strings(String option, Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof JsonArray array) {
            List<String> items = new ArrayList<>();
            for (Object o : array) {
                if (!(o instanceof String s) || s.isEmpty()) {
                    throw error(option, "must hold non-empty strings, got " + o);
                }
                items.add(s);
            }
            return items;
        }
        throw error(option, "must be a string or an array of strings, got " + value);
    }

    /** A declared duration option, {@code fallback} when the app does not give it. */
    private long duration(JsonObject app, AppOption option, long fallback) {
        try {
            return option.longFrom(app.getMap(), fallback);
        } catch (IllegalArgumentException e) {
            throw error(option.key, e.getMessage());
        }
    }

    private long duration(JsonObject json, String key, long fallback, String option) {
        Object value = json.getValue(key);
        if (value == null) {
            return fallback;
        }
        long ms = Durations.millis(value);
        if (ms < 0) {
            throw error(option, "must be a duration (milliseconds, or like \"500ms\", \"3s\", \"1m\"), got " + value);
        }
        return ms;
    }

    private JpmException error(String option, String problem) {
        return new JpmException(JpmError.INVALID_CONFIG, where + ": " + label + ": option '" + option + "' " + problem);
    }
}
