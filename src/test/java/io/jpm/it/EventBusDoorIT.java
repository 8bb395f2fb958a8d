package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jpm.testkit.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The HTTP server's browser door against a real daemon: the stock SockJS event-bus clients from npm
 * ({@code vertx3-eventbus-client}, {@code @vertx/eventbus-bridge-client.js}), unmodified, in Node
 * (the fixture eventbus/stock-client.js), list, restart an app, and receive its process events and
 * log lines with the token in their first frame or in the handshake; no token, a wrong one and the
 * read-only token acting each get one err frame, a session that shows no token is closed after 5 s; a page of another origin is refused. And a real
 * browser's EventSource (headless Chromium) opens the event streams with a ticket, once.
 */
class EventBusDoorIT {
    private static final String APP = "tick";
    private static final List<String> CLIENTS = List.of("vertx3-eventbus-client", "@vertx/eventbus-bridge-client.js");

    @Test
    void theStockSockJsClientsListRestartAndFollowUnmodified() throws Exception {
        assumeTrue(available("node") && available("npm"), "node and npm are needed");
        try (Jpm jpm = new Jpm()) {
            Path project = Files.createDirectories(jpm.scratch.resolve("eventbus"));
            Files.writeString(project.resolve("package.json"), "{\"private\":true}\n");
            npmInstall(project, CLIENTS.get(0));
            // the second client is tried too when the registry has it ("if it installs")
            List<String> clients = new ArrayList<>(List.of(CLIENTS.get(0)));
            if (npmInstallMaybe(project, CLIENTS.get(1))) {
                clients.add(CLIENTS.get(1));
            }
            Path script = Files.copy(Jpm.fixture("eventbus/stock-client.js"), project.resolve("stock-client.js"));
            int port = Ports.free();
            WebClient web = WebClient.start(jpm, port);
            jpm.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", APP);

            int restarts = 0;
            for (String client : clients) {
                ProcessBuilder node = new ProcessBuilder("node", script.toString()).directory(project.toFile());
                node.environment().put("CLIENT", client);
                node.environment().put("APP", APP);
                node.environment().put("JPM_HOME", jpm.home.toString());
                node.environment().put("JPM_HTTP", web.base);
                Jpm.Result run = Jpm.run(node, jpm.scratch, "node stock-client.js with " + client);
                String out = run.out();
                assertEquals(0, run.exit(), () -> client + ": " + run);
                assertTrue(out.contains("list " + APP + " online\n"), () -> client + ": " + run);
                assertTrue(out.contains("restart true\n"), () -> client + ": " + run);
                assertTrue(
                        out.indexOf("event " + APP + " stopping\n") < out.indexOf("event " + APP + " online\n")
                                && out.contains("event " + APP + " stopping\n"),
                        () -> client + ": the restart's process events, in order: " + run);
                assertTrue(out.contains("log " + APP + " tick\n"), () -> client + ": a live log line: " + run);
                assertTrue(
                        out.contains("refused no token: 16 access denied: no token in headers.token (err frames: 1)\n"),
                        () -> client + ": " + run);
                assertTrue(
                        out.contains("refused wrong token: 16 access denied: wrong token (err frames: 1)\n"),
                        () -> client + ": " + run);
                assertTrue(
                        out.contains("refused read-only restart: 16 access denied: the read-only token may not send"
                                + " jpm.cmd.restart (err frames: 1)\n"),
                        () -> client + ": " + run);
                assertTrue(out.contains("read-only list 1\n"), () -> client + ": " + run);
                assertTrue(out.contains("handshake list 1\n"), () -> client + ": " + run);
                assertTrue(
                        out.contains("silent session closed: access denied: no valid token in headers.token within"
                                + " 5000 ms\n"),
                        () -> client + ": " + run);
                assertTrue(out.contains("handshake wrong token 401\n"), () -> client + ": " + run);
                assertTrue(out.contains("origin foreign 403\n"), () -> client + ": " + run);
                assertTrue(out.contains("origin own 200\n"), () -> client + ": " + run);
                restarts++;
                // the admin's restart happened, and only it: the read-only one changed nothing
                assertEquals(
                        restarts, jpm.named(APP).get(0).getJsonObject("pm2_env").getInteger("restart_time"), client);
            }
            String log = Files.readString(WebClient.daemonLog(jpm));
            assertTrue(
                    log.contains("web: refused send to jpm.cmd.restart on /eventbus from "),
                    "a line per refusal in daemon.log");
            assertTrue(log.contains("web: refused GET /eventbus/info from "), "the foreign origin's line");
            assertFalse(log.contains(web.admin) || log.contains(web.readOnly), "no token in the log");
        }
    }

    /**
     * A real browser's EventSource, which cannot send a header: a ticket from POST /api/events/ticket
     * (the read-only token) opens the logs stream once and the process events once; the spent ticket
     * opens nothing (the stream fails: 401).
     */
    @Test
    void anEventSourceOpensAStreamWithATicketOnce() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "chromium is needed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromedriver")), "chromedriver is needed");
        Path profile = Files.createTempDirectory("jpm-chromium-");
        WebDriver browser = DashboardIT.headlessChromium(profile);
        try (Jpm jpm = new Jpm()) {
            WebClient web = WebClient.start(jpm, Ports.free());
            jpm.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", APP);
            // a page of the server's own origin (the dashboard's), where the browser's EventSource runs
            browser.get(web.base + "/ui");
            browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            Object result = ((JavascriptExecutor) browser)
                    .executeAsyncScript(
                            """
                            const [readOnly, admin, app, done] = arguments;
                            const ticket = async () => (await (await fetch('/api/events/ticket', {method: 'POST',
                                headers: {Authorization: 'Bearer ' + readOnly}})).json()).data.ticket;
                            const once = (url, kind, opened) => new Promise((resolve) => {
                              const es = new EventSource(url);
                              es.addEventListener(kind, (e) => { es.close(); resolve(kind + ' ' + e.data); });
                              es.onopen = () => opened && opened();
                              es.onerror = () => { resolve('error ' + es.readyState); es.close(); };
                            });
                            (async () => {
                              const first = await ticket();
                              const lines = await once('/api/processes/' + app + '/logs/stream?lines=1&ticket=' + first, 'lines');
                              const spent = await once('/api/events?ticket=' + first, 'process');
                              const second = await ticket();
                              const restart = () => fetch('/api/processes/' + app + '/restart',
                                  {method: 'POST', headers: {Authorization: 'Bearer ' + admin}});
                              const event = await once('/api/events?only=process&ticket=' + second, 'process', restart);
                              done(JSON.stringify({lines, spent, event}));
                            })().catch((e) => done('failed ' + e));
                            """,
                            web.readOnly,
                            web.admin,
                            APP);
            String seen = String.valueOf(result);
            assertTrue(seen.contains("\"lines\":\"lines {"), seen);
            assertTrue(seen.contains("\\\"app\\\":\\\"" + APP + "\\\""), seen);
            // EventSource fails the connection on a 401 (readyState CLOSED) and does not retry
            assertTrue(seen.contains("\"spent\":\"error 2\""), seen);
            assertTrue(seen.contains("\"event\":\"process {"), seen);
            String log = Files.readString(WebClient.daemonLog(jpm));
            assertTrue(
                    log.contains("web: refused GET /api/events from ")
                            && log.contains("the ticket is unknown, expired or already used"),
                    "the spent ticket's line");
        } finally {
            browser.quit();
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** npm install into {@code dir} from npm's registry, as a Node user's project does. */
    private static void npmInstall(Path dir, String pkg) throws Exception {
        assertTrue(npmInstallMaybe(dir, pkg), () -> "npm install " + pkg + ":\n" + readLog(dir));
    }

    private static boolean npmInstallMaybe(Path dir, String pkg) throws Exception {
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", pkg)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("npm.log").toFile())
                .start();
        assertTrue(npm.waitFor(5, TimeUnit.MINUTES), "npm install did not finish in 5 minutes");
        return npm.exitValue() == 0;
    }

    private static String readLog(Path dir) {
        try {
            return Files.readString(dir.resolve("npm.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean available(String command) throws InterruptedException {
        try {
            return new ProcessBuilder(command, "--version")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
