package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.StartedProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * jpm-errors.js, the preload every Node app gets: what pm2 7.0.4 writes for an
 * unhandled rejection and an uncaught exception, mode by mode, and whether the app lives on. Real
 * node processes running fixtures/unhandled.js; the texts were compared byte for byte with pm2's
 * error logs.
 */
@Timeout(60)
class ErrorsPreloadTest {
    private static final Path APP = Path.of("src/test/resources/fixtures/unhandled.js");
    private static final String PM2_REJECTION =
            "You have triggered an unhandledRejection, you may have forgotten to catch a Promise rejection:\n";

    @RegisterExtension
    final StartedProcesses started = new StartedProcesses();

    @TempDir
    Path dir;

    private Process start(String mistake, String execMode) throws IOException {
        Path preload = dir.resolve("jpm-errors.js");
        if (!Files.exists(preload)) {
            try (InputStream in = getClass().getResourceAsStream("jpm-errors.js")) {
                Files.write(preload, in.readAllBytes());
            }
        }
        ProcessBuilder builder = new ProcessBuilder("node", "-r", preload.toString(), APP.toString());
        builder.environment().put("MISTAKE", mistake);
        builder.environment().put("exec_mode", execMode);
        return started.start(builder);
    }

    /** The lines read until one starts with {@code prefix} (it blocks until then; fails at end of stream). */
    private static String readUntil(BufferedReader in, String prefix) throws IOException {
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith(prefix)) {
                return seen.toString();
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "'; read: " + seen);
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    @Test
    void forkModeLogsEachRejectionAsPm2sIoDoesAndTheAppRunsOn() throws Exception {
        Process app = start("reject", "fork_mode");
        String err = readUntil(reader(app.getErrorStream()), "Error: rejection 3");
        // node alone would have ended the app at the first one
        assertTrue(err.startsWith("Error: rejection 1\n    at "), err);
        assertFalse(err.contains("You have triggered"), err);
        assertTrue(app.isAlive());
    }

    @Test
    void clusterModeLogsEachRejectionWithPm2sContainerWords() throws Exception {
        Process app = start("reject", "cluster_mode");
        String err = readUntil(reader(app.getErrorStream()), "Error: rejection 3");
        assertTrue(err.startsWith(PM2_REJECTION + "Error: rejection 1\n    at "), err);
        assertTrue(err.contains("\n" + PM2_REJECTION + "Error: rejection 2\n    at "), err);
        assertTrue(app.isAlive());
    }

    @Test
    void anUncaughtExceptionIsLoggedAsTheStackAndEndsTheAppWithCode1() throws Exception {
        for (String mode : List.of("fork_mode", "cluster_mode")) {
            Process app = start("throw", mode);
            assertTrue(app.waitFor(30, TimeUnit.SECONDS), mode);
            assertEquals(1, app.exitValue(), mode);
            String err = new String(app.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            // pm2's text: the stack alone, without node's source excerpt and version footer
            assertTrue(err.startsWith("Error: thrown by unhandled.js\n    at "), mode + ": " + err);
            assertFalse(err.contains("Node.js v"), mode + ": " + err);
        }
    }

    @Test
    void theAppsOwnListenersAreCalledAndKeepItRunning() throws Exception {
        for (String mode : List.of("fork_mode", "cluster_mode")) {
            Process app = start("own", mode);
            BufferedReader out = reader(app.getInputStream());
            readUntil(out, "app saw rejection: own rejection");
            // jpm's listener runs first: had it ended the app, this line would never come
            readUntil(out, "app saw exception: own exception");
            assertTrue(app.isAlive(), mode);
            // logged as well, as pm2 does
            String err = readUntil(reader(app.getErrorStream()), "Error: own exception");
            assertTrue(err.contains("Error: own rejection\n"), mode + ": " + err);
            assertEquals("cluster_mode".equals(mode), err.contains(PM2_REJECTION), mode + ": " + err);
        }
    }
}
