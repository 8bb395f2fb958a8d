package io.jpm.config;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's own settings file, JPM_HOME/jpm.json (example: conf/jpm.json, docs/CONFIG.md):
 * one object per verticle, {@code {"logs":{..},"satan":{..},"balancer":{..},"persist":{..}}}. Each
 * verticle reads its section and applies defaults for what is absent. This class checks the shape
 * and the sections jpm's persistence owns; each other section is checked by the verticle that owns it.
 */
public final class DaemonSettings {
    private DaemonSettings() {}

    public static final Set<String> SECTIONS = Set.of(
            "logs",
            "satan",
            "balancer",
            "persist",
            "ecosystem",
            "cluster",
            "web",
            "access",
            "bridge",
            "history",
            "alerts");
    /** The "persist" section's options and their types. */
    private static final Map<String, Class<?>> PERSIST =
            Map.of("auto_dump", Boolean.class, "renew_after_burst", Boolean.class);
    /** The "ecosystem" section's (the config watcher's) options and their types. */
    private static final Map<String, Class<?>> ECOSYSTEM = Map.of("hot_reload", Boolean.class, "strict", Boolean.class);
    /** The "history" section's options (the daemon's history of the apps' figures). */
    private static final Map<String, Class<?>> HISTORY = Map.of("enabled", Boolean.class);
    /** The "access" section's options (what the read-only token sees: io.jpm.protocol.Access). */
    private static final Map<String, Class<?>> ACCESS = Map.of("read_only_sees_env", Boolean.class);

    /** Every section present, as an object; an absent section is an empty object. */
    public static JsonObject parse(String where, String text) {
        JsonObject json;
        try {
            json = text.isBlank() ? new JsonObject() : new JsonObject(text);
        } catch (DecodeException e) {
            String m = e.getMessage();
            throw new JpmException(
                    JpmError.INVALID_CONFIG,
                    where + ": not valid JSON: " + (m.contains("\n") ? m.substring(0, m.indexOf('\n')) : m));
        } catch (ClassCastException e) {
            throw new JpmException(JpmError.INVALID_CONFIG, where + ": must hold one JSON object");
        }
        for (String key : json.fieldNames()) {
            if (!SECTIONS.contains(key)) {
                String hint = Spelling.closest(key, SECTIONS)
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse("");
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        where + ": '" + key + "' is not a section" + hint + "; the sections are "
                                + String.join(", ", SECTIONS.stream().sorted().toList()));
            }
            if (!(json.getValue(key) instanceof JsonObject)) {
                throw new JpmException(JpmError.INVALID_CONFIG, where + ": section '" + key + "' must be an object");
            }
        }
        checkBooleans(where, "persist", json.getJsonObject("persist", new JsonObject()), PERSIST);
        checkBooleans(where, "ecosystem", json.getJsonObject("ecosystem", new JsonObject()), ECOSYSTEM);
        checkBooleans(where, "access", json.getJsonObject("access", new JsonObject()), ACCESS);
        checkBooleans(where, "history", json.getJsonObject("history", new JsonObject()), HISTORY);
        SatanSettings.parse(where, json.getJsonObject("satan", new JsonObject()));
        WebSettings.parse(where, json.getJsonObject("web", new JsonObject()));
        BridgeSettings.parse(where, json.getJsonObject("bridge", new JsonObject()));
        LogRotationPolicy.check(where, json.getJsonObject("logs", new JsonObject()));
        AlertSettings.parse(where, json.getJsonObject("alerts", new JsonObject()));
        JsonObject cluster = json.getJsonObject("cluster", new JsonObject());
        if (!cluster.isEmpty()) {
            ClusterSettings.parse(where, cluster);
        }
        JsonObject balancer = json.getJsonObject("balancer", new JsonObject());
        for (String option : balancer.fieldNames()) {
            if (!option.equals("queue_timeout_ms")) {
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        where + ": balancer: option '" + option + "' is not a known option"
                                + " (the balancer has queue_timeout_ms)");
            }
            if (!(balancer.getValue(option) instanceof Number n)
                    || n.doubleValue() != n.longValue()
                    || n.longValue() < 1) {
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        where + ": balancer: option 'queue_timeout_ms' must be a positive"
                                + " whole number of milliseconds, got " + balancer.getValue(option));
            }
        }
        JsonObject all = new JsonObject();
        for (String section : SECTIONS.stream().sorted().toList()) {
            all.put(section, json.getJsonObject(section, new JsonObject()));
        }
        return all;
    }

    private static void checkBooleans(String where, String section, JsonObject options, Map<String, Class<?>> known) {
        for (String option : options.fieldNames()) {
            Class<?> type = known.get(option);
            if (type == null) {
                String hint = Spelling.closest(option, known.keySet())
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse("");
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        where + ": " + section + ": option '" + option + "' is not a known option" + hint);
            }
            if (!type.isInstance(options.getValue(option))) {
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        where + ": " + section + ": option '" + option + "' must be true or false, got "
                                + options.getValue(option));
            }
        }
    }

    /** Every section, empty: the defaults. */
    public static JsonObject defaults() {
        return parse("defaults", "{}");
    }
}
