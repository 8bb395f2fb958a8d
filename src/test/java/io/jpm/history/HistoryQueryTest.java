package io.jpm.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryQueryTest {
    static final long NOW = HistoryStoreTest.T0 + 7_200_000 + 12_345;

    private static HistoryStore store() {
        HistoryStore store = new HistoryStore();
        store.record(NOW - 20_000, Map.of("api", Map.of(Metrics.CPU, 1.0, Metrics.CUSTOM + "queue", 4.0)));
        store.record(NOW - 20_000, Map.of("worker", Map.of(Metrics.CPU, 3.0), Figures.HOST, Map.of(Metrics.CPU, 4.0)));
        store.record(NOW, Map.of("api", Map.of(Metrics.CPU, 2.0)));
        return store;
    }

    private static JsonObject ask(JsonObject request) {
        return HistoryQuery.answer(store(), request, "box", NOW);
    }

    private static String refusal(JsonObject request) {
        JpmException e = assertThrows(JpmException.class, () -> ask(request));
        assertEquals(JpmError.INVALID_ARGUMENT, e.error());
        return e.getMessage();
    }

    @Test
    void byDefaultTheLastHourAt5sEveryAppAndTheHostsTotals() {
        JsonObject answer = ask(new JsonObject());
        assertEquals(5_000, answer.getLong("step_ms"));
        assertEquals(721, answer.getJsonArray("times").size());
        assertEquals(NOW - NOW % 5_000, answer.getLong("to"));
        JsonArray cpu = answer.getJsonObject("apps").getJsonObject("api").getJsonArray("cpu");
        assertEquals(721, cpu.size());
        assertEquals(2.0f, cpu.getValue(720));
        assertEquals(1.0f, cpu.getValue(716));
        assertEquals(
                4.0f,
                answer.getJsonObject("apps")
                        .getJsonObject("api")
                        .getJsonObject("custom")
                        .getJsonArray("queue")
                        .getValue(716));
        assertEquals(4.0f, answer.getJsonObject("totals").getJsonArray("cpu").getValue(716));
        assertTrue(answer.getJsonObject("apps").containsKey("worker"));
    }

    @Test
    void longerRangesTakeMinutesAndTheAppsAskedForOnly() {
        JsonObject day = ask(new JsonObject().put("from", "24h").put("apps", new JsonArray().add("worker")));
        assertEquals(300_000, day.getLong("step_ms"));
        assertEquals(
                new JsonArray().add("worker"),
                new JsonArray(day.getJsonObject("apps").fieldNames().stream().toList()));
        assertTrue(day.getJsonObject("totals").containsKey("cpu"), "the host's totals always come");
        assertEquals(
                1_200_000,
                ask(new JsonObject().put("from", "168h")).getLong("step_ms"),
                "7 days: whole 10 minutes (15 minutes would cut them)");
        assertEquals(
                1_200_000,
                HistoryQuery.answer(new HistoryStore(), new JsonObject().put("from", "168h"), "box", NOW)
                        .getLong("step_ms"),
                "a daemon with no figure yet steps 7 days alike");
        JsonObject sixHours = ask(new JsonObject().put("from", "6h"));
        assertEquals(60_000, sixHours.getLong("step_ms"), "30 s points of 6 h would reach past the fine ring");
        JsonObject asked = ask(new JsonObject()
                .put("from", Long.toString(NOW - 600_000))
                .put("to", NOW)
                .put("step", "7s"));
        assertEquals(10_000, asked.getLong("step_ms"), "rounded up to 5 s");
        assertEquals(
                120_000,
                ask(new JsonObject().put("from", "1h").put("step", 90_000)).getLong("step_ms"));
    }

    @Test
    void aBadRequestIsRefusedWithTheFieldNamed() {
        assertTrue(refusal(new JsonObject().put("from", "yesterday")).contains("'from' must be epoch milliseconds"));
        assertTrue(refusal(new JsonObject().put("from", "1h").put("to", "2h")).contains("'from' is after 'to'"));
        assertTrue(refusal(new JsonObject().put("step", "1s")).contains("'step' must be a duration of at least 5s"));
        assertTrue(
                refusal(new JsonObject().put("from", "24h").put("step", "5s")).contains("at most 1500"));
        assertTrue(refusal(new JsonObject().put("apps", 3)).contains("'apps' must be an array of app names"));
    }
}
