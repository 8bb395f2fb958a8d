package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** An error @pm2/io reports (process:exception), in one line of daemon.log. */
class ReportedExceptionsTest {
    @Test
    void theStackInOneLineElseTheNameAndMessage() {
        assertEquals(
                "Error: boom |     at a (x.js:1:1)",
                ReportedExceptions.line(new JsonObject().put("stack", "Error: boom\n    at a (x.js:1:1)")));
        assertEquals(
                "TypeError: no stack",
                ReportedExceptions.line(
                        new JsonObject().put("name", "TypeError").put("message", "no stack")));
        String long_ = ReportedExceptions.line(new JsonObject().put("stack", "x".repeat(10_000)));
        assertTrue(long_.length() <= ReportedExceptions.MAX_TEXT + 3 && long_.endsWith("..."), long_);
    }
}
