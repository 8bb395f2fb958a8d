package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The daemon's history on a real daemon: Satan's samples and a Node app's code metrics recorded and
 * served by {@code GET /api/history} to the read-only token (refused without one), turned off and on
 * by jpm.json's history.enabled, and kept over a
 * daemon that stops, one that leaves for {@code jpm update}, and one killed with -9 (its finished
 * minutes).
 */
@WithoutTuning
class HistoryIT {
    private static final Duration MINUTE_AND_MORE = Duration.ofSeconds(150);

    /** A daemon that samples every second (nobody follows the figures in these tests). */
    private static WebClient daemon(Jpm jpm) throws IOException {
        jpm.settings(new JsonObject()
                .put("satan", new JsonObject().put("sample_interval", "1s").put("idle_sample_interval", "1s")));
        return WebClient.start(jpm, Ports.free());
    }

    private static JsonObject history(WebClient web, String query) {
        WebClient.Answer answer = web.get("/api/history?" + query, web.readOnly);
        assertEquals(200, answer.status(), answer.toString());
        return answer.json().getJsonObject("data");
    }

    /** The app's series of {@code metric}, empty when it has none in the answer. */
    private static List<Object> series(JsonObject history, String app, String metric) {
        JsonObject of = history.getJsonObject("apps").getJsonObject(app, new JsonObject());
        return of.getJsonArray(metric, new JsonArray()).getList();
    }

    private static long figures(List<Object> series) {
        return series.stream().filter(v -> v != null).count();
    }

    @Test
    void samplesAndCodeMetricsAreServedToTheReadOnlyTokenAndRefusedWithoutOne() throws Exception {
        try (Jpm jpm = new Jpm()) {
            WebClient web = daemon(jpm);
            int port = Ports.free();
            jpm.cli(
                    Map.of("APP_PORT", Integer.toString(port)),
                    "start",
                    Jpm.fixture("hello_cluster.js").toString(),
                    "--name",
                    "web");
            jpm.awaitStatus("web", "online");
            HttpClient http = HttpClient.newHttpClient();
            JsonObject history =
                    Jpm.await("web's memory, req/min and event loop latency in the history", MINUTE_AND_MORE, () -> {
                        try {
                            http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding());
                        } catch (IOException e) {
                            return null;
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        JsonObject h = history(web, "from=10m&step=5s&apps=web");
                        boolean served = series(h, "web", "req_min").stream()
                                .anyMatch(v -> v instanceof Number n && n.doubleValue() > 0);
                        return figures(series(h, "web", "memory")) > 0
                                        && served
                                        && figures(series(h, "web", "loop_ms")) > 0
                                ? h
                                : null;
                    });
            int points = history.getJsonArray("times").size();
            assertEquals(5_000, history.getInteger("step_ms"));
            assertEquals(points, series(history, "web", "cpu").size(), history.encode());
            assertEquals(
                    1.0, ((Number) series(history, "web", "online").get(points - 1)).doubleValue(), history.encode());
            JsonObject totals = history.getJsonObject("totals");
            assertEquals(points, totals.getJsonArray("memory").size());
            assertTrue(figures(totals.getJsonArray("memory").getList()) > 0, totals.encode());

            assertEquals(401, web.get("/api/history", null).status());
            assertEquals(401, web.get("/api/history", "not-a-token").status());
            WebClient.Answer bad = web.get("/api/history?step=1s", web.readOnly);
            assertEquals(400, bad.status(), bad.toString());
            assertTrue(bad.body().contains("'step' must be a duration of at least 5s"), bad.toString());

            // jpm.json's history.enabled: off lets go of it (503), on reads the files back
            jpm.ok("set", "history.enabled", "false");
            WebClient.Answer off = Jpm.await("the history off", () -> {
                WebClient.Answer a = web.get("/api/history", web.readOnly);
                return a.status() == 503 ? a : null;
            });
            assertTrue(off.body().contains("history: off (jpm.json's history.enabled is false)"), off.toString());
            jpm.ok("set", "history.enabled", "true");
            String range = "&from=" + history.getLong("from") + "&to=" + history.getLong("to");
            JsonObject back = Jpm.await("the history on again", () -> {
                WebClient.Answer a = web.getOnceListening("/api/history?step=5s&apps=web" + range, web.readOnly);
                return a != null && a.status() == 200 ? a.json().getJsonObject("data") : null;
            });
            List<Object> was = series(history, "web", "memory");
            assertEquals(
                    was.subList(0, was.size() - 1),
                    series(back, "web", "memory").subList(0, was.size() - 1),
                    "written when it went off, read back when it came on");
        }
    }

    @Test
    void aDaemonKilledWithMinus9KeepsItsFinishedMinutesInOwnerOnlyFiles() throws Exception {
        try (Jpm jpm = new Jpm()) {
            WebClient web = daemon(jpm);
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "quiet");
            jpm.awaitStatus("quiet", "online");
            Path dir = jpm.home.resolve("history");
            JsonObject before = Jpm.await("a finished minute of quiet's, written", MINUTE_AND_MORE, () -> {
                JsonObject h = history(web, "from=5m&step=1m&apps=quiet");
                List<Object> memory = series(h, "quiet", "memory");
                // the last point is the minute under way: an earlier one is finished, and written
                return memory.size() > 1 && figures(memory.subList(0, memory.size() - 1)) > 0 && minuteFile(dir)
                        ? h
                        : null;
            });
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    assertEquals(
                            "rw-------",
                            PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                            file.toString());
                }
            }
            int daemon = jpm.daemonPid();
            new ProcessBuilder("kill", "-KILL", Integer.toString(daemon))
                    .start()
                    .waitFor();
            Jpm.awaitGone(daemon);
            jpm.awaitStatus("quiet", "online"); // the keeper's next daemon, which adopted the app
            String from = Long.toString(before.getLong("from"));
            String to = Long.toString(before.getLong("to") - 60_000);
            JsonObject after = Jpm.await("the history served again", () -> {
                WebClient.Answer a = web.getOnceListening(
                        "/api/history?step=1m&apps=quiet&from=" + from + "&to=" + to, web.readOnly);
                return a != null && a.status() == 200 ? a.json().getJsonObject("data") : null;
            });
            List<Object> kept = series(before, "quiet", "memory");
            assertEquals(
                    kept.subList(0, kept.size() - 1),
                    series(after, "quiet", "memory"),
                    "the finished minutes, as the killed daemon served them");
        }
    }

    @Test
    void aDaemonThatStopsKeepsEvenTheSlotsUnderWay() throws Exception {
        try (Jpm jpm = new Jpm()) {
            WebClient web = daemon(jpm);
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "quiet");
            jpm.awaitStatus("quiet", "online");
            JsonObject before = Jpm.await("three 5 s slots of quiet's", MINUTE_AND_MORE, () -> {
                JsonObject h = history(web, "from=10m&step=5s&apps=quiet");
                return figures(series(h, "quiet", "memory")) >= 3 ? h : null;
            });
            jpm.ok("kill");
            jpm.ok("ping"); // a new daemon, its web server on the same port from jpm.json
            String range = "&from=" + before.getLong("from") + "&to=" + before.getLong("to");
            JsonObject after = Jpm.await("the history served again", () -> {
                WebClient.Answer a = web.getOnceListening("/api/history?step=5s&apps=quiet" + range, web.readOnly);
                return a != null && a.status() == 200 ? a.json().getJsonObject("data") : null;
            });
            List<Object> was = series(before, "quiet", "memory");
            List<Object> is = series(after, "quiet", "memory");
            for (int i = 0; i < was.size() - 1; i++) {
                assertEquals(was.get(i), is.get(i), "point " + i + " of " + was + " against " + is);
            }
            assertTrue(is.get(was.size() - 1) != null, "the slot under way at the stop was written too: " + is);
        }
    }

    @Test
    void anUpdateKeepsEvenTheSlotsUnderWay() throws Exception {
        try (Jpm jpm = new Jpm()) {
            WebClient web = daemon(jpm);
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "quiet");
            jpm.awaitStatus("quiet", "online");
            JsonObject before = Jpm.await("three 5 s slots of quiet's", MINUTE_AND_MORE, () -> {
                JsonObject h = history(web, "from=10m&step=5s&apps=quiet");
                return figures(series(h, "quiet", "memory")) >= 3 ? h : null;
            });
            int daemon = jpm.daemonPid();
            Jpm.Result update = jpm.cli("update");
            assertEquals(0, update.exit(), update.toString());
            assertTrue(update.out().contains("[jpm] adopted 1, restarted 0"), update.toString());
            assertTrue(jpm.daemonPid() != daemon, "a new daemon");
            String range = "&from=" + before.getLong("from") + "&to=" + before.getLong("to");
            JsonObject after = Jpm.await("the history served again", () -> {
                WebClient.Answer a = web.getOnceListening("/api/history?step=5s&apps=quiet" + range, web.readOnly);
                return a != null && a.status() == 200 ? a.json().getJsonObject("data") : null;
            });
            List<Object> was = series(before, "quiet", "memory");
            List<Object> is = series(after, "quiet", "memory");
            for (int i = 0; i < was.size() - 1; i++) {
                assertEquals(was.get(i), is.get(i), "point " + i + " of " + was + " against " + is);
            }
        }
    }

    private static boolean minuteFile(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            // a member is written in one write: a file with bytes holds a whole one
            return files.anyMatch(f -> f.getFileName().toString().startsWith("minute-")
                    && f.toFile().length() > 0);
        } catch (IOException e) {
            return false;
        }
    }
}
