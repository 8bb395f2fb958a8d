package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an app writes while jpm stops it on request is its way out, not a failure (issue 62, item 3):
 * jpm stops with SIGINT, and a Python app prints a KeyboardInterrupt traceback, a Node app that
 * throws in its SIGINT handler an Error's stack (after reporting it as @pm2/io does, a
 * process:exception on its IPC channel), a JVM's shutdown hook a stack trace. A {@code jpm restart}
 * of each groups no exception and fires no "exception" alert; a crash of one afterwards is grouped
 * and alerted as before.
 */
@WithoutTuning
class StopOutputIT {
    private static final List<String> APPS = List.of("py", "node", "java");

    @Test
    void aRestartIsNoExceptionAndNoAlertButACrashIsBoth() throws Exception {
        try (Jpm jpm = new Jpm();
                WebhookReceiver receiver = new WebhookReceiver()) {
            jpm.settings(new JsonObject()
                    .put(
                            "alerts",
                            new JsonObject()
                                    .put(
                                            "webhooks",
                                            new JsonObject()
                                                    .put(
                                                            "json",
                                                            new JsonObject()
                                                                    .put("url", receiver.url("/json"))
                                                                    .put("format", "json")))
                                    .put(
                                            "rules",
                                            new JsonArray()
                                                    .add(new JsonObject()
                                                            .put("name", "thrown")
                                                            .put("when", "exception")
                                                            .put("to", "json")))));
            WebClient web = WebClient.start(jpm, Ports.free());
            jpm.ok("start", Jpm.fixture("stop_stack.py").toString(), "--name", "py", "--interpreter", "python3");
            jpm.ok("start", Jpm.fixture("stop_stack.js").toString(), "--name", "node");
            jpm.ok(
                    "start",
                    Jpm.fixture("StopStack.java").toString(),
                    "--name",
                    "java",
                    "--interpreter",
                    Jpm.JAVA,
                    "--interpreter-args",
                    "-Xmx24m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto");
            Map<String, Integer> pids = new java.util.HashMap<>();
            for (String app : APPS) {
                pids.put(app, started(jpm, app, -1)); // its SIGINT handler or shutdown hook is in place
            }

            jpm.ok("restart", "all");

            Map<String, String> stops = Map.of(
                    "py", "KeyboardInterrupt",
                    "node", "Error: interrupted while stopping",
                    "java", "java.lang.IllegalStateException: shutting down");
            for (String app : APPS) {
                // the stack and the line after it were read: had the stack been taken for an exception, it was sent
                String err = jpm.awaitLog(errLog(jpm, app), "bye");
                assertTrue(err.contains(stops.get(app)), app + "'s error log: " + err);
                pids.put(app, started(jpm, app, pids.get(app)));
            }

            jpm.ok("sendSignal", "SIGUSR1", "py"); // raises an error nobody catches: a crash
            Jpm.await(
                    "py's crash grouped",
                    () -> groups(web).encode().contains("RuntimeError: crashed on purpose") ? true : null);
            // the crash's stack went after the stops' output: a group or alert of theirs came before it
            JsonArray groups = groups(web);
            assertEquals(1, groups.size(), groups.encode());
            assertEquals("py", groups.getJsonObject(0).getString("app"), groups.encode());
            receiver.await("py's crash alerted", "json", "crashed on purpose", 1);
            assertEquals(1, receiver.bodies("json").size(), receiver.all());
        }
    }

    /** Waits until {@code app} runs a pid other than {@code old} that has said so; returns it. */
    private static int started(Jpm jpm, String app, int old) {
        int pid = jpm.awaitNewPid(app + " online", app, old);
        String out = jpm.named(app).get(0).getJsonObject("pm2_env").getString("pm_out_log_path");
        jpm.awaitLog(out, "started pid=" + pid);
        return pid;
    }

    private static String errLog(Jpm jpm, String app) {
        return jpm.named(app).get(0).getJsonObject("pm2_env").getString("pm_err_log_path");
    }

    private static JsonArray groups(WebClient web) {
        WebClient.Answer answer = web.get("/api/exceptions", web.readOnly);
        assertEquals(200, answer.status(), answer.toString());
        return answer.json().getJsonObject("data").getJsonArray("groups");
    }
}
