package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code jpm serve}: a real daemon runs the static file server as an app; real HTTP requests check
 * what it answers (files, 404, spa, basic auth, traversal), and the app behaves like any other
 * (restarted when killed, stopped, saved and resurrected). Bad input starts nothing.
 */
@ExtendWith(JpmExtension.class)
class ServeIT {
    /** HTTP/1.1 as curl and browsers speak it to a plain-text server (the JDK client would try h2c). */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** A folder to serve, with a secret beside it that must stay out of reach. */
    private static Path site(Jpm jpm, String name) throws IOException {
        Path site = Files.createDirectories(jpm.scratch.resolve(name).resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>home</h1>\n");
        Files.writeString(site.resolve("a.txt"), "hello world\n");
        Files.createDirectories(site.resolve("css"));
        Files.writeString(site.resolve("css/app.css"), "body{}\n");
        Files.writeString(site.resolve("..").resolve("secret.txt"), "top secret\n");
        return site;
    }

    private static HttpResponse<String> get(int port, String path, String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10));
            if (headers.length > 0) {
                request.headers(headers);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until the server answers on {@code port}. */
    private static HttpResponse<String> awaitServing(int port, String path) {
        return Jpm.await("a server on port " + port, () -> {
            try {
                return get(port, path);
            } catch (UncheckedIOException e) {
                return null;
            }
        });
    }

    /** A request sent byte for byte, so no client library tidies the path first; returns the status line and body. */
    private static String raw(int port, String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesAFolderAsAnAppNamedAfterItsPort(Jpm jpm) throws Exception {
        Path site = site(jpm, "plain");
        int port = Ports.free();
        Jpm.Result started = jpm.ok("serve", site.toString(), Integer.toString(port));
        assertTrue(started.out().contains("[jpm] Serving " + site + " on port " + port), started.toString());
        String name = "static-page-server-" + port;
        JsonObject app = jpm.awaitStatus(name, "online").get(0);
        JsonObject env = app.getJsonObject("pm2_env");
        assertEquals(site.toString(), env.getString("pm_cwd"));
        assertEquals(Integer.toString(port), env.getString("PM2_SERVE_PORT"));
        assertEquals(site.toString(), env.getString("PM2_SERVE_PATH"));

        HttpResponse<String> home = awaitServing(port, "/");
        assertEquals(200, home.statusCode());
        assertEquals("<h1>home</h1>\n", home.body());
        assertEquals("text/html;charset=UTF-8", contentType(home));

        HttpResponse<String> file = get(port, "/a.txt");
        assertEquals(200, file.statusCode());
        assertEquals("hello world\n", file.body());
        assertEquals("text/plain;charset=UTF-8", contentType(file));
        // pm2 sends Access-Control-Allow-Origin: * always; jpm only when asked (--cors)
        assertEquals(
                Optional.empty(),
                file.headers().firstValue("access-control-allow-origin"),
                "no CORS header unless asked for");
        String lastModified = file.headers().firstValue("last-modified").orElseThrow();
        assertEquals(
                "text/css;charset=UTF-8",
                get(port, "/css/app.css").headers().firstValue("content-type").orElse(""));

        HttpResponse<String> range = get(port, "/a.txt", "Range", "bytes=0-4");
        assertEquals(206, range.statusCode());
        assertEquals("hello", range.body());
        assertEquals(304, get(port, "/a.txt", "If-Modified-Since", lastModified).statusCode());

        HttpResponse<String> missing = get(port, "/nope.html");
        assertEquals(404, missing.statusCode());
        assertEquals("404 Not Found", missing.body());
        assertEquals("text/html", contentType(missing));

        // one access line per request in the app's out log
        String out = jpm.awaitLog(env.getString("pm_out_log_path"), "\"GET /nope.html HTTP/1.1\" 404 13");
        assertTrue(out.contains("Exposing " + site + " directory on 127.0.0.1:" + port), out);
        assertTrue(out.contains("127.0.0.1 - \"GET /a.txt HTTP/1.1\" 200 12 "), out);
    }

    /**
     * The server says READY=1 once it listens, and serve waits for it: a script that runs serve, then
     * fetches a page, finds it (pm2's serve.sh does, with no wait: pm2's node server is up by then).
     */
    @Test
    void serveAnswersOnceTheFolderIsServed(Jpm jpm) throws Exception {
        Path site = site(jpm, "ready");
        int port = Ports.free();
        jpm.ok("serve", site.toString(), Integer.toString(port));
        assertEquals("hello world\n", get(port, "/a.txt").body(), "served when serve has answered");
        String name = "static-page-server-" + port;
        assertTrue(
                jpm.ok("describe", name).out().contains("; ready ("), "online on its ready signal, not on a timeout");
    }

    @Test
    void nothingOutsideTheFolderIsReachable(Jpm jpm) throws Exception {
        Path site = site(jpm, "traversal");
        int port = Ports.free();
        jpm.ok("serve", site.toString(), Integer.toString(port));
        awaitServing(port, "/");
        for (String path : List.of(
                "/../secret.txt",
                "/%2e%2e/secret.txt",
                "/%2E%2E/secret.txt",
                "/css/../../secret.txt",
                "/css/%2e%2e/%2e%2e/secret.txt",
                "/%2e%2e%2fsecret.txt",
                "/..%2fsecret.txt")) {
            String answer = raw(port, path);
            assertFalse(answer.contains("top secret"), path + " reached the secret:\n" + answer);
            assertFalse(answer.startsWith("HTTP/1.1 200"), path + ":\n" + answer);
        }
        assertTrue(raw(port, "/css/../a.txt").contains("hello world"), "dot segments inside the folder still resolve");
    }

    /**
     * A symlink in the folder that leads out of it answers 404 as a missing file would (a file, a
     * folder, a folder's index.html, the 404 page, through the listing), unless --follow-symlinks;
     * links that stay inside are served. No CORS header unless --cors names an origin.
     */
    @Test
    void symlinksOutOfTheFolderAre404AndCorsOnlyWhenAskedFor(Jpm jpm) throws Exception {
        Path site = site(jpm, "links");
        Path outside = site.getParent();
        Files.createDirectories(outside.resolve("private"));
        Files.writeString(outside.resolve("private/index.html"), "private index\n");
        Files.createSymbolicLink(site.resolve("leak.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(site.resolve("leakdir"), outside.resolve("private"));
        Files.createDirectories(site.resolve("sub"));
        Files.createSymbolicLink(site.resolve("sub/index.html"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(site.resolve("404.html"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(site.resolve("inside.txt"), site.resolve("a.txt"));
        Files.createSymbolicLink(site.resolve("styles"), site.resolve("css"));
        int port = Ports.free();
        jpm.ok("serve", site.toString(), Integer.toString(port), "--ftp");
        awaitServing(port, "/a.txt");
        for (String path :
                List.of("/leak.txt", "/leakdir/", "/leakdir/index.html", "/sub/", "/sub/index.html", "/%6ceak.txt")) {
            HttpResponse<String> answer = get(port, path);
            assertEquals(404, answer.statusCode(), path + ": " + answer.body());
            assertFalse(
                    answer.body().contains("top secret") || answer.body().contains("private index"),
                    path + " left the folder: " + answer.body());
        }
        assertEquals("404 Not Found", get(port, "/nope").body(), "a 404.html that leads out is not served either");
        assertEquals("hello world\n", get(port, "/inside.txt").body(), "a link inside the folder is served");
        assertEquals("body{}\n", get(port, "/styles/app.css").body());
        assertFalse(get(port, "/a.txt")
                .headers()
                .firstValue("access-control-allow-origin")
                .isPresent());

        int open = Ports.free();
        jpm.ok(
                "serve",
                site.toString(),
                Integer.toString(open),
                "--follow-symlinks",
                "--cors",
                "https://app.example",
                "--name",
                "open");
        HttpResponse<String> followed = awaitServing(open, "/leak.txt");
        assertEquals("top secret\n", followed.body(), "--follow-symlinks follows");
        assertEquals(
                "https://app.example",
                followed.headers().firstValue("access-control-allow-origin").orElse(""));
    }

    @Test
    void spaAnswersUnknownPathsWithTheHomepageAndA404PageIsServed(Jpm jpm) throws Exception {
        Path site = site(jpm, "spa");
        int spaPort = Ports.free();
        jpm.ok("serve", site.toString(), Integer.toString(spaPort), "--spa", "--name", "spa");
        awaitServing(spaPort, "/");
        HttpResponse<String> deepLink = get(spaPort, "/users/42");
        assertEquals(200, deepLink.statusCode());
        assertEquals("<h1>home</h1>\n", deepLink.body());
        HttpResponse<String> asset = get(spaPort, "/users/42/a.txt");
        assertEquals("hello world\n", asset.body(), "pm2 tries the last segment at the top first");

        Files.writeString(site.resolve("404.html"), "<p>lost</p>");
        int port = Ports.free();
        jpm.ok("serve", site.toString(), Integer.toString(port));
        awaitServing(port, "/");
        HttpResponse<String> missing = get(port, "/users/42");
        assertEquals(404, missing.statusCode());
        assertEquals("<p>lost</p>", missing.body());
    }

    @Test
    void basicAuthAsksForCredentialsAndLetsTheRightOnesIn(Jpm jpm) throws Exception {
        Path site = site(jpm, "auth");
        int port = Ports.free();
        jpm.ok(
                "serve",
                site.toString(),
                Integer.toString(port),
                "--basic-auth-username",
                "ann",
                "--basic-auth-password",
                "pa:ss");
        awaitServing(port, "/");
        HttpResponse<String> anonymous = get(port, "/a.txt");
        assertEquals(401, anonymous.statusCode());
        assertEquals(
                "Basic realm=\"Authentication service\"",
                anonymous.headers().firstValue("www-authenticate").orElse(""));
        assertEquals("401 Unauthorized", anonymous.body());
        assertEquals(
                401, get(port, "/a.txt", "Authorization", basic("ann:wrong")).statusCode());
        assertEquals(
                401, get(port, "/a.txt", "Authorization", basic("bob:pa:ss")).statusCode());
        HttpResponse<String> in = get(port, "/a.txt", "Authorization", basic("ann:pa:ss"));
        assertEquals(200, in.statusCode());
        assertEquals("hello world\n", in.body());
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("content-type").orElse("");
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEcosystemAppWithScriptServeReadsPm2sVariables(Jpm jpm) throws Exception {
        Path site = site(jpm, "ecosystem");
        int port = Ports.free();
        Path file = jpm.scratch.resolve("serve-ecosystem.json");
        int staticPort = Ports.free();
        Files.writeString(
                file,
                new JsonObject()
                        .put(
                                "apps",
                                List.of(Map.of(
                                        "name",
                                        "docs",
                                        "script",
                                        "serve",
                                        "env",
                                        Map.of(
                                                "PM2_SERVE_PATH",
                                                site.toString(),
                                                "PM2_SERVE_PORT",
                                                port,
                                                "PM2_SERVE_SPA",
                                                "true",
                                                "PM2_SERVE_HOMEPAGE",
                                                "/a.txt"))))
                        .put("static", List.of(Map.of("path", "ecosystem/site", "port", staticPort)))
                        .encode());
        jpm.ok("start", file.toString());
        assertEquals("online", Jpm.status(jpm.awaitStatus("docs", "online").get(0)));
        assertEquals("hello world\n", awaitServing(port, "/").body(), "the homepage is served for /");
        assertEquals("hello world\n", get(port, "/some/route").body(), "and for unknown paths");
        // pm2's top-level static section: one more app, its path relative to the file's folder
        jpm.awaitStatus("static-page-server-" + staticPort, "online");
        assertEquals("<h1>home</h1>\n", awaitServing(staticPort, "/").body());
        assertEquals(404, get(staticPort, "/some/route").statusCode());

        Path bad = jpm.write(
                "serve-bad.json",
                new JsonObject()
                        .put(
                                "apps",
                                List.of(Map.of(
                                        "name",
                                        "broken",
                                        "script",
                                        "serve",
                                        "env",
                                        Map.of("PM2_SERVE_PATH", site.toString(), "PM2_SERVE_PORT", "http"))))
                        .encode());
        Jpm.Result refused = jpm.cli("start", bad.toString());
        assertEquals(1, refused.exit(), refused.toString());
        assertTrue(
                refused.err()
                        .contains(
                                "app 'broken': option 'env' PM2_SERVE_PORT must be a port number from 1 to 65535, got 'http'"),
                refused.toString());
        assertTrue(jpm.named("broken").isEmpty());
    }

    @Test
    void theServerIsAnOrdinaryAppRestartedStoppedSavedAndResurrected(Jpm jpm) throws Exception {
        Path site = site(jpm, "lifecycle");
        int port = Ports.free();
        String name = "static-page-server-" + port;
        jpm.ok("serve", site.toString(), Integer.toString(port));
        long pid = jpm.awaitStatus(name, "online").get(0).getLong("pid");
        awaitServing(port, "/a.txt");

        new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
        JsonObject restarted = Jpm.await("a restart of " + name, () -> {
            List<JsonObject> now = jpm.named(name);
            return !now.isEmpty()
                            && "online".equals(Jpm.status(now.get(0)))
                            && now.get(0).getLong("pid") != pid
                    ? now.get(0)
                    : null;
        });
        assertEquals(1, restarted.getJsonObject("pm2_env").getInteger("restart_time"));
        assertEquals("hello world\n", awaitServing(port, "/a.txt").body());

        jpm.ok("stop", name);
        jpm.awaitStatus(name, "stopped");
        Jpm.awaitGone(restarted.getLong("pid"));
        assertTrue(refusesConnections(port), "a stopped server no longer listens");

        jpm.ok("restart", name);
        jpm.awaitStatus(name, "online");
        awaitServing(port, "/a.txt");
        jpm.ok("save");
        jpm.ok("kill");
        jpm.ok("resurrect");
        JsonObject resurrected = jpm.awaitStatus(name, "online").get(0);
        assertNotEquals(pid, resurrected.getLong("pid"));
        assertEquals("hello world\n", awaitServing(port, "/a.txt").body());
    }

    /** Whether a connection to {@code port} is refused (nothing listens there). RecipesIT uses it too. */
    static boolean refusesConnections(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void badInputIsOneLineAndStartsNothing(Jpm jpm) throws Exception {
        Path site = site(jpm, "bad");
        for (List<String> args : List.of(
                List.of("serve", site.toString(), "abc"),
                List.of("serve", site.toString(), "0"),
                List.of("serve", site.toString(), "70000"),
                List.of("serve", site.resolve("missing").toString(), "8123"),
                List.of("serve", site.resolve("a.txt").toString(), "8123"),
                List.of("serve", site.toString(), "8123", "--basic-auth-username", "ann"),
                List.of("serve", site.toString(), "8123", "--frobnicate"))) {
            Jpm.Result result = jpm.cli(args.toArray(String[]::new));
            assertEquals(1, result.exit(), args + ": " + result);
            assertEquals(1, result.err().lines().count(), args + ": " + result);
            assertTrue(result.err().startsWith("jpm: "), args + ": " + result);
        }
        assertTrue(jpm.cli("serve", site.toString(), "abc").err().contains("got 'abc'"));
        assertTrue(jpm.cli("serve", site.resolve("missing").toString())
                .err()
                .contains(site.resolve("missing") + " does not exist"));
        assertEquals(0, jpm.jlist().size(), "nothing was started");
    }
}
