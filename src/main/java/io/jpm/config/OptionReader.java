package io.jpm.config;

import io.jpm.process.Signal;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.FleetDefinition;
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
 * option ({@code conf/eco.json: app 'api': option 'min_uptime' must be ...}).
 */
final class OptionReader {
    private final String where;

    OptionReader(String where) {
        this.where = where;
    }

    /** A string split as a shell would, or an array of strings; empty when not given. */
    List<String> words(JsonObject app, String label, AppOption option) {
        return words(app, label, option.key);
    }

    /** {@link #words(JsonObject, String, AppOption)} of a name read as given (pm2's old {@code node_args}). */
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

    /** A declared boolean option, its declared default when the app does not give it. */
    boolean bool(JsonObject app, String label, AppOption option) {
        try {
            return option.booleanFrom(app.getMap());
        } catch (IllegalArgumentException e) {
            throw error(label, option, e.getMessage());
        }
    }

    /** A declared whole-number or duration option, its declared default when the app does not give it. */
    long number(JsonObject app, String label, AppOption option) {
        try {
            return option.longFrom(app.getMap());
        } catch (IllegalArgumentException e) {
            throw error(label, option, e.getMessage());
        }
    }

    /** A declared string option, {@code fallback} when the app does not give it. */
    String string(JsonObject app, String label, AppOption option, String fallback) {
        try {
            return option.textFrom(app.getMap(), fallback);
        } catch (IllegalArgumentException e) {
            throw error(label, option, e.getMessage());
        }
    }

    /** A declared string option, its declared default (null for none) when the app does not give it. */
    String string(JsonObject app, String label, AppOption option) {
        return string(app, label, option, option.textDefault());
    }

    JpmException error(String label, AppOption option, String problem) {
        return error(label, option.key, problem);
    }

    JpmException error(String label, String option, String problem) {
        return new JpmException(JpmError.INVALID_CONFIG, message(label, option, problem));
    }

    /** "conf/eco.json: app 'api': option 'instance' is not a known option": for errors and warnings alike. */
    String message(String label, String option, String problem) {
        return where + ": " + label + ": option '" + option + "' " + problem;
    }

    List<String> dependsOn(JsonObject app, String label) {
        Object value = app.getValue(AppOption.DEPENDS_ON.key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s && !s.isBlank()) {
            return List.of(s);
        }
        if (value instanceof JsonArray array && array.stream().allMatch(o -> o instanceof String s && !s.isBlank())) {
            return array.stream().map(String.class::cast).distinct().toList();
        }
        throw error(label, AppOption.DEPENDS_ON, "must be an app name or an array of app names, got " + value);
    }

    /**
     * A fleet app's members ({@code hosts}): node names or {@code "all"}, an array or one string
     * ({@code --hosts web-1,web-2} comes as one, split at its commas); empty when the app gives none.
     * Whether the names are the cluster's members is the cluster's to say, when it places the app.
     */
    List<String> hosts(JsonObject app, String label) {
        Object value = app.getValue(AppOption.HOSTS.key);
        if (value == null) {
            return List.of();
        }
        List<Object> given = value instanceof String s
                ? List.of((Object[]) s.split(",", -1))
                : value instanceof JsonArray array ? array.getList() : List.of(value);
        List<String> hosts = new ArrayList<>();
        for (Object o : given) {
            String host = o instanceof String s ? s.strip() : null;
            if (host == null || !host.matches("[A-Za-z0-9_.-]+")) {
                throw error(
                        label,
                        AppOption.HOSTS,
                        "must be node names of the cluster (letters, digits, '-', '_', '.') or \"all\", got " + value);
            }
            if (!hosts.contains(host)) {
                hosts.add(host);
            }
        }
        if (hosts.isEmpty() || hosts.contains(FleetDefinition.ALL) && hosts.size() > 1) {
            throw error(label, AppOption.HOSTS, "must name one host at least, or be \"all\" alone, got " + value);
        }
        return List.copyOf(hosts);
    }

    int instances(JsonObject app, String label) {
        Object value = app.getValue(AppOption.INSTANCES.key);
        int cores = Runtime.getRuntime().availableProcessors();
        if ("max".equals(value)) {
            return cores;
        }
        long n = number(app, label, AppOption.INSTANCES);
        if (n == 0) {
            return cores;
        }
        if (n < 0) {
            return (int) Math.max(1, cores + n);
        }
        if (n > 1024) {
            throw error(label, AppOption.INSTANCES, "must be at most 1024, got " + n);
        }
        return (int) n;
    }

    /** "fork", "cluster", or null when the app does not say (a port then makes it cluster). */
    String execMode(JsonObject app, String label) {
        String mode = string(app, label, AppOption.EXEC_MODE, null);
        if (mode == null) {
            return null;
        }
        return switch (mode) {
            case "fork", "fork_mode" -> "fork";
            case "cluster", "cluster_mode" -> "cluster";
            default -> throw error(label, AppOption.EXEC_MODE, "must be fork or cluster, got '" + mode + "'");
        };
    }

    Set<Integer> exitCodes(JsonObject app, String label) {
        Object value = app.getValue(AppOption.STOP_EXIT_CODES.key);
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
                throw error(label, AppOption.STOP_EXIT_CODES, "must hold exit codes 0-255, got " + o);
            }
            codes.add(n.intValue());
        }
        return codes;
    }

    Signal signal(JsonObject app, String label) {
        String text = string(app, label, AppOption.KILL_SIGNAL);
        try {
            return Signal.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(label, AppOption.KILL_SIGNAL, e.getMessage());
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

    /** An object of NAME: value ({@code env}, or {@code env_<name>} under {@code --env <name>}); empty when not given. */
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
