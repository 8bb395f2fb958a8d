package io.jpm.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the rules' state a daemon hands the next one (in JPM_HOME/alerts.json), so that a restart is
 * not a new condition: each firing sent and not resolved yet (the next daemon sends its
 * {@code resolved}, never a second {@code firing} for a condition that still holds), the last firing
 * of each rule and app within the window (one that clears and holds again, or the next exception,
 * is held back as on one daemon), each rule's firings within its window (its {@code max_per_window}),
 * and the restarts the restart rules count.
 *
 * @param firing the conditions that fired: {"rule","app","fired","open"} ({@code open}: not resolved yet)
 * @param fired each rule's firings within the window, oldest first
 * @param restarts each app's restart times, oldest first
 */
record CarriedRules(List<Firing> firing, Map<String, List<Long>> fired, Map<String, List<Long>> restarts) {
    /** Conditions carried at most: each is one rule and one app. */
    static final int MAX_FIRING = 1_000;

    record Firing(String rule, String app, long fired, boolean open) {}

    static CarriedRules none() {
        return new CarriedRules(List.of(), Map.of(), Map.of());
    }

    JsonObject toJson() {
        JsonArray firings = new JsonArray();
        firing.forEach(f -> firings.add(new JsonObject()
                .put("rule", f.rule())
                .put("app", f.app())
                .put("fired", f.fired())
                .put("open", f.open())));
        return new JsonObject()
                .put("firing", firings)
                .put("fired", times(fired))
                .put("restarts", times(restarts));
    }

    /** Throws (ClassCastException, NullPointerException) on a shape this did not write: the caller starts empty. */
    static CarriedRules fromJson(JsonObject json) {
        List<Firing> firing = new ArrayList<>();
        for (Object o : json.getJsonArray("firing", new JsonArray())) {
            JsonObject f = (JsonObject) o;
            if (firing.size() < MAX_FIRING) {
                firing.add(new Firing(
                        Objects.requireNonNull(f.getString("rule")),
                        Objects.requireNonNull(f.getString("app")),
                        f.getLong("fired"),
                        f.getBoolean("open")));
            }
        }
        return new CarriedRules(
                firing,
                times(json.getJsonObject("fired", new JsonObject())),
                times(json.getJsonObject("restarts", new JsonObject())));
    }

    private static JsonObject times(Map<String, List<Long>> byName) {
        JsonObject json = new JsonObject();
        byName.forEach((name, times) -> json.put(name, new JsonArray(new ArrayList<>(times))));
        return json;
    }

    private static Map<String, List<Long>> times(JsonObject json) {
        Map<String, List<Long>> byName = new LinkedHashMap<>();
        for (String name : json.fieldNames()) {
            List<Long> times = new ArrayList<>();
            for (Object t : json.getJsonArray(name)) {
                if (times.size() < RuleBook.MAX_RESTART_TIMES) {
                    times.add(((Number) t).longValue());
                }
            }
            byName.put(name, times);
        }
        return byName;
    }
}
