package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP door against a real daemon over real HTTP: {@code jpm web}, pm2 web's JSON at {@code /},
 * every REST route, the token rules (a refusal changes nothing and is logged), the error cases with
 * the CLI's messages, logs and live events over Server-Sent Events, and a port already taken.
 */
@ExtendWith(JpmExtension.class)
class WebIT {
    /** Chosen once a class: its daemon keeps the web settings from test to test. */
    private static final int PORT = Ports.free();

    private WebClient web;
    private KeptApp keep;

    @BeforeEach
    void webOnAndOneApp(Jpm jpm) throws IOException {
        web = WebClient.start(jpm, PORT);
        keep = KeptApp.start(jpm);
    }

    @Test
    void jpmWebPrintsTheUrlAndTheTokenFiles(Jpm jpm) throws IOException {
        Jpm.Result result = jpm.ok("web", "--port", Integer.toString(PORT));
        assertTrue(result.out().contains("http://127.0.0.1:" + PORT), result.toString());
        assertTrue(result.out().contains(jpm.home.resolve("token.readonly").toString()), result.toString());
        assertTrue(result.out().contains(jpm.home.resolve("token").toString()), result.toString());
        JsonObject daemon = new JsonObject(Files.readString(jpm.home.resolve("daemon.json")));
        assertEquals(PORT, daemon.getInteger("httpPort"), daemon.encode());
        assertTrue(Files.readString(jpm.home.resolve("jpm.json")).contains("\"enabled\" : true"));
    }

    /**
     * {@code HEAD /ui/} answered 404 where GET answered 200. Every GET route but the event
     * streams answers HEAD with GET's status and head, no body, under the same token rules.
     */
    /** Routes whose answer holds live figures: two requests in a row differ in length. */
    private static final Set<String> LIVE = Set.of("/", "/api/processes", "/metrics");

    @Test
    void headAnswersAsGetWithoutTheBody(Jpm jpm) throws Exception {
        for (String path : List.of(
                "/ui/", "/ui", "/ui/app.js", "/api/openapi.json", "/api/processes", "/", "/metrics", "/ui/nothing")) {
            WebClient.Answer get = web.get(path, web.readOnly);
            HttpResponse<byte[]> head = head(path, web.readOnly);
            assertEquals(get.status(), head.statusCode(), "HEAD " + path);
            assertEquals(0, head.body().length, "HEAD " + path + " has no body");
            String length = head.headers().firstValue("Content-Length").orElse("");
            if (LIVE.contains(path)) {
                // figures that move between two requests (cpu, uptime): a length, not GET's to the byte
                assertTrue(length.matches("[1-9][0-9]*"), "HEAD " + path + ": a length, got '" + length + "'");
            } else {
                assertEquals(
                        get.status() == 302 ? "" : Integer.toString(get.body().getBytes(StandardCharsets.UTF_8).length),
                        length,
                        "HEAD " + path + ": GET's length");
            }
        }
        assertEquals(401, head("/api/processes", null).statusCode(), "no token: the same refusal as GET");
        assertEquals(404, head("/api/events", web.readOnly).statusCode(), "an event stream has no HEAD");
    }

    private HttpResponse<byte[]> head(String path, String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(web.base + path)).method("HEAD", HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void rootIsPm2WebsJson(Jpm jpm) {
        WebClient.Answer answer = web.get("/", web.readOnly);
        assertEquals(200, answer.status(), answer.toString());
        JsonObject root = answer.json();
        assertTrue(root.getJsonObject("system_info").getString("hostname").length() > 0);
        assertTrue(root.getJsonObject("system_info").getDouble("uptime") > 0);
        JsonObject monit = root.getJsonObject("monit");
        assertEquals(3, monit.getJsonArray("loadavg").size());
        assertTrue(monit.getLong("total_mem") >= monit.getLong("free_mem"));
        assertTrue(monit.getJsonArray("cpu").size() > 0);
        assertTrue(monit.getJsonObject("interfaces").containsKey("lo"), monit.encode());
        JsonObject process = root.getJsonArray("processes").getJsonObject(0);
        assertEquals("keep", process.getString("name"));
        assertEquals("online", process.getJsonObject("pm2_env").getString("status"));
    }

    @Test
    void aMissingOrWrongTokenIs401AndChangesNothing(Jpm jpm) throws IOException {
        assertEquals(401, web.get("/", null).status());
        assertEquals(401, web.get("/api/processes", "not-the-token").status());
        WebClient.Answer noToken = web.post("/api/processes/keep/stop", null, "");
        assertEquals(401, noToken.status(), noToken.toString());
        assertEquals(
                "access denied: no token in Authorization: Bearer",
                noToken.json().getString("message"));
        assertEquals(16, noToken.json().getInteger("code"));
        assertEquals(401, web.post("/api/processes/keep/delete", "wrong", "").status());
        WebClient.Answer readOnly = web.post("/api/processes/keep/stop", web.readOnly, "");
        assertEquals(403, readOnly.status(), readOnly.toString());
        assertEquals(
                "access denied: the read-only token may not send jpm.cmd.stop",
                readOnly.json().getString("message"));
        keep.assertUnchanged(jpm);
        String log = Files.readString(WebClient.daemonLog(jpm));
        assertTrue(log.contains("web: refused POST /api/processes/keep/stop"), "an access log line per refusal");
        assertTrue(!log.contains(web.admin) && !log.contains(web.readOnly), "no token in the log");
    }

    @Test
    void listAndDescribeAndTheCliMessageFor404(Jpm jpm) {
        WebClient.Answer list = web.get("/api/processes", web.readOnly);
        assertEquals(200, list.status(), list.toString());
        assertEquals("keep", list.json().getJsonArray("data").getJsonObject(0).getString("name"));
        WebClient.Answer describe = web.get("/api/processes/keep", web.readOnly);
        assertEquals(keep.pid(), (long)
                describe.json().getJsonArray("data").getJsonObject(0).getInteger("pid"));
        WebClient.Answer ghost = web.get("/api/processes/ghost", web.readOnly);
        assertEquals(404, ghost.status(), ghost.toString());
        assertEquals("process or namespace ghost not found", ghost.json().getString("message"));
        assertEquals(
                jpm.cli("describe", "ghost").err().strip(),
                "jpm: " + ghost.json().getString("message"));
        WebClient.Answer route = web.get("/api/nothing", web.readOnly);
        assertEquals(404, route.status());
        assertTrue(route.json().getString("message").startsWith("unknown route GET /api/nothing"), route.toString());
        assertEquals(
                404, web.post("/api/processes/ghost/restart", web.admin, "").status());
        keep.assertUnchanged(jpm);
    }

    @Test
    void aMalformedBodyIs400NamingTheField(Jpm jpm) {
        WebClient.Answer notJson = web.post("/api/processes/keep/scale", web.admin, "{count: 2");
        assertEquals(400, notJson.status(), notJson.toString());
        assertEquals("malformed body: not a JSON object", notJson.json().getString("message"));
        WebClient.Answer count = web.post("/api/processes/keep/scale", web.admin, "{\"count\": true}");
        assertEquals(400, count.status());
        assertTrue(count.json().getString("message").contains("field 'count'"), count.toString());
        WebClient.Answer signal = web.post("/api/processes/keep/signal", web.admin, "{}");
        assertTrue(signal.json().getString("message").contains("field 'signal'"), signal.toString());
        WebClient.Answer parallel = web.post("/api/processes/keep/restart", web.admin, "{\"parallel\": \"two\"}");
        assertEquals(400, parallel.status());
        assertTrue(
                parallel.json().getString("message").contains("field 'parallel' must be a whole number"),
                parallel.toString());
        // The bridge's {"targets":"api"} is refused at this door too, naming the field (the path names
        // the targets; a body's targets was dropped without a word)
        WebClient.Answer targets = web.post("/api/processes/keep/restart", web.admin, "{\"targets\": \"api\"}");
        assertEquals(400, targets.status(), targets.toString());
        assertEquals(10, targets.json().getInteger("code"), targets.toString());
        assertTrue(
                targets.json().getString("message").contains("field 'targets' must be an array"), targets.toString());
        WebClient.Answer apps = web.post("/api/processes", web.admin, "{\"apps\": \"worker.py\"}");
        assertEquals(400, apps.status(), apps.toString());
        assertTrue(apps.json().getString("message").contains("field 'apps' must be an array"), apps.toString());
        assertEquals(
                400,
                web.post("/api/processes", web.admin, "{\"apps\": [], \"cwd\": 7}")
                        .status());
        WebClient.Answer badSignal = web.post("/api/processes/keep/signal", web.admin, "{\"signal\": \"SIGNOPE\"}");
        assertEquals(400, badSignal.status());
        assertTrue(badSignal.json().getString("message").contains("unknown signal 'SIGNOPE'"), badSignal.toString());
        keep.assertUnchanged(jpm);
    }

    @Test
    void theAdminTokenActs(Jpm jpm) {
        String tree = Jpm.fixture("tree.sh").toString();
        WebClient.Answer start = web.post(
                "/api/processes",
                web.admin,
                Jpm.ecosystem(new JsonObject().put("script", tree).put("name", "w")));
        assertEquals(200, start.status(), start.toString());
        assertEquals("w", start.json().getJsonArray("data").getJsonObject(0).getString("name"));
        jpm.awaitStatus("w", "online");
        WebClient.Answer scale = web.post("/api/processes/w/scale", web.admin, "{\"count\": 2}");
        assertEquals(200, scale.status(), scale.toString());
        assertEquals(2, jpm.awaitStatus("w", "online").size());
        long before = jpm.named("keep").get(0).getInteger("pid");
        assertEquals(200, web.post("/api/processes/keep/restart", web.admin, "").status());
        long restarted = jpm.awaitStatus("keep", "online").get(0).getInteger("pid");
        assertNotEquals(before, restarted);
        assertEquals(200, web.post("/api/processes/keep/reload", web.admin, "").status());
        JsonObject reloaded = jpm.awaitStatus("keep", "online").get(0);
        assertNotEquals(restarted, (long) reloaded.getInteger("pid"));
        String out = reloaded.getJsonObject("pm2_env").getString("pm_out_log_path");
        // online from its spawn on; its first line says its trap is set (bash dies of a SIGUSR2 before)
        jpm.awaitLog(out, "pid: " + reloaded.getInteger("pid"));
        assertEquals(
                200,
                web.post("/api/processes/keep/signal", web.admin, "{\"signal\":\"SIGUSR2\"}")
                        .status());
        jpm.awaitLog(out, "got USR2");
        assertEquals(200, web.post("/api/processes/keep/reset", web.admin, "").status());
        assertEquals(0, jpm.named("keep").get(0).getJsonObject("pm2_env").getInteger("restart_time"));
        WebClient.Answer stop = web.post("/api/processes/keep/stop", web.admin, "");
        assertEquals(
                "stopped", stop.json().getJsonArray("data").getJsonObject(0).getString("status"), stop.toString());
        assertEquals(200, web.post("/api/processes/w/delete", web.admin, "").status());
        assertEquals(List.of(), jpm.named("w"));
    }

    @Test
    void logsTailAndLiveLinesAndEvents(Jpm jpm) throws Exception {
        jpm.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", "tick");
        jpm.awaitLog(
                jpm.awaitStatus("tick", "online")
                        .get(0)
                        .getJsonObject("pm2_env")
                        .getString("pm_out_log_path"),
                "tick 3");
        WebClient.Answer tail = web.get("/api/processes/tick/logs?lines=2", web.readOnly);
        assertEquals(200, tail.status(), tail.toString());
        JsonArray lines = tail.json().getJsonArray("data");
        assertEquals(4, lines.size(), "2 out and 2 err lines: " + tail);
        assertTrue(lines.getJsonObject(0).getString("line").startsWith("tick "), tail.toString());
        assertTrue(lines.getJsonObject(3).getString("line").startsWith("tock "), tail.toString());
        assertEquals(
                400,
                web.get("/api/processes/tick/logs?lines=lots", web.readOnly).status());
        try (WebClient.Events live = web.events("/api/processes/tick/logs/stream?lines=0", web.readOnly)) {
            assertEquals(200, live.status);
            live.await("a live line of tick", l -> l.contains("\"app\":\"tick\"") && l.contains("\"line\":\"tick "));
        }
        try (WebClient.Events events = web.events("/api/events?only=process", web.readOnly)) {
            assertEquals(
                    200, web.post("/api/processes/keep/restart", web.admin, "").status());
            JsonObject event = events.await(
                    "keep going online", l -> l.contains("\"app\":\"keep\"") && l.contains("\"to\":\"online\""));
            assertEquals("launching", event.getString("from"));
        }
        assertEquals(400, web.get("/api/events?only=gossip", web.readOnly).status());
    }

    @Test
    void aPortInUseIsAClearErrorAndTheDaemonRunsOn(Jpm jpm) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Jpm.Result refused = jpm.cli("web", "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(1, refused.exit(), refused.toString());
            assertTrue(
                    refused.err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), refused.toString());
            assertTrue(refused.err().contains("the daemon runs on without HTTP"), refused.toString());
            assertTrue(Files.readString(WebClient.daemonLog(jpm))
                    .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()));
            jpm.ok("ping");
            keep.assertUnchanged(jpm);
        }
        jpm.ok("web", "--port", Integer.toString(PORT));
        assertEquals(200, web.get("/api/processes", web.readOnly).status());
    }
}
