package io.jpm.protocol;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads pm2-style durations: a number of milliseconds, or "500ms", "3s", "2m", "1h" (any case,
 * spaces around). The one grammar of every duration option: the daemon reads files and requests
 * with it, and the CLI checks its duration flags with it before sending them.
 */
public final class Durations {
    private Durations() {}

    private static final Pattern TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    /**
     * A duration option's value as a file gives it (a number of milliseconds, or text read by
     * {@link #parseMillis}): milliseconds, or -1 when it is not a duration.
     */
    public static long millis(Object value) {
        return value instanceof Number n && n.doubleValue() >= 0
                ? n.longValue()
                : value instanceof String s ? parseMillis(s) : -1;
    }

    /** Milliseconds, or -1 when the text is not a duration. */
    public static long parseMillis(String text) {
        Matcher m = TEXT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        double factor =
                switch (unit) {
                    case "s" -> 1_000;
                    case "m" -> 60_000;
                    case "h" -> 3_600_000;
                    default -> 1;
                };
        return Math.round(value * factor);
    }
}
