package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private String awaitScreen(String what, String text) {
        return Jpm.await("monit to show " + what, () -> {
            String screen = tmux("capture-pane", "-p", "-t", "monit");
            return screen != null && screen.contains(text) ? screen : null;
        });
    }

    @AfterEach
    void killTmux() {
        tmux("kill-server");
    }

    /** {@code jpm monit} in a tmux session named monit of {@code columns} by {@code rows}. */
    private void startMonit(Jpm jpm, int columns, int rows) {
        String command = "JPM_HOME=" + jpm.home + " " + Jpm.JAVA + " -cp " + Jpm.JAR + " io.jpm.cli.Main monit";
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
        String screen = awaitScreen("its heap", "Heap Size");
        assertTrue(screen.contains(" MiB"), screen);
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
}
