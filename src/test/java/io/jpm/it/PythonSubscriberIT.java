package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * examples/subscriber.py against a real daemon: an external service holding only the read-only
 * token sees the lifecycle events of an app the admin starts, and cannot stop it.
 */
class PythonSubscriberIT {
    private static final String APP = "sub-test";

    @Test
    void readOnlySubscriberSeesTheLifecycleAndCannotStopTheApp() throws Exception {
        assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is not on PATH");
        try (Jpm jpm = new Jpm()) {
            jpm.ok("ping");
            String admin = RawBridge.token(jpm.home, "token");
            String readOnly = RawBridge.token(jpm.home, "token.readonly");

            List<String> events = new CopyOnWriteArrayList<>();
            StringBuffer errors = new StringBuffer();
            ProcessBuilder python = new ProcessBuilder(
                    "python3",
                    Path.of("examples", "subscriber.py").toAbsolutePath().toString(),
                    "--count",
                    "2",
                    "--token-file",
                    "token.readonly");
            python.environment().put("JPM_HOME", jpm.home.toString());
            Process subscriber = python.start();
            try {
                pump(subscriber.getInputStream(), events::add);
                pump(subscriber.getErrorStream(), line -> errors.append(line).append('\n'));
                // the subscriber says so on stderr once the bridge has its registration
                Jpm.await(
                        "the subscription; stderr: " + errors,
                        () -> errors.toString().contains("subscribed to jpm.events.process") ? true : null);

                try (RawBridge bridge = new RawBridge(jpm.home)) {
                    JsonObject start = new JsonObject()
                            .put(
                                    "apps",
                                    new JsonArray()
                                            .add(new JsonObject()
                                                    .put("script", "/bin/sleep")
                                                    .put("args", "100")
                                                    .put("name", APP)))
                            .put("cwd", "/tmp")
                            .put("env", new JsonObject().put("PATH", "/usr/bin:/bin"));
                    JsonObject started = bridge.request("jpm.cmd.start", start, admin);
                    JsonObject summary = data(started).getJsonObject(0);
                    assertEquals("online", summary.getString("status"), started::encode);
                    long appPid = summary.getLong("pid");

                    assertTrue(
                            subscriber.waitFor(30, TimeUnit.SECONDS), "subscriber still running; stderr:\n" + errors);
                    assertEquals(0, subscriber.exitValue(), "subscriber exit status; stderr:\n" + errors);
                    assertTrue(hasEvent(events, "launching"), "no launching event for " + APP + " in " + events);
                    assertTrue(hasEvent(events, "online"), "no online event for " + APP + " in " + events);

                    JsonObject refused = bridge.request(
                            "jpm.cmd.stop", new JsonObject().put("targets", new JsonArray().add(APP)), readOnly);
                    assertEquals("err", refused.getString("type"), refused::encode);
                    assertEquals(16, refused.getInteger("failureCode"), refused::encode);
                    assertTrue(refused.getString("message", "").startsWith("access denied"), refused::encode);

                    JsonObject app = data(bridge.request("jpm.query.list", new JsonObject(), readOnly))
                            .getJsonObject(0);
                    assertEquals("online", app.getJsonObject("pm2_env").getString("status"));
                    assertEquals(appPid, app.getLong("pid"));
                    assertTrue(Jpm.alive(appPid), "app process " + appPid + " is gone");
                }
            } finally {
                subscriber.destroyForcibly();
            }
        }
    }

    private static JsonArray data(JsonObject reply) {
        assertEquals("message", reply.getString("type"), reply::encode);
        JsonObject body = reply.getJsonObject("body");
        assertEquals(Boolean.TRUE, body.getBoolean("ok"), reply::encode);
        return body.getJsonArray("data");
    }

    private static boolean hasEvent(List<String> lines, String to) {
        return lines.stream()
                .map(JsonObject::new)
                .anyMatch(e -> APP.equals(e.getString("app")) && to.equals(e.getString("to")));
    }

    private static void pump(InputStream stream, Consumer<String> lines) {
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        for (String line; (line = reader.readLine()) != null; ) {
                            lines.accept(line);
                        }
                    } catch (IOException e) {
                        // the process is gone: nothing more to read
                    }
                },
                "subscriber-output");
        thread.setDaemon(true);
        thread.start();
    }
}
