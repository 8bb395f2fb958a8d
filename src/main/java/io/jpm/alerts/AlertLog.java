package io.jpm.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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

    /** A delivery to send again: the alert's entry (where its outcome goes), the alert, its webhook. */
    record Unsent(JsonObject entry, Alert alert, String webhook) {}

    /**
     * The deliveries a daemon before this one left {@link Webhooks#WAITING} (it died with them queued or
     * on their way, their outcome never known), oldest alert first, as they were first sent: those to a
     * webhook still configured are returned to be sent again (at least once: a receiver may get one
     * twice, never none); those to a webhook gone are settled here as {@link Webhooks#GONE}.
     * {@code settled} says whether any was, so that the change is written.
     */
    Unfinished unfinished(Set<String> webhooks) {
        List<Unsent> unsent = new ArrayList<>();
        boolean settled = false;
        for (Iterator<JsonObject> it = alerts.descendingIterator(); it.hasNext(); ) {
            JsonObject entry = it.next();
            JsonObject deliveries = entry.getJsonObject("deliveries");
            for (String hook : List.copyOf(deliveries.fieldNames())) {
                if (!Webhooks.WAITING.equals(deliveries.getValue(hook))) {
                    continue;
                }
                if (webhooks.contains(hook)) {
                    unsent.add(new Unsent(entry, Alert.of(entry), hook));
                } else {
                    deliveries.put(hook, Webhooks.GONE);
                    settled = true;
                }
            }
        }
        return new Unfinished(unsent, settled);
    }

    record Unfinished(List<Unsent> unsent, boolean settled) {}

    /** The largest id listed, so that a new rule book numbers on from it. */
    long lastId() {
        return alerts.isEmpty() ? 0 : alerts.peekFirst().getLong("id");
    }
}
