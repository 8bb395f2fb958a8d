package io.jpm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** @pm2/io's process:exception as the exceptions view takes it; one sent during a stop jpm asked for is not one. */
class ReportedExceptionTest {
    private static JsonObject event() {
        return new JsonObject()
                .put("app", "api")
                .put("pm_id", 0)
                .put("time", 1L)
                .put(
                        "message",
                        new JsonObject()
                                .put("type", "process:exception")
                                .put(
                                        "data",
                                        new JsonObject()
                                                .put("message", "no")
                                                .put("stack", "Error: no\n    at f (/srv/a.js:1:2)")));
    }

    @Test
    void aReportIsAnExceptionUnlessSentWhileJpmStoppedTheRun() {
        JsonObject reported = ReportedException.of(event());
        assertEquals("Error: no", reported.getString("message"));
        assertEquals("at f (/srv/a.js:1:2)", reported.getString("place"));
        assertNull(ReportedException.of(event().put("during_stop", true)));
    }
}
