package io.jpm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a daemon that died left "waiting" is sent again by the next one, or settled when its webhook went. */
class AlertLogTest {
    private static Alert firing(long id, String app) {
        return new Alert(id, "down", "errored", app, Alert.FIRING, app + " is errored", 1_000 + id);
    }

    /** The log as the next daemon reads it from alerts.json. */
    private static AlertLog restored(AlertLog before) {
        AlertLog after = new AlertLog();
        after.restore(new JsonArray(before.newest(AlertLog.MAX_ALERTS).encode()));
        return after;
    }

    @Test
    void anAlertReadBackIsTheAlertWritten() {
        Alert alert = firing(7, "api");
        assertEquals(alert, Alert.of(alert.toJson("box")));
    }

    @Test
    void waitingDeliveriesToAWebhookStillThereAreSentAgainOldestFirst() {
        AlertLog log = new AlertLog();
        log.add(firing(1, "api"), "box").getJsonObject("deliveries").put("ops", "sent (HTTP 200)");
        log.add(firing(2, "web"), "box").getJsonObject("deliveries").put("ops", "waiting");
        log.add(firing(3, "db"), "box").getJsonObject("deliveries").put("ops", "waiting");

        AlertLog after = restored(log);
        AlertLog.Unfinished unfinished = after.unfinished(Set.of("ops"));

        assertEquals(
                List.of(firing(2, "web"), firing(3, "db")),
                unfinished.unsent().stream().map(AlertLog.Unsent::alert).toList());
        assertTrue(unfinished.unsent().stream().allMatch(u -> u.webhook().equals("ops")));
        assertFalse(unfinished.settled());
        // the new send's outcome goes to the alert listed
        unfinished.unsent().get(0).entry().getJsonObject("deliveries").put("ops", "sent (HTTP 200)");
        JsonObject web = after.newest(3).getJsonObject(1);
        assertEquals(2, web.getLong("id"));
        assertEquals("sent (HTTP 200)", web.getJsonObject("deliveries").getString("ops"));
    }

    @Test
    void aWaitingDeliveryToAWebhookGoneIsSettledNotLeftWaiting() {
        AlertLog log = new AlertLog();
        log.add(firing(1, "api"), "box")
                .getJsonObject("deliveries")
                .put("ops", "waiting")
                .put("old", "waiting")
                .put("older", "failed: HTTP 500");
        AlertLog after = restored(log);

        AlertLog.Unfinished unfinished = after.unfinished(Set.of("ops"));

        assertTrue(unfinished.settled());
        assertEquals(1, unfinished.unsent().size());
        assertEquals("ops", unfinished.unsent().get(0).webhook());
        JsonObject deliveries = after.newest(1).getJsonObject(0).getJsonObject("deliveries");
        assertEquals(Webhooks.GONE, deliveries.getString("old"));
        assertEquals("failed: HTTP 500", deliveries.getString("older"), "an outcome known is not sent again");
        assertEquals("waiting", deliveries.getString("ops"), "until the next daemon's send ends");
    }

    @Test
    void nothingWaitingIsNothingToDo() {
        AlertLog log = new AlertLog();
        log.add(firing(1, "api"), "box").getJsonObject("deliveries").put("ops", "failed: connection refused");
        AlertLog.Unfinished unfinished = restored(log).unfinished(Set.of());
        assertEquals(List.of(), unfinished.unsent());
        assertFalse(unfinished.settled());
    }
}
