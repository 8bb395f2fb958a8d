package io.jpm.config;

import io.jpm.protocol.AppOption;
import io.jpm.protocol.Durations;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * When a log file is rotated and what is kept: pm2-logrotate's settings, built in. Rotation renames
 * the file (nothing is copied, so nothing written meanwhile can be lost), keeps {@code retain}
 * rotated files, gzips them when {@code compress}, and rotates also every {@code intervalMs} when
 * that is above 0.
 *
 * @param maxSize rotate once the file would grow past this many bytes
 * @param retain rotated files kept per log file (older ones are deleted)
 * @param compress gzip rotated files
 * @param intervalMs rotate a file this long after it was opened; 0 = by size only
 */
public record LogRotationPolicy(long maxSize, int retain, boolean compress, long intervalMs) {
    public static final long DEFAULT_MAX_SIZE = 10L * 1024 * 1024;
    public static final int DEFAULT_RETAIN = 10;
    /** The section's options: the app options that override them per app. */
    private static final List<String> OPTIONS = Stream.of(
                    AppOption.MAX_SIZE, AppOption.RETAIN, AppOption.COMPRESS, AppOption.ROTATE_INTERVAL)
            .map(o -> o.key)
            .toList();

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmg]?)b?");

    public static LogRotationPolicy defaults() {
        return new LogRotationPolicy(DEFAULT_MAX_SIZE, DEFAULT_RETAIN, false, 0);
    }

    /**
     * The daemon-wide policy from the settings section "logs" ({"max_size","retain","compress",
     * "rotate_interval"}); absent keys keep their defaults.
     *
     * @throws IllegalArgumentException naming the key that is wrong
     */
    public static LogRotationPolicy fromSettings(JsonObject section) {
        LogRotationPolicy d = defaults();
        if (section == null) {
            return d;
        }
        return new LogRotationPolicy(
                read(section, AppOption.MAX_SIZE, LogRotationPolicy::size, d.maxSize),
                read(section, AppOption.RETAIN, LogRotationPolicy::retain, d.retain),
                read(section, AppOption.COMPRESS, LogRotationPolicy::bool, d.compress),
                read(section, AppOption.ROTATE_INTERVAL, LogRotationPolicy::interval, d.intervalMs));
    }

    /** The section's value of a rotation option (the app option of the same name), {@code fallback} when absent. */
    private static <T> T read(JsonObject section, AppOption option, BiFunction<String, Object, T> read, T fallback) {
        return option.givenIn(section.getMap()) ? read.apply(option.key, section.getValue(option.key)) : fallback;
    }

    /**
     * Checks the settings section "logs" of {@code where} (the settings file).
     *
     * @throws io.jpm.protocol.JpmException naming the file, the section and the option
     */
    public static void check(String where, JsonObject section) {
        for (String key : section.fieldNames()) {
            if (!OPTIONS.contains(key)) {
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        where + ": logs: option '" + key
                                + "' is not a known option; the options are compress, max_size, retain, rotate_interval");
            }
        }
        try {
            fromSettings(section);
        } catch (IllegalArgumentException e) {
            throw new JpmException(
                    JpmError.INVALID_CONFIG,
                    where + ": logs: option '"
                            + e.getMessage().substring(0, e.getMessage().indexOf(' ')) + "'"
                            + e.getMessage().substring(e.getMessage().indexOf(' ')));
        }
    }

    /** This policy with an app's own settings (null = keep the daemon-wide one). */
    public LogRotationPolicy with(Long maxSize, Integer retain, Boolean compress, Long intervalMs) {
        return new LogRotationPolicy(
                maxSize != null ? maxSize : this.maxSize,
                retain != null ? retain : this.retain,
                compress != null ? compress : this.compress,
                intervalMs != null ? intervalMs : this.intervalMs);
    }

    /** Bytes from a number or pm2-logrotate's "10M", "500K", "1G" (also with a trailing B). */
    static long size(String option, Object value) {
        if (value instanceof Number n && n.longValue() > 0 && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        if (value instanceof String s) {
            Matcher m = SIZE.matcher(s.trim().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                double factor =
                        switch (m.group(2)) {
                            case "k" -> 1024;
                            case "m" -> 1024 * 1024;
                            case "g" -> 1024 * 1024 * 1024;
                            default -> 1;
                        };
                long bytes = Math.round(Double.parseDouble(m.group(1)) * factor);
                if (bytes > 0) {
                    return bytes;
                }
            }
        }
        throw new IllegalArgumentException(
                option + " must be a size above 0 like \"10M\", \"500K\" or a number of bytes, got " + value);
    }

    static int retain(String option, Object value) {
        if (value instanceof Number n
                && n.doubleValue() == n.longValue()
                && n.longValue() >= 1
                && n.longValue() <= 10_000) {
            return n.intValue();
        }
        if (value instanceof String s && s.matches("\\d{1,5}") && Integer.parseInt(s) >= 1) {
            return Integer.parseInt(s);
        }
        throw new IllegalArgumentException(option + " must be a whole number of files from 1 to 10000, got " + value);
    }

    static boolean bool(String option, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        throw new IllegalArgumentException(option + " must be true or false, got " + value);
    }

    static long interval(String option, Object value) {
        long ms = value instanceof Number n && n.doubleValue() >= 0
                ? n.longValue()
                : value instanceof String s ? parseInterval(s) : -1;
        if (ms < 0) {
            throw new IllegalArgumentException(
                    option + " must be a duration like \"1h\" or \"1d\" (0 = off), got " + value);
        }
        return ms;
    }

    private static long parseInterval(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+(\\.\\d+)?\\s*d")) {
            return Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 86_400_000L);
        }
        return Durations.parseMillis(t);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put(AppOption.MAX_SIZE.key, maxSize)
                .put(AppOption.RETAIN.key, retain)
                .put(AppOption.COMPRESS.key, compress)
                .put(AppOption.ROTATE_INTERVAL.key, intervalMs);
    }
}
