package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code jpm monit} in a real terminal: a tmux session driven with send-keys and read with capture-pane. */
@ExtendWith(JpmExtension.class)
class MonitIT {
    /** A tmux server of our own, so nothing else running tmux on this machine is touched. */
    private final String socket = "jpm-monit-it-" + ProcessHandle.current().pid();

    private String tmux(String... args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            throw new AssertionError("tmux is needed for this test (.ci/run installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The screen once it shows every one of {@code texts}: lanterna writes a frame row by row, so a
     * capture may catch one half drawn; only the whole of what is expected ends the wait.
     */
    private String awaitScreen(String what, String... texts) {
        return Jpm.await("monit to show " + what, () -> {
            String screen = tmux("capture-pane", "-p", "-t", "monit");
            if (screen == null) {
                // monit ended (its session goes with it): what it printed is in the log its command writes
                throw new AssertionError("monit ended before it showed " + what + ": " + lastWords());
            }
            for (String text : texts) {
                if (!screen.contains(text)) {
                    return null;
                }
            }
            return screen;
        });
    }

    private Path monitErr;

    private String lastWords() {
        try {
            return monitErr == null || !Files.exists(monitErr) ? "" : Files.readString(monitErr);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @AfterEach
    void killTmux() {
        tmux("kill-server");
    }

    /** {@code jpm monit} in a tmux session named monit of {@code columns} by {@code rows}. */
    private void startMonit(Jpm jpm, int columns, int rows) {
        monitErr = jpm.home.resolveSibling("monit.err");
        String command =
                "JPM_HOME=" + jpm.home + " " + Jpm.JAVA + " -cp " + Jpm.JAR + " io.jpm.cli.Main monit 2>" + monitErr;
        assertTrue(
                tmux(
                                "new-session",
                                "-d",
                                "-s",
                                "monit",
                                "-x",
                                Integer.toString(columns),
                                "-y",
                                Integer.toString(rows),
                                command)
                        != null,
                "tmux session started");
    }

    @Test
    void monitShowsTheAppsAndRestartsTheSelectedOne(Jpm jpm) {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "mon-a");
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "mon-b");
        jpm.awaitStatus("mon-b", "online");
        startMonit(jpm, 120, 30);

        String screen = awaitScreen("both apps", "mon-b");
        assertTrue(screen.contains("mon-a") && screen.contains("online"), screen);
        awaitScreen("the first app's details", "name      mon-a");

        tmux("send-keys", "-t", "monit", "Down");
        awaitScreen("the second app selected", "name      mon-b");
        tmux("send-keys", "-t", "monit", "r");
        awaitScreen("the restart done", "restart mon-b (id");
        assertEquals(1, jpm.named("mon-b").get(0).getJsonObject("pm2_env").getInteger("restart_time"));
        assertEquals(0, jpm.named("mon-a").get(0).getJsonObject("pm2_env").getInteger("restart_time"));

        // s asks first: any key but y cancels
        tmux("send-keys", "-t", "monit", "s");
        awaitScreen("the stop question", "stop mon-b (id");
        tmux("send-keys", "-t", "monit", "n");
        awaitScreen("the stop cancelled", "stop of mon-b cancelled");
        assertEquals("online", Jpm.status(jpm.named("mon-b").get(0)));
        tmux("send-keys", "-t", "monit", "s");
        awaitScreen("the stop question again", "y to confirm");
        tmux("send-keys", "-t", "monit", "y");
        Jpm.await(
                "mon-b stopped from monit",
                () -> "stopped".equals(Jpm.status(jpm.named("mon-b").get(0))) ? true : null);

        tmux("send-keys", "-t", "monit", "q");
        Jpm.await("monit to quit", () -> tmux("has-session", "-t", "monit") == null ? true : null);
    }

    /** A Node app's code metrics (pm2 monit's "Custom metrics") in its details, read again as they change. */
    @Test
    void monitShowsANodeAppsCodeMetrics(Jpm jpm) throws IOException {
        Path app = Files.writeString(
                jpm.home.resolveSibling("node-idle.js"),
                "setInterval(() => {}, 1000);\nprocess.on('SIGINT', () => process.exit(0));\n");
        jpm.ok("start", app.toString(), "--name", "node-idle");
        jpm.awaitStatus("node-idle", "online");
        startMonit(jpm, 120, 40);
        awaitScreen("the app's details", "name      node-idle");
        // both in one capture: tmux may catch a frame half drawn over the last ("Heap Size   4.48", its unit
        // not yet written), seen in CI
        awaitScreen("its heap with its unit", "Heap Size", " MiB");
        // its second report on brings the event loop's latency: the details follow the list
        awaitScreen("its event loop latency", "Event Loop Latency p95");
    }

    /** At 80 columns the memory column is whole: the name column gives way, not the figures. */
    @Test
    void at80ColumnsTheMemoryColumnIsNotCut(Jpm jpm) {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "a-rather-long-app-name");
        jpm.awaitStatus("a-rather-long-app-name", "online");
        startMonit(jpm, 80, 24);
        String row = Jpm.await("a row with a memory figure", () -> {
            String screen = tmux("capture-pane", "-p", "-t", "monit");
            if (screen == null) {
                return null;
            }
            for (String line : screen.split("\n")) {
                if (line.contains("online") && line.matches(".*%\\s+\\d+(\\.\\d)?(b|kb|mb|gb)\\s*│.*")) {
                    return line;
                }
            }
            return null;
        });
        assertTrue(row.contains("a-rather-"), row);
        tmux("send-keys", "-t", "monit", "q");
    }

    /**
     * A Node app's details (its 9 lines, 12 of its 13 code metrics) are taller than a terminal of
     * 21 rows or fewer: monit died there (IllegalArgumentException: fromIndex(2) > toIndex(0) in
     * drawDetails). Now it draws at pm2 monit's 80x15 and down to 40x10, the details cut with a
     * line that says PgDn scrolls to the rest; smaller, it says the terminal is too small; each
     * resize redraws.
     */
    @Test
    void monitDrawsInAnyTerminalDownTo40x10(Jpm jpm) throws IOException {
        StringBuilder metrics = new StringBuilder();
        for (int i = 1; i <= 13; i++) {
            metrics.append("'custom ").append(i).append("': {value: ").append(i).append("}, ");
        }
        Path app = Files.writeString(
                jpm.home.resolveSibling("node-metrics.js"),
                "setInterval(() => { console.log('tick'); process.send({type: 'axm:monitor', data: {" + metrics
                        + "}}); }, 500);\nprocess.on('SIGINT', () => process.exit(0));\n");
        jpm.ok("start", app.toString(), "--name", "node-metrics");
        Jpm.await(
                "the app's 13 code metrics listed",
                () -> jpm.named("node-metrics")
                                .get(0)
                                .getJsonObject("pm2_env")
                                .getJsonObject("axm_monitor", new JsonObject())
                                .containsKey("custom 13")
                        ? true
                        : null);

        startMonit(jpm, 80, 15);
        String screen = awaitScreen("the details cut at 80x15", "more (PgDn)", "name      node-metrics", "logs");
        tmux("send-keys", "-t", "monit", "PageDown");
        awaitScreen("the details scrolled", "more (PgUp)");

        tmux("resize-window", "-t", "monit", "-x", "40", "-y", "10");
        // still scrolled, as far as 40x10 lets
        screen = awaitScreen("the details at 40x10", "│ ↑ ", "logs", "tick", "more (PgDn)");
        assertEquals(10, screen.split("\n", -1).length - 1, screen);

        tmux("resize-window", "-t", "monit", "-x", "39", "-y", "9");
        awaitScreen("that 39x9 is too small", "terminal too small (39x9)");

        tmux("resize-window", "-t", "monit", "-x", "100", "-y", "21");
        awaitScreen("the whole status line at 100 columns", "s stop   q quit");
        tmux("send-keys", "-t", "monit", "PageUp");
        awaitScreen("the details at 100x21, back at their top", "name      node-metrics", "more (PgDn)", "logs");

        tmux("send-keys", "-t", "monit", "q");
        Jpm.await("monit to quit", () -> tmux("has-session", "-t", "monit") == null ? true : null);
    }
}
