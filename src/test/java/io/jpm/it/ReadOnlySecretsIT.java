package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The read-only token, which the docs recommend for monitors, sees each app's environment variable
 * names and never their values, on every door: the bridge's list and describe (also when the
 * client claims more in its body), HTTP {@code /}, {@code /api/processes}, {@code
 * /api/processes/:target} (with and without {@code env=false}), what the dashboard fetches, and the
 * Server-Sent Events. The admin token sees the values. {@code jpm serve}'s basic-auth password is
 * in no listing for either token, and dump.json keeps it for resurrect. jpm.json's
 * {@code access.read_only_sees_env} opts back in.
 */
@ExtendWith(JpmExtension.class)
class ReadOnlySecretsIT {
    /** In the operator's shell when they start the app: jpm captures the client's environment. */
    private static final String SHELL_SECRET = "shell-secret-4b1d";
    /** In the ecosystem file's env. */
    private static final String FILE_SECRET = "file-secret-9c2e";

    private static final String SERVE_PASSWORD = "serve-pass-7f3a";
    private static final String REDACTED = "<redacted>";

    /** Chosen once a class: its daemon keeps the web settings from test to test. */
    private static final int PORT = Ports.free();

    private WebClient web;
    private String admin;
    private String readOnly;

    @BeforeEach
    void appsWithSecrets(Jpm jpm) throws IOException {
        web = WebClient.start(jpm, PORT);
        admin = web.admin;
        readOnly = web.readOnly;
        Path file = jpm.ecosystem(
                "secrets.json",
                Jpm.app("keep", Jpm.fixture("tree.sh")).put("env", new JsonObject().put("DB_PASSWORD", FILE_SECRET)));
        Jpm.Result started = jpm.cli(Map.of("SHELL_TOKEN", SHELL_SECRET), "start", file.toString());
        assertEquals(0, started.exit(), started.toString());
        Path site = Files.createDirectories(jpm.scratch.resolve("site"));
        jpm.ok(
                "serve",
                site.toString(),
                Integer.toString(Ports.free()),
                "--name",
                "files",
                "--basic-auth-username",
                "ann",
                "--basic-auth-password",
                SERVE_PASSWORD);
        jpm.awaitStatus("keep", "online");
        jpm.awaitStatus("files", "online");
    }

    @AfterEach
    void settingOff(Jpm jpm) {
        jpm.cli("unset", "access.read_only_sees_env");
    }

    /** Names listed, values withheld, no secret anywhere in the text. */
    private static void namesOnly(String where, String text) {
        assertFalse(
                text.contains(SHELL_SECRET) || text.contains(FILE_SECRET) || text.contains(SERVE_PASSWORD),
                where + " shows a secret to the read-only token: " + text);
        assertTrue(text.contains("SHELL_TOKEN") && text.contains("DB_PASSWORD"), where + " lists the names: " + text);
        assertTrue(text.contains(REDACTED), where + " marks what it withholds: " + text);
    }

    private static JsonObject app(JsonArray list, String name) {
        for (Object p : list) {
            if (name.equals(((JsonObject) p).getString("name"))) {
                return (JsonObject) p;
            }
        }
        throw new AssertionError("no " + name + " in " + list.encode());
    }

    private static JsonArray bridgeData(JsonObject reply) {
        assertNotNull(reply, "no reply");
        assertEquals(null, reply.getValue("failureCode"), reply.encode());
        return reply.getJsonObject("body").getJsonArray("data");
    }

    @Test
    void theBridgeListsNamesWithoutValuesToTheReadOnlyToken(Jpm jpm) throws IOException {
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            JsonArray list = bridgeData(bridge.request("jpm.query.list", new JsonObject(), readOnly));
            namesOnly("bridge list", list.encode());
            JsonObject env = app(list, "keep").getJsonObject("pm2_env");
            assertEquals(REDACTED, env.getJsonObject("env").getString("DB_PASSWORD"));
            assertEquals(REDACTED, env.getString("SHELL_TOKEN"), "pm2_env's merged copy too");
            // a body that claims the admin's view changes nothing: the bridge overwrites it
            namesOnly(
                    "bridge list with a forged access",
                    bridgeData(bridge.request("jpm.query.list", new JsonObject().put("access", "admin"), readOnly))
                            .encode());
            JsonObject describe =
                    new JsonObject().put("targets", new JsonArray().add("all")).put("cwd", jpm.scratch.toString());
            namesOnly(
                    "bridge describe",
                    bridgeData(bridge.request("jpm.query.describe", describe, readOnly))
                            .encode());

            JsonArray full = bridgeData(bridge.request("jpm.query.list", new JsonObject(), admin));
            JsonObject keep = app(full, "keep").getJsonObject("pm2_env");
            assertEquals(
                    FILE_SECRET, keep.getJsonObject("env").getString("DB_PASSWORD"), "the admin token sees values");
            assertEquals(SHELL_SECRET, keep.getString("SHELL_TOKEN"));
            // serve's password: in no listing, for either token
            assertFalse(full.encode().contains(SERVE_PASSWORD), full.encode());
            assertEquals(
                    REDACTED,
                    app(full, "files")
                            .getJsonObject("pm2_env")
                            .getJsonObject("env")
                            .getString("PM2_SERVE_BASIC_AUTH_PASSWORD"));
        }
        assertFalse(jpm.ok("jlist").out().contains(SERVE_PASSWORD));
        assertFalse(jpm.ok("describe", "files").out().contains(SERVE_PASSWORD));
        assertFalse(jpm.ok("env", Integer.toString(app(jpm.jlist(), "files").getInteger("pm_id")))
                .out()
                .contains(SERVE_PASSWORD));
    }

    @Test
    void everyHttpRouteAndTheDashboardShowNamesWithoutValues(Jpm jpm) {
        int keepId = app(jpm.jlist(), "keep").getInteger("pm_id");
        // what the dashboard's page fetches: the list without env, then a process's describe
        for (String path : List.of(
                "/", "/api/processes", "/api/processes/keep", "/api/processes/" + keepId, "/api/processes/all")) {
            WebClient.Answer answer = web.get(path, readOnly);
            assertEquals(200, answer.status(), path + ": " + answer);
            namesOnly("GET " + path, answer.body());
        }
        for (String path : List.of("/api/processes?env=false", "/api/processes/keep?env=false", "/ui/", "/ui/app.js")) {
            WebClient.Answer answer = web.get(path, readOnly);
            assertEquals(200, answer.status(), path + ": " + answer);
            assertFalse(
                    answer.body().contains(SHELL_SECRET) || answer.body().contains(FILE_SECRET), path + ": " + answer);
        }
        // describe honours env=false now, as the list does
        assertFalse(web.get("/api/processes/keep?env=false", admin).body().contains("DB_PASSWORD"));
        WebClient.Answer full = web.get("/api/processes/keep", admin);
        assertTrue(
                full.body().contains(FILE_SECRET) && full.body().contains(SHELL_SECRET),
                "the admin token sees values: " + full);
        assertTrue(web.get("/", admin).body().contains(FILE_SECRET));
        assertFalse(
                web.get("/api/processes", admin).body().contains(SERVE_PASSWORD), "serve's password is in no listing");
    }

    @Test
    void eventStreamsCarryNoSecret(Jpm jpm) throws Exception {
        try (WebClient.Events events = web.events("/api/events", readOnly)) {
            assertEquals(200, events.status);
            jpm.ok("restart", "keep");
            JsonObject online = events.await(
                    "keep online", line -> line.contains("\"keep\"") && line.contains("\"to\":\"online\""));
            String text = online.encode();
            assertFalse(text.contains(SHELL_SECRET) || text.contains(FILE_SECRET), text);
        }
    }

    @Test
    void dumpKeepsServesPasswordForResurrect(Jpm jpm) throws IOException {
        jpm.ok("save");
        String dump = Files.readString(jpm.home.resolve("dump.json"));
        assertTrue(dump.contains(SERVE_PASSWORD), "resurrect starts the server with its password");
    }

    @Test
    void jpmJsonOptsTheReadOnlyTokenBackIn(Jpm jpm) {
        jpm.ok("set", "access.read_only_sees_env", "true");
        String seen = Jpm.await("the setting applied", () -> {
            String body = web.get("/api/processes/keep", readOnly).body();
            return body.contains(FILE_SECRET) ? body : null;
        });
        assertTrue(seen.contains(SHELL_SECRET), seen);
        assertFalse(web.get("/api/processes", readOnly).body().contains(SERVE_PASSWORD), "serve's password stays out");
    }
}
