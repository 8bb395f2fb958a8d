package io.jpm.cli.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a client reads in daemon.log of the start it made: the daemon's reason, the keeper's word. */
class StartLogTest {
    @TempDir
    Path dir;

    private static final String EARLIER = "2026-11-24 08:27:24.120 SEVERE jpm.daemon: daemon failed to start: old\n"
            + "2026-11-24 08:27:24.200 WARNING jpm.keeper: the first daemon ended at start (exit code 3)\n";

    @Test
    void readsOnlyWhatFollowsTheOffset() throws Exception {
        Path log = Files.writeString(dir.resolve("daemon.log"), EARLIER);
        long offset = Files.size(log);
        StartLog start = new StartLog(log, offset);
        assertEquals("", start.whyItFailed());
        assertNull(start.keeperExitCode(), "the earlier start's line is not this one's");
        Files.writeString(
                log,
                EARLIER
                        + "2026-11-24 09:00:00.001 SEVERE jpm.daemon: daemon failed to start: bridge: refusing to listen"
                        + " on 192.0.2.1 (é)\n"
                        + "2026-11-24 09:00:00.050 WARNING jpm.keeper: the first daemon ended at start (exit code 1)\n",
                StandardCharsets.UTF_8);
        assertEquals(": bridge: refusing to listen on 192.0.2.1 (é)", start.whyItFailed());
        assertEquals(1, start.keeperExitCode());
    }

    /** A daemon that ended before it could say why is said why by the JVM's lines. */
    @Test
    void withoutTheDaemonsReasonTheJvmsLastCauseIsIt() throws Exception {
        Path log = Files.writeString(
                dir.resolve("daemon.log"),
                "Exception in thread \"main\" java.lang.ExceptionInInitializerError\n"
                        + "\tat io.jpm.daemon.DaemonMain.main(DaemonMain.java:95)\n"
                        + "Caused by: java.lang.IllegalStateException: cannot read this process's uid\n"
                        + "\t... 1 more\n");
        assertEquals(
                ": java.lang.IllegalStateException: cannot read this process's uid",
                new StartLog(log, 0).whyItFailed());
        Files.writeString(
                log, "Exception in thread \"main\" java.nio.file.AccessDeniedException: /home/me/.jpm/daemon.lock\n");
        assertEquals(
                ": java.nio.file.AccessDeniedException: /home/me/.jpm/daemon.lock", new StartLog(log, 0).whyItFailed());
        Files.writeString(log, "Error: Could not find or load main class io.jpm.daemon.DaemonMain\n");
        assertEquals(
                ": Could not find or load main class io.jpm.daemon.DaemonMain", new StartLog(log, 0).whyItFailed());
    }

    @Test
    void aSignalIsTheKeepersExitCode128PlusIt() throws Exception {
        Path log = Files.writeString(
                dir.resolve("daemon.log"),
                "2026-11-24 09:00:00.050 WARNING jpm.keeper: the first daemon ended at start (signal 9)\n");
        assertEquals(137, new StartLog(log, 0).keeperExitCode());
    }

    @Test
    void noLogIsNothingSaid() {
        StartLog start = new StartLog(dir.resolve("missing.log"), 0);
        assertEquals("", start.whyItFailed());
        assertNull(start.keeperExitCode());
    }
}
