package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.it.fixtures.JavalinHello;
import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The recipes of docs/CONFIG.md ("Recipes: one port, N instances") and the README, run as written
 * (each command line is read from the doc; only its port is swapped for a free one) against the
 * real servers: gunicorn and uvicorn (Debian's packages), a Javalin jar (Maven Central), Express and
 * Fastify (installed by npm into the test's folder). Each one: two instances on one public port,
 * requests answered by both, a reload during a steady stream of requests that fails none and
 * replaces every pid, a stop.
 */
@ExtendWith(JpmExtension.class)
class RecipesIT {
    private static final Path CONFIG_MD = Path.of("docs", "CONFIG.md").toAbsolutePath();
    private static final Path README = Path.of("README.md").toAbsolutePath();
    private static final Path RECIPES = Jpm.fixture("recipes");
    /** The port the recipes in the docs use. */
    private static final String DOC_PORT = "8000";
    /** Clients of the load during a reload, each with one request in flight at a time. */
    private static final int CLIENTS = 3;

    /**
     * The words of the doc's first command line that starts with {@code start} ("jpm start gunicorn"),
     * without the command and a trailing comment, its port replaced by {@code port}.
     */
    static List<String> recipe(Path doc, String start, int port) throws IOException {
        for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
            String text = line.strip();
            if (text.startsWith(start + " ")) {
                int comment = text.indexOf(" #");
                List<String> words = new ArrayList<>(Arrays.asList((comment < 0 ? text : text.substring(0, comment))
                        .strip()
                        .split("\\s+")));
                words.remove(0); // jpm, bin/jpm
                words.replaceAll(w -> w.equals(DOC_PORT) || w.equals("8080") ? Integer.toString(port) : w);
                return words;
            }
        }
        throw new AssertionError(doc + " has no recipe starting with '" + start + "'");
    }

    /** A folder of its own for one recipe, with the fixture as the file name the recipe uses. */
    private static Path folder(Jpm jpm, String name, String fixture, String as) throws IOException {
        Path dir = Files.createDirectories(jpm.scratch.resolve(name));
        Files.copy(RECIPES.resolve(fixture), dir.resolve(as), StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    private static Jpm.Result ok(Jpm jpm, Path dir, List<String> words) {
        Jpm.Result result = jpm.cliIn(dir, Map.of(), words.toArray(String[]::new));
        assertEquals(0, result.exit(), "jpm " + String.join(" ", words) + "\n" + result);
        return result;
    }

    /**
     * Both instances answer, a reload during continuous requests fails none of them and replaces
     * every pid, and a stop stops them. Prints how long the reload took (for docs/CONFIG.md's
     * listen_timeout figures; nothing is asserted on it).
     */
    private static void servesAndReloadsWithoutAFailedRequest(
            Jpm jpm, Path dir, String name, int port, boolean keepAlive) throws Exception {
        servesAndReloads(jpm, dir, name, port, keepAlive, false);
    }

    /**
     * The same, for a server that resets what it had accepted but not yet read when it stops
     * (uvicorn, its issue #2757): the only failures allowed are such resets, at most one per client
     * (each has one request in flight) for each old run stopped.
     */
    private static void servesAndReloads(
            Jpm jpm, Path dir, String name, int port, boolean keepAlive, boolean resetsAtStop) throws Exception {
        Set<Long> first = ClusterIT.pids(ClusterIT.awaitReady(jpm, name, 2));
        Set<Long> second;
        try (Load load = new Load(port, keepAlive, CLIENTS)) {
            load.awaitPids(first);
            long start = System.nanoTime();
            ok(jpm, dir, List.of("reload", name));
            long reloadMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            second = ClusterIT.pids(ClusterIT.awaitReady(jpm, name, 2));
            load.awaitReplacement(first, second);
            load.close();
            if (resetsAtStop) {
                assertTrue(
                        load.failed.get() <= (long) CLIENTS * first.size()
                                && load.failures.stream()
                                        .allMatch(f -> f.contains("Connection reset") || f.endsWith("bad answer: ''")),
                        name + ": only resets, at most one per client for each old run: " + load.report());
            } else {
                assertEquals(0, load.failed.get(), name + ": " + load.report());
            }
            System.out.println("RecipesIT " + dir.getFileName() + ": reload of 2 instances took " + reloadMs
                    + " ms under load; " + load.report());
        }
        ok(jpm, dir, List.of("stop", name));
        jpm.awaitStatus(name, "stopped");
        second.forEach(Jpm::awaitGone);
    }

    @Test
    void gunicornSharesItsSocketAndReloadsGracefullyOnSigterm(Jpm jpm) throws Exception {
        Path dir = folder(jpm, "gunicorn", "wsgi_app.py", "app.py");
        int port = Ports.free();
        ok(jpm, dir, recipe(CONFIG_MD, "jpm start gunicorn", port));
        JsonObject first = ClusterIT.awaitReady(jpm, "web", 2).get(0);
        assertEquals("socket", ClusterIT.balancer(first).getString("balance"), "gunicorn takes the socket by itself");
        assertEquals("SIGTERM", first.getJsonObject("jpm").getString("kill_signal"), "gunicorn's graceful stop");
        servesAndReloadsWithoutAFailedRequest(jpm, dir, "web", port, false);
    }

    @Test
    void uvicornTakesTheSocketAtFd3(Jpm jpm) throws Exception {
        Path dir = folder(jpm, "uvicorn", "asgi_app.py", "app.py");
        int port = Ports.free();
        ok(jpm, dir, recipe(CONFIG_MD, "jpm start uvicorn", port));
        JsonObject first = ClusterIT.awaitReady(jpm, "web", 2).get(0);
        assertEquals("socket", ClusterIT.balancer(first).getString("balance"), "its arguments name fd 3");
        servesAndReloads(jpm, dir, "web", port, false, true);
    }

    @Test
    void aJavalinJarBehindTheHttpProxyListensOnLoopback(Jpm jpm) throws Exception {
        Path dir = Files.createDirectories(jpm.scratch.resolve("javalin"));
        javalinJar(dir.resolve("app.jar"));
        int port = Ports.free();
        ok(jpm, dir, recipe(CONFIG_MD, "jpm start app.jar", port));
        List<JsonObject> ready = ClusterIT.awaitReady(jpm, "web", 2);
        assertEquals(30_000, ready.get(0).getJsonObject("jpm").getInteger("listen_timeout"), "a JVM's listen_timeout");
        for (JsonObject p : ready) {
            // the app binds HOST:PORT, and jpm's HOST keeps the private port on loopback
            int privatePort = ClusterIT.balancer(p).getInteger("private_port");
            assertEquals(List.of("127.0.0.1"), listeningAddresses(p.getLong("pid"), privatePort));
        }
        servesAndReloadsWithoutAFailedRequest(jpm, dir, "web", port, true);
    }

    @Test
    void expressAndFastifyShareTheirListenAsUnderPm2(Jpm jpm) throws Exception {
        Path modules = Files.createDirectories(jpm.scratch.resolve("node"));
        npmInstall(modules, "express@5", "fastify@5");
        for (String server : List.of("express", "fastify")) {
            Path dir = folder(jpm, "node/" + server, server + "_app.js", "app.js");
            int port = Ports.free();
            ok(jpm, dir, recipe(CONFIG_MD, "jpm start app.js", port));
            JsonObject first = ClusterIT.awaitReady(jpm, "web", 2).get(0);
            assertEquals("socket", ClusterIT.balancer(first).getString("balance"), server);
            servesAndReloadsWithoutAFailedRequest(jpm, dir, "web", port, false);
            ok(jpm, dir, List.of("delete", "web"));
        }
    }

    @Test
    void theReadmesServerBehindTheTcpProxyListensOnLoopback(Jpm jpm) throws Exception {
        Path dir = folder(jpm, "readme", "server.py", "server.py");
        int port = Ports.free();
        List<String> words = recipe(README, "bin/jpm start server.py", port);
        ok(jpm, dir, words);
        String name = words.get(words.indexOf("--name") + 1);
        int instances = Integer.parseInt(words.get(words.indexOf("-i") + 1));
        List<JsonObject> ready = ClusterIT.awaitReady(jpm, name, instances);
        for (JsonObject p : ready) {
            assertEquals("round-robin", ClusterIT.balancer(p).getString("balance"));
            assertEquals(
                    List.of("127.0.0.1"),
                    listeningAddresses(p.getLong("pid"), ClusterIT.balancer(p).getInteger("private_port")));
        }
        Set<Long> first = ClusterIT.pids(ready);
        try (Load load = new Load(port, false, 3)) {
            load.awaitPids(first);
            ok(jpm, dir, List.of("reload", name));
            Set<Long> second = ClusterIT.pids(ClusterIT.awaitReady(jpm, name, instances));
            load.awaitReplacement(first, second);
            load.closeWithNoneFailed();
        }
    }

    @Test
    void anErroredAppsPublicPortAnswersAtOnce(Jpm jpm) throws Exception {
        Path dir = jpm.scratch;
        int http = Ports.free();
        int tcp = Ports.free();
        int shared = Ports.free();
        Path events = jpm.scratch.resolve("errored-events.jsonl");
        Process follow = jpm.follow(events, "events", "--all");
        try {
            // the follower registers a moment after it starts: restarted until its events show (the
            // errored apps' events come once each)
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "marker");
            Jpm.await("events --all listening", () -> {
                jpm.ok("restart", "marker");
                return jpm.readLog(events.toString()).contains("\"app\":\"marker\"") ? true : null;
            });
            jpm.ok("delete", "marker");
            // a server that fails at once, every time: the app is errored
            for (String[] app : List.of(
                    new String[] {"down-http", Integer.toString(http), "http"},
                    new String[] {"down-tcp", Integer.toString(tcp), "round-robin"},
                    new String[] {"down-socket", Integer.toString(shared), "socket"})) {
                jpm.cliIn(
                        dir,
                        Map.of(),
                        "start",
                        "python3",
                        "--name",
                        app[0],
                        "-i",
                        "2",
                        "--port",
                        app[1],
                        "--balance",
                        app[2],
                        "--max-restarts",
                        "1",
                        // every exit unstable however long python3 takes to start: a pyenv shim takes
                        // 0.4 s on an idle machine, over the default 1 s with the ITs side by side, and
                        // exits after min_uptime are restarted for ever, never errored
                        "--min-uptime",
                        "60s",
                        "--",
                        "-c",
                        "import sys; sys.exit(3)");
                jpm.awaitStatus(app[0], "errored");
            }
            for (String app : List.of("down-http", "down-tcp")) {
                Jpm.await("the balancer's 'down' event for " + app, () -> {
                    String text = jpm.readLog(events.toString());
                    return text.contains("\"app\":\"" + app + "\"")
                                    && text.lines()
                                            .anyMatch(l -> l.contains("\"app\":\"" + app + "\"")
                                                    && l.contains("\"event\":\"down\""))
                            ? true
                            : null;
                });
            }
            // HTTP mode: 503 naming why (a client that waited would read "waited ... ms")
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/"))
                                    .timeout(Duration.ofSeconds(60))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(503, answer.statusCode());
            assertEquals(
                    "no instance of 'down-http' is ready (every instance is errored or stopped)",
                    answer.body().strip());
            // TCP mode: the connection is closed (the read's timeout only keeps a broken run from hanging)
            try (Socket socket = new Socket("127.0.0.1", tcp)) {
                socket.setSoTimeout(60_000);
                assertEquals(-1, socket.getInputStream().read());
            }
            // socket mode: the shared socket is closed once no run may serve, so the kernel refuses
            Jpm.await("down-socket's shared socket closed", () -> ServeIT.refusesConnections(shared) ? true : null);
            assertTrue(
                    jpm.readLog(events.toString()).lines().noneMatch(l -> l.contains("\"event\":\"no_instance\"")),
                    "no client waited for an instance");
        } finally {
            follow.destroy();
        }
    }

    /** The addresses a process listens on at {@code port} (from its /proc/&lt;pid&gt;/net/tcp and tcp6). */
    static List<String> listeningAddresses(long pid, int port) throws IOException {
        List<String> found = new ArrayList<>();
        String hexPort = String.format("%04X", port);
        for (String table : List.of("tcp", "tcp6")) {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && "0A".equals(f[3]) && f[1].endsWith(":" + hexPort)) {
                    found.add(address(f[1].substring(0, f[1].indexOf(':'))));
                }
            }
        }
        return found;
    }

    /**
     * /proc's hex address, in 32-bit little-endian words: 0100007F is 127.0.0.1; an IPv4-mapped IPv6
     * address (a JVM's dual-stack socket) is its IPv4 address.
     */
    private static String address(String hex) {
        if (hex.length() == 32 && hex.startsWith("0000000000000000FFFF0000")) {
            hex = hex.substring(24);
        }
        if (hex.length() == 8) {
            return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
                    + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
        }
        return hex.equals("00000000000000000000000000000000") ? "::" : hex;
    }

    /**
     * A runnable jar as a Java user ships one: {@link io.jpm.it.fixtures.JavalinHello} and a manifest
     * whose Class-Path names Javalin's jars (Jetty, Kotlin's runtime, SLF4J) in the local repository.
     */
    private static void javalinJar(Path jar) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> libs = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            String file = Path.of(entry).getFileName().toString();
            if (file.endsWith(".jar")
                    && (file.startsWith("javalin-")
                            || file.startsWith("jetty-")
                            || file.startsWith("websocket-")
                            || file.startsWith("kotlin-")
                            || file.startsWith("annotations-")
                            || file.startsWith("slf4j-"))) {
                libs.add(Path.of(entry).toUri().toString());
            }
        }
        assertTrue(libs.stream().anyMatch(l -> l.contains("javalin-")), "Javalin on the test class path: " + classPath);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, JavalinHello.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", libs));
        String entry = JavalinHello.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                InputStream in = RecipesIT.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    /** npm install into {@code dir} (npm's registry, as a Node user's deploy does). */
    private static void npmInstall(Path dir, String... packages) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"));
        command.addAll(List.of(packages));
        Path log = dir.resolve("npm.log");
        Process npm = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertTrue(npm.waitFor(5, TimeUnit.MINUTES), "npm install did not finish in 5 minutes");
        assertEquals(0, npm.exitValue(), "npm install " + String.join(" ", packages) + ":\n" + Files.readString(log));
    }
}
