package io.jpm.config;

import io.jpm.process.Signal;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.Durations;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads of one app's options, with pm2's leniency (a boolean or a number may come as a
 * string, a duration as "3s"); every refusal names where the apps came from, the app and the
 * option ({@code conf/eco.json: app 'api': option 'kill_timeout' must be ...}).
 */
final class OptionReader {
    private final String where;

    OptionReader(String where) {
        this.where = where;
    }

    List<String> words(JsonObject app, String label, String option) {
        Object value = app.getValue(option);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            try {
                return ShellWords.split(s);
            } catch (IllegalArgumentException e) {
                throw error(label, option, e.getMessage());
            }
        }
        if (value instanceof JsonArray array) {
            List<String> words = new ArrayList<>();
            for (Object o : array) {
                if (o instanceof JsonObject || o instanceof JsonArray || o == null) {
                    throw error(label, option, "must be a string or an array of strings");
                }
                words.add(String.valueOf(o));
            }
            return words;
        }
        throw error(label, option, "must be a string or an array of strings, got " + value);
    }

    String string(JsonObject app, String label, String option, String fallback) {
        Object value = app.getValue(option);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String s)) {
            throw error(label, option, "must be a string, got " + value);
        }
        return s;
    }

    boolean bool(JsonObject app, String label, String option, boolean fallback) {
        Object value = app.getValue(option);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        throw error(label, option, "must be true or false, got " + value);
    }

    long wholeNumber(JsonObject app, String label, String option, long fallback) {
        Object value = app.getValue(option);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        if (value instanceof String s && s.matches("-?\\d+")) {
            return Long.parseLong(s);
        }
        throw error(label, option, "must be a whole number, got " + value);
    }

    long duration(JsonObject app, String label, String option, long fallback) {
        Object value = app.getValue(option);
        if (value == null) {
            return fallback;
        }
        long ms = Durations.millis(value);
        if (ms < 0) {
            throw error(
                    label,
                    option,
                    "must be a duration (milliseconds, or like \"500ms\", \"3s\", \"1m\"), got " + value);
        }
        return ms;
    }

    /** A declared boolean option, its declared default when the app does not give it. */
    boolean bool(JsonObject app, String label, AppOption option) {
        return bool(app, label, option.key, (Boolean) option.defaultValue);
    }

    /** A declared whole-number option, its declared default when the app does not give it. */
    long wholeNumber(JsonObject app, String label, AppOption option) {
        return wholeNumber(app, label, option.key, (Long) option.defaultValue);
    }

    /** A declared duration option, its declared default when the app does not give it. */
    long duration(JsonObject app, String label, AppOption option) {
        return duration(app, label, option.key, (Long) option.defaultValue);
    }

    /** A declared string option, its declared default (null for none) when the app does not give it. */
    String string(JsonObject app, String label, AppOption option) {
        return string(app, label, option.key, (String) option.defaultValue);
    }

    JpmException error(String label, String option, String problem) {
        return new JpmException(JpmError.INVALID_CONFIG, message(label, option, problem));
    }

    /** "conf/eco.json: app 'api': option 'instance' is not a known option": for errors and warnings alike. */
    String message(String label, String option, String problem) {
        return where + ": " + label + ": option '" + option + "' " + problem;
    }

    List<String> dependsOn(JsonObject app, String label) {
        Object value = app.getValue("depends_on");
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s && !s.isBlank()) {
            return List.of(s);
        }
        if (value instanceof JsonArray array && array.stream().allMatch(o -> o instanceof String s && !s.isBlank())) {
            return array.stream().map(String.class::cast).distinct().toList();
        }
        throw error(label, "depends_on", "must be an app name or an array of app names, got " + value);
    }

    int instances(JsonObject app, String label) {
        Object value = app.getValue("instances");
        int cores = Runtime.getRuntime().availableProcessors();
        if (value == null) {
            return 1;
        }
        if ("max".equals(value)) {
            return cores;
        }
        long n = wholeNumber(app, label, "instances", 1);
        if (n == 0) {
            return cores;
        }
        if (n < 0) {
            return (int) Math.max(1, cores + n);
        }
        if (n > 1024) {
            throw error(label, "instances", "must be at most 1024, got " + n);
        }
        return (int) n;
    }

    /** "fork", "cluster", or null when the app does not say (a port then makes it cluster). */
    String execMode(JsonObject app, String label) {
        String mode = string(app, label, "exec_mode", null);
        if (mode == null) {
            return null;
        }
        return switch (mode) {
            case "fork", "fork_mode" -> "fork";
            case "cluster", "cluster_mode" -> "cluster";
            default -> throw error(label, "exec_mode", "must be fork or cluster, got '" + mode + "'");
        };
    }

    Set<Integer> exitCodes(JsonObject app, String label) {
        Object value = app.getValue("stop_exit_codes");
        if (value == null) {
            return Set.of();
        }
        JsonArray array = value instanceof JsonArray a ? a : new JsonArray().add(value);
        Set<Integer> codes = new HashSet<>();
        for (Object o : array) {
            if (!(o instanceof Number n)
                    || n.doubleValue() != n.longValue()
                    || n.longValue() < 0
                    || n.longValue() > 255) {
                throw error(label, "stop_exit_codes", "must hold exit codes 0-255, got " + o);
            }
            codes.add(n.intValue());
        }
        return codes;
    }

    Signal signal(JsonObject app, String label) {
        String text = string(app, label, "kill_signal", "SIGINT");
        try {
            return Signal.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(label, "kill_signal", e.getMessage());
        }
    }

    /**
     * A value of {@code env} as the app sees it: an object or an array as its JSON text (pm2's
     * mergeEnvironmentVariables stringifies them), null as empty, anything else as written.
     */
    static String envValue(Object value) {
        if (value instanceof JsonObject object) {
            return object.encode();
        }
        if (value instanceof JsonArray array) {
            return array.encode();
        }
        return value == null ? "" : String.valueOf(value);
    }

    Map<String, String> envObject(JsonObject app, String label, String option) {
        Object value = app.getValue(option);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof JsonObject object)) {
            throw error(label, option, "must be an object of NAME: value");
        }
        Map<String, String> env = new LinkedHashMap<>();
        object.forEach(e -> env.put(e.getKey(), envValue(e.getValue())));
        return env;
    }
}
