package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a run reports from inside, kept as pm2's daemon keeps it, and bounded whatever the app sends. */
class ReportedMetricsTest {
    private static JsonObject metric(String type, Object value) {
        return new JsonObject()
                .put("historic", true)
                .put("unit", "MiB")
                .put("type", type)
                .put("value", value);
    }

    @Test
    void aReportReplacesEachMetricInItsPlaceAndAddsNewOnesAfter() {
        ReportedMetrics reported = new ReportedMetrics();
        reported.monitor(new JsonObject().put("Heap Size", metric("a", "1.00")).put("Heap Usage", metric("b", 50)));
        reported.monitor(new JsonObject().put("HTTP", metric("c", 3.2)).put("Heap Size", metric("a", "2.00")));
        Map<String, Object> monitor = reported.view(null).monitor();
        assertEquals(List.of("Heap Size", "Heap Usage", "HTTP"), List.copyOf(monitor.keySet()));
        assertEquals("2.00", ((Map<?, ?>) monitor.get("Heap Size")).get("value"));
        assertEquals(Map.of("historic", true, "unit", "MiB", "type", "c", "value", 3.2), monitor.get("HTTP"));
    }

    @Test
    void anEntryKeepsPm2sScalarFieldsWithTextsCut() {
        ReportedMetrics reported = new ReportedMetrics();
        JsonObject odd = metric("t", "x".repeat(5000))
                .put("alert", new JsonObject().put("mode", "threshold"))
                .put("extra", new JsonArray().add(1));
        reported.monitor(new JsonObject()
                .put("odd", odd)
                .put("bare", 7)
                .put("nested", new JsonObject().put("value", new JsonObject())));
        Map<?, ?> entry = (Map<?, ?>) reported.view(null).monitor().get("odd");
        assertEquals(List.of("historic", "unit", "type", "value"), List.copyOf(entry.keySet()));
        assertEquals(ReportedMetrics.MAX_TEXT, ((String) entry.get("value")).length());
        assertEquals(7, reported.view(null).monitor().get("bare"));
        assertEquals(null, ((Map<?, ?>) reported.view(null).monitor().get("nested")).get("value"));
    }

    @Test
    void beyondItsCapANewNameIsDroppedAndAKnownOneStillUpdated() {
        ReportedMetrics reported = new ReportedMetrics();
        JsonObject many = new JsonObject();
        for (int i = 0; i < ReportedMetrics.MAX_METRICS + 50; i++) {
            many.put("m" + i, metric("t", i));
        }
        reported.monitor(many);
        reported.monitor(new JsonObject().put("m0", metric("t", -1)).put("late", metric("t", 1)));
        assertEquals(ReportedMetrics.MAX_METRICS, reported.view(null).monitor().size());
        assertEquals(-1, ((Map<?, ?>) reported.view(null).monitor().get("m0")).get("value"));
        assertFalse(reported.view(null).monitor().containsKey("late"));
    }

    @Test
    void anActionIsAddedOnceByNameAndOptionsMerge() {
        ReportedMetrics reported = new ReportedMetrics();
        JsonObject action = new JsonObject()
                .put("action_name", "db:flush")
                .put("action_type", "custom")
                .put("arity", 1);
        reported.action(action);
        reported.action(action.copy().put("arity", 2));
        reported.action(new JsonObject().put("arity", 2)); // no name: not an action
        assertEquals(List.of("db:flush"), reported.view(null).actionNames());
        assertEquals(1, ((Map<?, ?>) reported.view(null).actions().get(0)).get("arity"));
        reported.options(new JsonObject()
                .put("metrics", new JsonObject().put("v8", true))
                .put("error", true));
        reported.options(new JsonObject().put("error", false).put("big", "y".repeat(10_000)));
        assertEquals(
                Map.of("metrics", Map.of("v8", true), "error", false),
                reported.view(null).options());
    }

    @Test
    void reportsHandedOverAsTextAreReadInTheirOrderWhenLookedAtAndAnEarlierRunsAreLeftOut() {
        ReportedMetrics reported = new ReportedMetrics();
        Object run = new Object();
        Object earlier = new Object();
        reported.offer(run, "{\"type\":\"axm:monitor\",\"data\":{\"A\":{\"value\":1},\"B\":{\"value\":1}}}");
        reported.offer(earlier, "{\"type\":\"axm:monitor\",\"data\":{\"Old\":{\"value\":9}}}");
        reported.offer(run, "{\"type\":\"axm:monitor\",\"data\":{\"A\":{\"value\":2}}}");
        reported.offer(run, "not json");
        assertEquals(
                Map.of("A", Map.of("value", 2), "B", Map.of("value", 1)),
                reported.view(run).monitor());
        for (int i = 0; i < ReportedMetrics.MAX_PENDING + 3; i++) {
            reported.offer(run, "{\"type\":\"axm:monitor\",\"data\":{\"C\":{\"value\":" + i + "}}}");
        }
        assertEquals(
                Map.of("value", ReportedMetrics.MAX_PENDING + 2),
                reported.view(run).monitor().get("C"),
                "the last one");
    }

    @Test
    void aNewRunStartsWithNoMetricsNorActionsAndKeepsTheOptions() {
        ReportedMetrics reported = new ReportedMetrics();
        reported.monitor(new JsonObject().put("Heap Size", metric("a", "1.00")));
        reported.action(new JsonObject().put("action_name", "hello"));
        reported.options(new JsonObject().put("error", true));
        reported.newRun();
        assertTrue(reported.view(null).monitor().isEmpty());
        assertTrue(reported.view(null).actions().isEmpty());
        assertEquals(Map.of("error", true), reported.view(null).options());
    }
}
