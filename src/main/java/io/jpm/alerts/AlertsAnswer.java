package io.jpm.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * What {@code jpm.query.alerts} answers: the rules with the alerts their limits held back, the
 * webhooks as shown (a URL's scheme and host: its path is the key), the newest alerts listed.
 */
final class AlertsAnswer {
    private AlertsAnswer() {}

    static JsonObject of(String host, RuleBook book, AlertLog log, long droppedDeliveries, int limit) {
        JsonArray rules = new JsonArray();
        book.settings()
                .rules()
                .forEach(r -> rules.add(new JsonObject()
                        .put("name", r.name())
                        .put("when", r.when().word())
                        .put("apps", new JsonArray(List.copyOf(r.apps())))
                        .put("to", new JsonArray(r.to()))
                        .put("suppressed", book.suppressed().getOrDefault(r.name(), 0L))));
        JsonArray hooks = new JsonArray();
        book.settings()
                .webhooks()
                .values()
                .forEach(h -> hooks.add(new JsonObject()
                        .put("name", h.name())
                        .put("format", h.format().name().toLowerCase(Locale.ROOT))
                        .put("url", h.shown())));
        return new JsonObject()
                .put("host", host)
                .put("rules", rules)
                .put("webhooks", hooks)
                .put("alerts", log.newest(limit))
                .put("dropped_deliveries", droppedDeliveries);
    }
}
