package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher;
import io.jpm.process.ProcessLauncher.Escaped;
import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.testkit.Eventually;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A helper the app started in a session of its own ({@code setsid}), holding the app's stdout
 * after the app exited, with each launcher and real processes: the group's SIGKILL misses it and
 * the pipe does not end, yet the exit is reported, naming it; with treekill it is killed.
 */
class EscapedProcessTest {
    /**
     * Starts the helper, says its pid, and exits with code 5 once the helper has its own session
     * (field 6 of its stat): before, it is still in the app's group, and the group's SIGKILL ends it.
     */
    private static final String ESCAPING = "setsid sleep 1000 & h=$!; echo $h;"
            // its own session, and sleep exec'd (setsid sets the session before it execs: the helper is
            // named by its command line, "setsid sleep 1000" until then)
            + " until [ \"$(cut -d' ' -f6 /proc/$h/stat)\" = $h ] && [ \"$(cat /proc/$h/comm)\" = sleep ];"
            + " do sleep 0.01; done; exit 5";

    @TempDir
    Path dir;

    private final List<Integer> helpers = new ArrayList<>();

    static Stream<ProcessLauncher> launchers() {
        return Stream.of(new NuProcessLauncher(), new PosixSpawnLauncher());
    }

    @AfterEach
    void noHelperLeft() {
        helpers.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @ParameterizedTest
    @MethodSource("launchers")
    void withTreekillTheHelperIsKilledAndNamedWithTheExit(ProcessLauncher launcher) throws Exception {
        Recorder app = new Recorder();
        int helper = spawnEscaping(launcher, app, true);

        assertEquals(
                ExitStatus.code(5).leaving(List.of(new Escaped(helper, "sleep 1000", true))),
                awaitSweptExit(launcher, app));
        Eventually.until("the helper to be gone", () -> !PosixSpawnLauncherTest.alive(helper));
    }

    @ParameterizedTest
    @MethodSource("launchers")
    void withoutTreekillTheHelperLivesOnAndTheExitIsReported(ProcessLauncher launcher) throws Exception {
        Recorder app = new Recorder();
        int helper = spawnEscaping(launcher, app, false);

        assertEquals(ExitStatus.code(5), awaitSweptExit(launcher, app));
        assertTrue(PosixSpawnLauncherTest.alive(helper), "treekill false leaves what the app started");
    }

    /** Spawns the app; the helper's pid, once the app said it. */
    private int spawnEscaping(ProcessLauncher launcher, Recorder app, boolean treekill) throws Exception {
        launcher.spawn(new LaunchSpec(List.of("sh", "-c", ESCAPING), dir, PosixSpawnLauncherTest.PATH, treekill), app);
        int helper = Integer.parseInt(Eventually.await(
                "the helper's pid", () -> app.out().endsWith("\n") ? app.out().strip() : null));
        helpers.add(helper);
        return helper;
    }

    /** The exit, as the launcher's sweep (about once a second in the daemon) brings it. */
    private static ExitStatus awaitSweptExit(ProcessLauncher launcher, Recorder app) throws InterruptedException {
        Eventually.until("the exit, from the sweep", () -> {
            launcher.sweepZombies();
            return app.hasExited();
        });
        return app.awaitExit();
    }
}
