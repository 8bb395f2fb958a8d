package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An app that started a helper in a session of its own (escaping.sh: {@code setsid ... &}), which
 * keeps the app's stdout: out of the app's process group, so the group's signals miss it, and its
 * pipe never ends while it lives. The fault pinned: stop and delete waited 120 s for that end
 * and left the app {@code stopping} for good; an exit of such an app was never seen at all.
 */
@ExtendWith(JpmExtension.class)
@WithoutTuning
class EscapedProcessIT {
    private static final String ESCAPING = Jpm.fixture("escaping.sh").toString();

    /** The helper, killed here should a test fail before jpm did. */
    private long helper;

    @AfterEach
    void killTheHelper() {
        if (helper > 0) {
            ProcessHandle.of(helper).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void stopEndsAnAppWhoseHelperLeftItsGroupHoldingItsOutput(Jpm jpm) throws IOException {
        JsonObject p = startWithHelper(jpm, "esc");
        Jpm.Result stop = jpm.ok("stop", "esc");

        assertEquals("stopped", Jpm.status(jpm.named("esc").get(0)));
        assertHelperNamedAndGone(jpm, stop, "esc");
        String out = jpm.readLog(p.getJsonObject("pm2_env").getString("pm_out_log_path"));
        assertTrue(out.contains("helper up"), "the helper's output reaches the app's log: " + out);
    }

    @Test
    void deleteEndsAnAppWhoseHelperLeftItsGroupHoldingItsOutput(Jpm jpm) throws IOException {
        startWithHelper(jpm, "gone");
        Jpm.Result delete = jpm.ok("delete", "gone");

        assertTrue(jpm.named("gone").isEmpty(), jpm.jlist().encodePrettily());
        assertHelperNamedAndGone(jpm, delete, "gone");
    }

    @Test
    void theExitOfAnAppWhoseHelperLeftItsGroupHoldingItsOutputIsSeen(Jpm jpm) throws IOException {
        jpm.ok("start", ESCAPING, "--name", "quits", "--no-autorestart", "--", "exit");
        JsonObject p = jpm.awaitStatus("quits", "stopped").get(0);
        helper = helperOf(jpm, p.getJsonObject("pm2_env").getString("pm_out_log_path"));

        assertEquals(3, p.getJsonObject("pm2_env").getInteger("exit_code"));
        Jpm.awaitGone(helper);
        String log = jpm.awaitLog(jpm.home.resolve("daemon.log").toString(), "pid " + helper + " ");
        assertTrue(log.contains("pid " + helper + " (sleep 100000)"), log);
    }

    private JsonObject startWithHelper(Jpm jpm, String name) {
        jpm.ok("start", ESCAPING, "--name", name, "--kill-timeout", "500");
        JsonObject p = jpm.awaitStatus(name, "online").get(0);
        helper = helperOf(jpm, p.getJsonObject("pm2_env").getString("pm_out_log_path"));
        assertTrue(Jpm.alive(helper));
        return p;
    }

    /** The helper's pid, as the app wrote it in its log (once the helper has said it is up). */
    private static long helperOf(Jpm jpm, String outLog) {
        String log = Jpm.await("the helper's pid and its first line in " + outLog, () -> {
            String text = jpm.readLog(outLog);
            return text.contains("helper up") && text.matches("(?s).*helper \\d+\n.*") ? text : null;
        });
        return Long.parseLong(log.replaceAll("(?s).*helper (\\d+)\n.*", "$1"));
    }

    /** The command and daemon.log named the helper in one line, and it is gone. */
    private void assertHelperNamedAndGone(Jpm jpm, Jpm.Result command, String name) throws IOException {
        String named = "pid " + helper + " (sleep 100000)";
        String said = command.out() + command.err();
        assertTrue(said.contains(named), "the command names the helper: " + command);
        String daemonLog = Files.readString(jpm.home.resolve("daemon.log"));
        assertTrue(
                daemonLog.lines().anyMatch(line -> line.contains(name) && line.contains(named)),
                "daemon.log names the helper: " + daemonLog);
        Jpm.awaitGone(helper);
    }
}
