package io.jpm.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;

/** The last {@link #MAX_ALERTS} alerts, each with what became of it at each webhook: a ring, the oldest dropped. */
final class AlertLog {
    static final int MAX_ALERTS = 200;

    private final ArrayDeque<JsonObject> alerts = new ArrayDeque<>();

    /** Lists the alert; returns its entry, whose deliveries are filled in as they end. */
    JsonObject add(Alert alert, String host) {
        JsonObject entry = alert.toJson(host).put("deliveries", new JsonObject());
        alerts.addFirst(entry);
        if (alerts.size() > MAX_ALERTS) {
            alerts.removeLast();
        }
        return entry;
    }

    /** The newest first, at most {@code limit}. */
    JsonArray newest(int limit) {
        JsonArray list = new JsonArray();
        for (Iterator<JsonObject> it = alerts.iterator(); it.hasNext() && list.size() < limit; ) {
            list.add(it.next().copy());
        }
        return list;
    }

    /**
     * Takes the entries a daemon before this one listed (alerts.json), newest first, up to the cap;
     * throws (ClassCastException, NullPointerException) on a shape this did not write.
     */
    void restore(JsonArray saved) {
        for (Object o : saved) {
            JsonObject entry = ((JsonObject) o).copy();
            Objects.requireNonNull(entry.getLong("id"));
            Objects.requireNonNull(entry.getLong("time"));
            Objects.requireNonNull(entry.getString("status"));
            Objects.requireNonNull(entry.getString("rule"));
            Objects.requireNonNull(entry.getString("text"));
            if (!(entry.getValue("deliveries") instanceof JsonObject)) {
                entry.put("deliveries", new JsonObject());
            }
            if (alerts.size() < MAX_ALERTS) {
                alerts.addLast(entry);
            }
        }
    }

    /** The largest id listed, so that a new rule book numbers on from it. */
    long lastId() {
        return alerts.isEmpty() ? 0 : alerts.peekFirst().getLong("id");
    }
}
