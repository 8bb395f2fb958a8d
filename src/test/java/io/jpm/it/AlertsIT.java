package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Alerts from jpm.json's rules, received by a webhook server of the test's own on 127.0.0.1 in
 * Slack's, Discord's and jpm's JSON formats: a crash-looping app sends each rule's alert once, its
 * "resolved" once, and nothing more when it crash-loops again within the window (held back, counted);
 * the webhook's URL is shown to nobody. A bad rule in jpm.json is refused in one line and the rules
 * stay. The exceptions view groups a Node app's thrown errors and a Python traceback.
 */
class AlertsIT {
    /** The key in the webhook's path: a secret, like Slack's. */
    private static final String KEY = "T0KEY-9f3a-SECRET";

    private static JsonObject webhooks(WebhookReceiver receiver) {
        JsonObject hooks = new JsonObject();
        for (String format : List.of("slack", "discord", "json")) {
            hooks.put(
                    format,
                    new JsonObject()
                            .put("url", receiver.url("/" + format + "/" + KEY))
                            .put("format", format));
        }
        return hooks;
    }

    private static JsonObject alertsOf(WebClient web) {
        WebClient.Answer answer = web.get("/api/alerts", web.readOnly);
        assertEquals(200, answer.status(), answer.toString());
        return answer.json().getJsonObject("data");
    }

    @Test
    void aCrashLoopAlertsEachWebhookOncePerRuleAndWindowAndItsUrlIsShownToNobody() throws Exception {
        try (Jpm jpm = new Jpm();
                WebhookReceiver receiver = new WebhookReceiver()) {
            jpm.settings(new JsonObject()
                    .put(
                            "alerts",
                            new JsonObject()
                                    .put("webhooks", webhooks(receiver))
                                    .put(
                                            "rules",
                                            new JsonArray()
                                                    .add(new JsonObject()
                                                            .put("name", "crash-loop")
                                                            .put("when", "restarts")
                                                            .put("over", 3)
                                                            .put("per", "5s"))
                                                    .add(new JsonObject()
                                                            .put("name", "down")
                                                            .put("when", "errored")))));
            WebClient web = WebClient.start(jpm, Ports.free());
            jpm.ok("start", Jpm.fixture("crash.sh").toString(), "--name", "loop", "--max-restarts", "5", "--", "3");
            jpm.awaitStatus("loop", "errored");
            for (String format : List.of("slack", "discord", "json")) {
                receiver.await(format + " gets crash-loop firing", format, "crash-loop firing", 1);
                receiver.await(format + " gets down firing", format, "down firing", 1);
                // the restarts leave the 5 s window: the crash loop is over
                receiver.await(format + " gets crash-loop resolved", format, "crash-loop resolved", 1);
            }
            // errored again within the window: held back, counted, not sent (its restart ended it: resolved)
            jpm.ok("restart", "loop");
            Jpm.await("the second errored held back", () -> {
                JsonObject data = alertsOf(web);
                return data.getJsonArray("rules").stream()
                                .map(JsonObject.class::cast)
                                .anyMatch(r -> r.getString("name").equals("down") && r.getLong("suppressed") >= 1)
                        ? data
                        : null;
            });
            receiver.await("down resolved", "json", "down resolved", 1);
            jpm.awaitStatus("loop", "errored");
            for (String format : List.of("slack", "discord", "json")) {
                assertEquals(
                        1,
                        receiver.count(format, "crash-loop firing"),
                        receiver.bodies(format).toString());
                assertEquals(
                        1,
                        receiver.count(format, "down firing"),
                        receiver.bodies(format).toString());
            }
            JsonObject slack = receiver.bodies("slack").get(0);
            assertTrue(slack.getString("text").startsWith("[jpm "), slack.encode());
            JsonObject discord = receiver.bodies("discord").get(0);
            assertEquals("jpm", discord.getString("username"), discord.encode());
            assertTrue(discord.getString("content").contains("loop"), discord.encode());
            JsonObject plain = receiver.bodies("json").stream()
                    .filter(b -> "crash-loop".equals(b.getString("rule")))
                    .findFirst()
                    .orElseThrow();
            assertEquals("loop", plain.getString("app"));
            assertEquals("restarts", plain.getString("when"));
            JsonObject data = alertsOf(web);
            JsonObject sent = data.getJsonArray("alerts").getJsonObject(0);
            assertTrue(
                    sent.getJsonObject("deliveries").getString("slack").startsWith("sent (HTTP 200)"), sent.encode());
            // the key is in no body, no listing (read-only or admin) and no log line
            String everything = receiver.all()
                    + web.get("/api/alerts", web.admin).body()
                    + data.encode()
                    + Files.readString(jpm.home.resolve("daemon.log"));
            assertFalse(everything.contains(KEY), "the webhook's key leaked");
            assertTrue(data.getJsonArray("webhooks").encode().contains(receiver.url("/") + "…"), data.encode());
        }
    }

    @Test
    void aBadRuleIsRefusedInOneLineAndTheRulesStay() throws Exception {
        try (Jpm jpm = new Jpm();
                WebhookReceiver receiver = new WebhookReceiver();
                ConfigEvents events = new ConfigEvents(startedHome(jpm, receiver))) {
            WebClient web = new WebClient(jpm, webPort(jpm));
            Path file = jpm.home.resolve("jpm.json");
            JsonObject settings = new JsonObject(Files.readString(file));
            settings.getJsonObject("alerts")
                    .put(
                            "rules",
                            new JsonArray()
                                    .add(new JsonObject().put("name", "x").put("when", "restart")));
            Files.writeString(file, settings.encodePrettily());
            String error = events.refused(file).getString("error");
            assertEquals(1, error.lines().count(), error);
            assertTrue(error.contains("alerts: rule 'x': option 'when' must be restarts, errored"), error);
            JsonArray rules = alertsOf(web).getJsonArray("rules");
            assertEquals(1, rules.size(), rules.encode());
            assertEquals("thrown", rules.getJsonObject(0).getString("name"));
            // a URL that is no http(s) is refused without repeating it
            settings.getJsonObject("alerts")
                    .put("webhooks", new JsonObject().put("f", new JsonObject().put("url", "file:///etc/" + KEY)));
            Files.writeString(file, settings.encodePrettily());
            String second = events.refused(file).getString("error");
            assertTrue(second.contains("webhook 'f': option 'url' must be an http:// or https:// URL"), second);
            assertFalse(second.contains(KEY), second);
        }
    }

    @Test
    void exceptionsAreGroupedByMessageAndPlaceWithCountsAndAlerted() throws Exception {
        try (Jpm jpm = new Jpm();
                WebhookReceiver receiver = new WebhookReceiver()) {
            startedHome(jpm, receiver);
            WebClient web = new WebClient(jpm, webPort(jpm));
            Path unhandled = Jpm.fixture("unhandled.js");
            assertEquals(
                    0,
                    jpm.cli(Map.of("MISTAKE", "reject"), "start", unhandled.toString(), "--name", "rejects")
                            .exit());
            assertEquals(
                    0,
                    jpm.cli(Map.of("MISTAKE", "throw"), "start", unhandled.toString(), "--name", "throws")
                            .exit());
            Path python = jpm.write("raises.py", "def inner():\n    raise ValueError('bad value')\n\ninner()\n");
            jpm.ok("start", python.toString(), "--name", "py", "--interpreter", "python3", "--max-restarts", "2");
            // what @pm2/io sends of an error it reports (io.notifyError), over the app's IPC channel
            Path io = jpm.write(
                    "io.js",
                    "setInterval(() => process.send({type: 'process:exception', data: {message: 'io says no',"
                            + " stack: 'Error: io says no\\n    at report (/srv/io.js:7:3)'}}), 200);\n");
            jpm.ok("start", io.toString(), "--name", "io");
            JsonObject rejects = group(web, "rejects", g -> g.getLong("count") >= 5);
            assertTrue(rejects.getString("message").startsWith("Error: rejection "), rejects.encode());
            assertTrue(rejects.getString("place").contains("unhandled.js"), rejects.encode());
            assertEquals("stderr", rejects.getString("source"));
            JsonObject throws_ = group(web, "throws", g -> g.getLong("count") >= 2);
            assertEquals("Error: thrown by unhandled.js", throws_.getString("message"), throws_.encode());
            assertTrue(throws_.getLong("last_seen") >= throws_.getLong("first_seen"));
            JsonObject py = group(web, "py", g -> true);
            assertEquals("ValueError: bad value", py.getString("message"), py.encode());
            assertTrue(py.getString("place").contains("raises.py"), py.encode());
            JsonObject reported = group(web, "io", g -> g.getLong("count") >= 3);
            assertEquals("pm2io", reported.getString("source"), reported.encode());
            assertEquals("Error: io says no", reported.getString("message"), reported.encode());
            assertEquals("at report (/srv/io.js:7:3)", reported.getString("place"), reported.encode());
            // one group per app: the numbers in a message do not split it
            JsonArray all = web.get("/api/exceptions?app=rejects", web.readOnly)
                    .json()
                    .getJsonObject("data")
                    .getJsonArray("groups");
            assertEquals(1, all.size(), all.encode());
            // the exception rule: one alert per app and window, whatever the count
            receiver.await("the exception alert", "json", "\"app\":\"rejects\"", 1);
            assertEquals(1, receiver.count("json", "\"app\":\"rejects\""));
        }
    }

    @Test
    void memoryOverItsLevelForItsDurationAndAFailingHealthCheckAlertAndResolve() throws Exception {
        try (Jpm jpm = new Jpm();
                WebhookReceiver receiver = new WebhookReceiver()) {
            jpm.settings(new JsonObject()
                    .put("satan", new JsonObject().put("sample_interval", "1s").put("idle_sample_interval", "1s"))
                    .put(
                            "alerts",
                            new JsonObject()
                                    .put("webhooks", webhooks(receiver))
                                    .put(
                                            "rules",
                                            new JsonArray()
                                                    .add(new JsonObject()
                                                            .put("name", "fat")
                                                            .put("when", "memory")
                                                            .put("over", "32M")
                                                            .put("for", "2s")
                                                            .put("to", "json"))
                                                    .add(new JsonObject()
                                                            .put("name", "sick")
                                                            .put("when", "unhealthy")
                                                            .put("to", "json")))));
            WebClient.start(jpm, Ports.free());
            Path hog = jpm.write(
                    "hog.py",
                    "import time\nheld = bytearray(64 << 20)\nprint('holding', flush=True)\ntime.sleep(3600)\n");
            jpm.ok("start", hog.toString(), "--name", "hog", "--interpreter", "python3");
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "calm");
            Path file = jpm.ecosystem(
                    "sick.json",
                    Jpm.app("probed", Jpm.fixture("idle.sh"))
                            .put(
                                    "health",
                                    new JsonObject()
                                            .put("exec", "false")
                                            .put("interval", "1s")
                                            .put("unhealthy_after", 1)));
            jpm.ok("start", file.toString());
            receiver.await("the memory alert", "json", "fat firing", 1);
            JsonObject fat = receiver.bodies("json").stream()
                    .filter(b -> "fat".equals(b.getString("rule")))
                    .findFirst()
                    .orElseThrow();
            assertEquals("hog", fat.getString("app"), fat.encode());
            assertTrue(fat.getString("text").contains("over 32 MB for 2s"), fat.encode());
            receiver.await("the health alert", "json", "sick firing", 1);
            jpm.ok("stop", "hog");
            receiver.await("the memory alert resolved", "json", "fat resolved", 1);
            assertEquals(1, receiver.count("json", "fat firing"));
        }
    }

    /** Until {@code app} has a group that matches; returns it. */
    private static JsonObject group(WebClient web, String app, java.util.function.Predicate<JsonObject> wanted) {
        return Jpm.await(app + "'s exceptions grouped", () -> {
            WebClient.Answer answer = web.get("/api/exceptions?app=" + app, web.readOnly);
            assertEquals(200, answer.status(), answer.toString());
            return answer.json().getJsonObject("data").getJsonArray("groups").stream()
                    .map(JsonObject.class::cast)
                    .filter(wanted)
                    .findFirst()
                    .orElse(null);
        });
    }

    /** A daemon with one exception rule posting to the receiver's JSON webhook, and its web server on. */
    private static Path startedHome(Jpm jpm, WebhookReceiver receiver) throws Exception {
        jpm.settings(new JsonObject()
                .put(
                        "alerts",
                        new JsonObject()
                                .put("webhooks", webhooks(receiver))
                                .put(
                                        "rules",
                                        new JsonArray()
                                                .add(new JsonObject()
                                                        .put("name", "thrown")
                                                        .put("when", "exception")
                                                        .put("to", "json")))));
        WebClient.start(jpm, Ports.free());
        return jpm.home;
    }

    private static int webPort(Jpm jpm) throws Exception {
        return new JsonObject(Files.readString(jpm.home.resolve("jpm.json")))
                .getJsonObject("web")
                .getInteger("port");
    }
}
