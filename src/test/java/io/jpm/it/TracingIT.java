package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * pm2 7's tracing under jpm: {@code jpm install-otel} installs OpenTelemetry's Node packages from
 * npm's registry into the test's own JPM_HOME, a Node HTTP app started with {@code --trace} serves
 * one request, and its server span reaches this test's OTLP/HTTP receiver (a Vert.x server on
 * loopback, named by the standard OTEL_EXPORTER_OTLP_ENDPOINT in the app's environment) under the
 * app's name. An app in another language started with {@code --trace} runs, with a warning and
 * nothing installed; uninstall-otel with nothing installed succeeds, as pm2's.
 */
class TracingIT {
    /** Loading the SDK and its instrumentations takes node a second or two before the app listens. */
    private static final Duration SPAN_WITHIN = Duration.ofSeconds(60);

    @Test
    void aTracedNodeAppSendsItsServerSpanToTheOtlpEndpointUnderItsName() throws Exception {
        assumeTrue(Pm2NodePackageIT.available("node") && Pm2NodePackageIT.available("npm"), "node and npm are needed");
        Vertx vertx = Vertx.vertx();
        try (Jpm jpm = new Jpm()) {
            List<JsonObject> exports = new CopyOnWriteArrayList<>();
            int otlp = receiver(vertx, exports);
            Jpm.Result install = jpm.cliWithin(Jpm.NPM_TIMEOUT, "install-otel");
            assertEquals(0, install.exit(), install::toString);
            assertTrue(
                    install.out().contains("OpenTelemetry tracing packages installed successfully"), install::toString);
            Jpm.Result again = jpm.cli("install-otel");
            assertEquals(0, again.exit(), again::toString);
            assertTrue(again.out().contains("already installed"), again::toString);

            int port = freePort();
            Path app = jpm.write(
                    "web.js",
                    "require('http').createServer((q, r) => r.end('ok')).listen(+process.env.PORT, '127.0.0.1');\n");
            Jpm.Result start = jpm.cli(
                    Map.of(
                            "PORT",
                            Integer.toString(port),
                            "OTEL_EXPORTER_OTLP_ENDPOINT",
                            "http://127.0.0.1:" + otlp,
                            "OTEL_EXPORTER_OTLP_PROTOCOL",
                            "http/json",
                            "OTEL_BSP_SCHEDULE_DELAY",
                            "200"),
                    "start",
                    app.toString(),
                    "--name",
                    "traced-web",
                    "--trace");
            assertEquals(0, start.exit(), start::toString);
            assertEquals(
                    true,
                    jpm.awaitStatus("traced-web", "online")
                            .get(0)
                            .getJsonObject("pm2_env")
                            .getValue("trace"));
            Jpm.await("traced-web to answer", () -> get("http://127.0.0.1:" + port + "/traced"));

            JsonObject span = Jpm.await("the server span of GET /traced", SPAN_WITHIN, () -> serverSpan(exports));
            assertTrue(span.getString("name").startsWith("GET"), span::encodePrettily);

            Jpm.Result removed = jpm.cli("uninstall-otel");
            assertEquals(0, removed.exit(), removed::toString);
            assertFalse(Files.exists(jpm.home.resolve("otel")), "uninstall-otel leaves nothing");
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void anAppInAnotherLanguageRunsWithAWarningAndNothingIsInstalled() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Jpm.Result none = jpm.cli("uninstall-otel");
            assertEquals(0, none.exit(), none::toString);
            assertTrue(none.out().contains("OpenTelemetry packages are not installed"), none::toString);

            Path script = jpm.write("loop.sh", "while true; do sleep 1; done\n");
            Jpm.Result start = jpm.cli("start", script.toString(), "--name", "shell", "--trace");
            assertEquals(0, start.exit(), start::toString);
            assertTrue(start.err().contains("option 'trace' applies to Node apps only"), start::toString);
            jpm.awaitStatus("shell", "online");
            assertFalse(Files.exists(jpm.home.resolve("otel")), "no npm run for an app node does not run");
        }
    }

    /**
     * An OTLP/HTTP receiver on loopback: each JSON export to /v1/traces is kept, every request is
     * answered as a collector does (200, an empty JSON object).
     */
    private static int receiver(Vertx vertx, List<JsonObject> exports) throws Exception {
        HttpServer server = vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(body -> {
                    if (req.path().equals("/v1/traces")) {
                        exports.add(body.toJsonObject());
                    }
                    req.response().putHeader("content-type", "application/json").end("{}");
                }));
        return server.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    /** The SERVER span (kind 2) of GET /traced from a resource named traced-web, null until one came. */
    private static JsonObject serverSpan(List<JsonObject> exports) {
        for (JsonObject export : exports) {
            for (Object r : export.getJsonArray("resourceSpans", new JsonArray())) {
                JsonObject resource = (JsonObject) r;
                if (!"traced-web".equals(attribute(resource.getJsonObject("resource"), "service.name"))) {
                    continue;
                }
                for (Object s : resource.getJsonArray("scopeSpans", new JsonArray())) {
                    for (Object o : ((JsonObject) s).getJsonArray("spans", new JsonArray())) {
                        JsonObject span = (JsonObject) o;
                        Object path = attribute(span, "url.path") != null
                                ? attribute(span, "url.path")
                                : attribute(span, "http.target");
                        if (span.getInteger("kind", 0) == 2 && "/traced".equals(path)) {
                            return span;
                        }
                    }
                }
            }
        }
        return null;
    }

    /** An attribute's string value in OTLP/JSON's {@code attributes: [{key, value: {stringValue}}]}. */
    private static String attribute(JsonObject holder, String key) {
        for (Object a : holder.getJsonArray("attributes", new JsonArray())) {
            JsonObject attribute = (JsonObject) a;
            if (key.equals(attribute.getString("key"))) {
                return attribute.getJsonObject("value").getString("stringValue");
            }
        }
        return null;
    }

    /** The body of a GET, null while nothing answers. */
    private static String get(String url) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(5000);
            try (InputStream in = connection.getInputStream()) {
                return new String(in.readAllBytes());
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
