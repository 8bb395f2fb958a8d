package io.jpm.alerts;

import io.vertx.core.json.JsonObject;

/**
 * One alert as it is listed and sent: a rule's condition that began to hold for an app ({@code firing}),
 * or stopped holding ({@code resolved}). {@code text} is one line a person reads in a channel; it never holds a webhook URL.
 */
public record Alert(long id, String rule, String when, String app, String status, String text, long time) {
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";

    public JsonObject toJson(String host) {
        return new JsonObject()
                .put("id", id)
                .put("rule", rule)
                .put("when", when)
                .put("app", app)
                .put("status", status)
                .put("text", text)
                .put("time", time)
                .put("host", host);
    }

    /** The alert {@link #toJson} wrote; its host is not kept: whoever sends it again names its own. */
    public static Alert of(JsonObject json) {
        return new Alert(
                json.getLong("id"),
                json.getString("rule"),
                json.getString("when"),
                json.getString("app"),
                json.getString("status"),
                json.getString("text"),
                json.getLong("time"));
    }
}
