package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The alerts and the exception groups outlive their daemon (JPM_HOME/alerts.json and exceptions.json):
 * after {@code jpm update}, a {@code kill -9} whose keeper starts the next daemon, and {@code jpm kill}
 * and a start, the API lists every alert with its deliveries and every group with its count and first
 * seen, and counts on; a condition that fired and still holds is not sent again by the new daemon, an
 * exception rule's window goes on, and the new daemon sends the end of what the old one fired, and
 * again what the old one had on its way to a webhook when it was killed. A damaged file is one line in
 * daemon.log and an empty list, never a daemon that does not start.
 */
class AlertsKeptIT {
    private static final String KEY = "T0KEY-kept-SECRET";
    private static final Duration BACK_WITHIN = Duration.ofSeconds(60);

    @Test
    void alertsAndExceptionGroupsOutliveAnUpdateAndAKilledDaemon() throws Exception {
        try (Jpm jpm = new Jpm();
                WebhookReceiver receiver = new WebhookReceiver()) {
            jpm.settings(settings(receiver));
            WebClient web = WebClient.start(jpm, Ports.free());
            Path hog = jpm.write(
                    "hog.py",
                    "import time\nheld = bytearray(64 << 20)\nprint('holding', flush=True)\ntime.sleep(3600)\n");
            jpm.ok("start", hog.toString(), "--name", "hog", "--interpreter", "python3");
            Path errors = jpm.write(
                    "errors.js", "setInterval(() => console.error(new Error('disk ' + Date.now() + ' full')), 200);\n");
            jpm.ok("start", errors.toString(), "--name", "errs");
            receiver.await("the memory alert", "json", "fat firing", 1);
            receiver.await("the exception alert", "json", "thrown firing", 1);
            JsonObject before = group(web, g -> g.getLong("count") >= 3);
            JsonArray listed = Jpm.await("both alerts listed with their deliveries", () -> {
                JsonArray alerts = alerts(web).getJsonArray("alerts");
                return alerts.size() == 2
                                && alerts.stream().map(JsonObject.class::cast).allMatch(a -> a.getJsonObject(
                                                "deliveries")
                                        .containsKey("json"))
                        ? alerts
                        : null;
            });

            int first = jpm.daemonPid();
            Jpm.Result update = jpm.cli("update");
            assertEquals(0, update.exit(), update.toString());
            assertTrue(jpm.daemonPid() != first, "a new daemon");
            assertKept(web, listed, before);
            // the exceptions the adopted app throws on are counted in its group and held back by the
            // window the old daemon's alert opened: no second alert
            Jpm.await("a thrown error held back by the carried window", () -> {
                JsonObject rule = rule(alerts(web), "thrown");
                return rule.getLong("suppressed") >= 1 ? rule : null;
            });
            assertEquals(1, count(alerts(web), "thrown", "firing"), alerts(web).encodePrettily());
            // the memory over its level since before the update: its end is sent, and no second firing before it
            jpm.ok("stop", "hog");
            receiver.await("the memory alert resolved by the new daemon", "json", "fat resolved", 1);
            assertEquals(1, receiver.count("json", "fat firing"), receiver.all());
            JsonArray afterUpdate = Jpm.await("the end listed", () -> {
                JsonArray alerts = alerts(web).getJsonArray("alerts");
                return count(alerts(web), "fat", "resolved") == 1 ? alerts : null;
            });
            JsonObject counted = group(web, g -> g.getLong("count") > before.getLong("count"));

            // written at most 2 s after a change: once the file has the end and its delivery's outcome (a
            // write between the two holds it "waiting"), a kill -9 loses nothing
            Path file = jpm.home.resolve("alerts.json");
            Jpm.await("alerts.json written with the end and its delivery", () -> {
                try {
                    String text = Files.readString(file);
                    return text.contains("\"status\":\"resolved\"") && !text.contains("\"waiting\"") ? true : null;
                } catch (IOException e) {
                    return null;
                }
            });
            DaemonAway.awaitNewDaemon(jpm, DaemonAway.kill(jpm));
            assertKept(web, afterUpdate, counted);
            assertEquals(1, receiver.count("json", "thrown firing"), receiver.all());

            // jpm kill and a start: the stop writes what changed since the last write (errs throws on)
            JsonArray beforeKill = alerts(web).getJsonArray("alerts");
            JsonObject lastSeen = group(web, g -> true);
            jpm.ok("kill");
            jpm.ok("ls");
            assertKept(web, beforeKill, lastSeen);

            for (String name : List.of("alerts.json", "exceptions.json")) {
                Path kept = jpm.home.resolve(name);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)), name);
                assertFalse(Files.readString(kept).contains(KEY), name + " holds the webhook's key");
            }
        }
    }

    @Test
    void aDeliveryOnItsWayWhenTheDaemonIsKilledIsSentAgainByTheNextDaemon() throws Exception {
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
                                                                    .put("url", receiver.url("/json/" + KEY))
                                                                    .put("format", "json")))
                                    .put(
                                            "rules",
                                            new JsonArray()
                                                    .add(new JsonObject()
                                                            .put("name", "thrown")
                                                            .put("when", "exception")
                                                            .put("apps", new JsonArray().add("once"))))));
            WebClient web = WebClient.start(jpm, Ports.free());
            receiver.hold();
            Path once =
                    jpm.write("once.js", "console.error(new Error('disk full'));\nsetInterval(() => {}, 1 << 30);\n");
            jpm.ok("start", once.toString(), "--name", "once");
            receiver.await("the alert on its way", "json", "thrown firing", 1);
            Path file = jpm.home.resolve("alerts.json");
            Jpm.await("alerts.json lists the delivery waiting", () -> {
                try {
                    return Files.readString(file).contains("\"json\":\"waiting\"") ? true : null;
                } catch (IOException e) {
                    return null;
                }
            });

            int killed = DaemonAway.kill(jpm);
            receiver.release();
            DaemonAway.awaitNewDaemon(jpm, killed);

            JsonObject alert = Jpm.await("the delivery sent by the new daemon", BACK_WITHIN, () -> {
                if (web.statusOf("/api/alerts", web.readOnly) != 200) {
                    return null;
                }
                JsonArray alerts = alerts(web).getJsonArray("alerts");
                return alerts.size() == 1
                                && "sent (HTTP 200)"
                                        .equals(alerts.getJsonObject(0)
                                                .getJsonObject("deliveries")
                                                .getString("json"))
                        ? alerts.getJsonObject(0)
                        : null;
            });
            // at least once: the held one and the one sent again, the same alert
            List<JsonObject> got = receiver.bodies("json");
            assertTrue(got.size() >= 2, receiver.all());
            assertTrue(got.stream().allMatch(b -> b.getLong("id").equals(alert.getLong("id"))), receiver.all());
        }
    }

    @Test
    void aDamagedFileIsOneLineInTheLogAndAnEmptyStart() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Files.createDirectories(jpm.home);
            Files.writeString(jpm.home.resolve("alerts.json"), "{\"alerts\":[{\"id\":1,\"rule\":");
            jpm.ok("ls");
            WebClient web = WebClient.start(jpm, Ports.free());
            assertEquals(0, alerts(web).getJsonArray("alerts").size());
            String log = Files.readString(jpm.home.resolve("daemon.log"));
            List<String> said =
                    log.lines().filter(l -> l.contains("alerts.json")).toList();
            assertEquals(1, said.size(), log);
            assertTrue(said.get(0).contains("cannot read " + jpm.home.resolve("alerts.json") + ": "), said.get(0));
        }
    }

    private static JsonObject settings(WebhookReceiver receiver) {
        return new JsonObject()
                .put("satan", new JsonObject().put("sample_interval", "1s").put("idle_sample_interval", "1s"))
                .put(
                        "alerts",
                        new JsonObject()
                                .put(
                                        "webhooks",
                                        new JsonObject()
                                                .put(
                                                        "json",
                                                        new JsonObject()
                                                                .put("url", receiver.url("/json/" + KEY))
                                                                .put("format", "json")))
                                .put(
                                        "rules",
                                        new JsonArray()
                                                .add(new JsonObject()
                                                        .put("name", "fat")
                                                        .put("when", "memory")
                                                        .put("over", "32M")
                                                        .put("apps", new JsonArray().add("hog")))
                                                .add(new JsonObject()
                                                        .put("name", "thrown")
                                                        .put("when", "exception")
                                                        .put("apps", new JsonArray().add("errs")))));
    }

    /** Every alert listed before is listed again as it was (its id, time, text and deliveries); the group counts on from its count. */
    private static void assertKept(WebClient web, JsonArray listed, JsonObject group) {
        Jpm.await(
                "the alerts served again",
                BACK_WITHIN,
                () -> web.statusOf("/api/alerts", web.readOnly) == 200 ? true : null);
        JsonArray now = alerts(web).getJsonArray("alerts");
        for (Object was : listed) {
            assertTrue(now.contains(was), () -> was + " not in " + now.encodePrettily());
        }
        JsonObject kept = group(web, g -> g.getLong("count") >= group.getLong("count"));
        assertEquals(group.getLong("first_seen"), kept.getLong("first_seen"), kept.encode());
        assertEquals(group.getString("message"), kept.getString("message"), kept.encode());
        assertEquals(group.getString("stack"), kept.getString("stack"), kept.encode());
    }

    private static JsonObject alerts(WebClient web) {
        WebClient.Answer answer = web.get("/api/alerts", web.readOnly);
        assertEquals(200, answer.status(), answer.toString());
        return answer.json().getJsonObject("data");
    }

    private static JsonObject rule(JsonObject alerts, String name) {
        return alerts.getJsonArray("rules").stream()
                .map(JsonObject.class::cast)
                .filter(r -> r.getString("name").equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static long count(JsonObject alerts, String rule, String status) {
        return alerts.getJsonArray("alerts").stream()
                .map(JsonObject.class::cast)
                .filter(a -> a.getString("rule").equals(rule)
                        && a.getString("status").equals(status))
                .count();
    }

    /** errs' group once it matches; the API answering again after a restart is waited for too. */
    private static JsonObject group(WebClient web, Predicate<JsonObject> wanted) {
        return Jpm.await("errs' exceptions grouped", BACK_WITHIN, () -> {
            WebClient.Answer answer = web.get("/api/exceptions?app=errs", web.readOnly);
            if (answer.status() != 200) {
                return null;
            }
            JsonArray groups = answer.json().getJsonObject("data").getJsonArray("groups");
            return groups.size() == 1 && wanted.test(groups.getJsonObject(0)) ? groups.getJsonObject(0) : null;
        });
    }
}
