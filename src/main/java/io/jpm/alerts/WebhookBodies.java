package io.jpm.alerts;

import io.jpm.config.AlertSettings.Format;
import io.vertx.core.json.JsonObject;

/**
 * What a webhook is posted: Slack's incoming-webhook body ({@code {"text"}}), Discord's
 * ({@code {"content","username"}}, at most 2,000 characters), or the alert as jpm lists it.
 */
final class WebhookBodies {
    private WebhookBodies() {}

    /** Discord refuses a longer content. */
    static final int DISCORD_MAX = 2_000;

    static JsonObject of(Format format, Alert alert, String host) {
        return switch (format) {
            case SLACK -> new JsonObject().put("text", line(alert, host));
            case DISCORD -> new JsonObject()
                    .put("username", "jpm")
                    .put("content", ExceptionGroups.cut(line(alert, host), DISCORD_MAX - 1));
            case JSON -> alert.toJson(host).put("source", "jpm");
        };
    }

    /** One line for a channel: "[jpm web-1] crash-loop firing: api restarted 4 times in 1m (over 3)". */
    static String line(Alert alert, String host) {
        return "[jpm " + host + "] " + alert.rule() + " " + alert.status() + ": " + alert.text();
    }
}
