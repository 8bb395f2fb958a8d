package io.jpm.protocol;

import java.util.List;
import java.util.stream.Stream;

/**
 * The grammar of an app option's value ({@link AppOption}), and how a start flag's text becomes the
 * value an ecosystem file would give: the CLI sends the options by pm2's names, the daemon reads
 * them as it reads a file. A flag refused here is refused before the round trip with the same
 * grammar the daemon uses (a duration through {@link Durations}); the rest (a range, a cron
 * expression, a signal name) is the daemon's to check, once, whichever way the value came.
 */
public enum OptionType {
    /** A string, sent as written. */
    TEXT,
    /** true or false ({@code "true"} in a file too); a flag is a switch. */
    BOOLEAN,
    /** A whole number; a flag takes digits only (a negative count is a file's, not a flag's). */
    WHOLE_NUMBER,
    /** Milliseconds, or text like "500ms", "3s", "2m", "1h" ({@link Durations}). */
    DURATION,
    /** Bytes, or a number with K, M, G. */
    SIZE,
    /** A signal name or number. */
    SIGNAL,
    /** A cron expression. */
    CRON,
    /** A string split like a shell would, or an array of strings. */
    WORDS,
    /** A path; a flag's relative path is the client's folder's (the CLI resolves it). */
    PATH,
    /** A path, or true for the default one ({@code -l} alone). */
    PATH_OR_TRUE,
    /** A number, "max" or 0 (one per core), -N (the cores minus N). */
    INSTANCES,
    /** An exit code or an array of them; a flag takes them separated by commas or spaces. */
    EXIT_CODES,
    /** true, false, a path or an array of paths; a flag alone is true, {@code --watch=a,b} the paths. */
    PATHS,
    /** Paths or globs, a string or an array; a flag takes them separated by spaces. */
    PATTERNS,
    /** true, a prefix or an array of prefixes; a flag alone is true, else prefixes by commas or spaces. */
    PREFIXES,
    /** An object (env, health, watch_options): no flag gives one. */
    OBJECT,
    /** An app name or an array of them. */
    NAMES;

    /**
     * The value a flag's text stands for, as a file would give it.
     *
     * @throws IllegalArgumentException whose message completes "--flag ..." ("expects a duration like ...")
     */
    public Object fromFlag(String text) {
        return switch (this) {
            case BOOLEAN -> Boolean.parseBoolean(text);
            case WHOLE_NUMBER -> wholeNumber(text);
            case DURATION -> duration(text);
            case PATH_OR_TRUE -> "true".equals(text) ? (Object) Boolean.TRUE : text;
            case INSTANCES -> instances(text);
            case EXIT_CODES -> Stream.of(text.split("[,\\s]+"))
                    .map(OptionType::wholeNumber)
                    .toList();
            case PATHS -> "true".equals(text) ? (Object) Boolean.TRUE : List.of(text.split(","));
            case PATTERNS -> List.of(text.trim().split("\\s+"));
            case PREFIXES -> "true".equals(text) ? (Object) Boolean.TRUE : List.of(text.split("[,\\s]+"));
            case TEXT, SIZE, SIGNAL, CRON, WORDS, PATH, OBJECT, NAMES -> text;
        };
    }

    /**
     * A whole number or a duration in milliseconds as a file gives it, with pm2's leniency (a number
     * may come as a string, a duration as "3s").
     *
     * @throws IllegalArgumentException whose message completes "option 'x' ..." ("must be a whole number, got x")
     */
    public long longValue(Object value) {
        return switch (this) {
            case WHOLE_NUMBER, INSTANCES -> {
                if (value instanceof Number n && n.doubleValue() == n.longValue()) {
                    yield n.longValue();
                }
                if (value instanceof String s && s.matches("-?\\d+")) {
                    yield Long.parseLong(s);
                }
                throw new IllegalArgumentException("must be a whole number, got " + value);
            }
            case DURATION -> {
                long ms = Durations.millis(value);
                if (ms < 0) {
                    throw new IllegalArgumentException(
                            "must be a duration (milliseconds, or like \"500ms\", \"3s\", \"1m\"), got " + value);
                }
                yield ms;
            }
            default -> throw new IllegalStateException(this + " is not read as a number");
        };
    }

    /**
     * true or false as a file gives it ({@code "true"} and {@code "false"} too, as pm2 reads them).
     *
     * @throws IllegalArgumentException whose message completes "option 'x' ..."
     */
    public static boolean booleanValue(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        throw new IllegalArgumentException("must be true or false, got " + value);
    }

    /**
     * A string as a file gives it.
     *
     * @throws IllegalArgumentException whose message completes "option 'x' ..."
     */
    public static String textValue(Object value) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("must be a string, got " + value);
    }

    private static Object wholeNumber(String text) {
        if (!text.matches("\\d{1,9}")) {
            throw new IllegalArgumentException("expects a whole number, got '" + text + "'");
        }
        return Long.parseLong(text);
    }

    private static Object duration(String text) {
        if (Durations.parseMillis(text) < 0) {
            throw new IllegalArgumentException("expects a duration like 1000, 500ms or 3s, got '" + text + "'");
        }
        return text.matches("\\d+") ? (Object) Long.parseLong(text) : text;
    }

    private static Object instances(String text) {
        if (text.equals("max")) {
            return text;
        }
        if (!text.matches("-?\\d{1,18}")) {
            throw new IllegalArgumentException("expects a number or max, got '" + text + "'");
        }
        return Long.parseLong(text);
    }
}
