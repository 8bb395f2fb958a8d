package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * bin/jpm-runtime and {@code jpm start --no-daemon} run as a container's main process: a real
 * runtime process (through the script, as a Dockerfile's CMD runs it), its daemon, real apps; what
 * it prints, what its signals do and how it exits.
 */
class RuntimeIT {
    private static final Path RUNTIME = Path.of("bin", "jpm-runtime").toAbsolutePath();
    private static final Path JPM = Path.of("bin", "jpm").toAbsolutePath();

    private static ScriptRun start(Jpm jpm, Path program, String... words) throws IOException {
        return start(jpm, Map.of(), program, words);
    }

    private static ScriptRun start(Jpm jpm, Map<String, String> env, Path program, String... words) throws IOException {
        return ScriptRun.start(jpm, jpm.scratch, env, program, words);
    }

    /** Two tickers: each prints a line a tenth of a second on stdout and one on stderr. */
    private static Path twoTickers(Jpm jpm) throws IOException {
        String ticker = Jpm.fixture("ticker.sh").toString();
        return Files.writeString(
                jpm.scratch.resolve("two.json"),
                "{\"apps\":[{\"name\":\"first\",\"script\":\"" + ticker + "\"}," + "{\"name\":\"second\",\"script\":\""
                        + ticker + "\"}]}");
    }

    private static List<Long> appPids(Jpm jpm, int count) {
        // a jpm command before the runtime's daemon is up would start a daemon of its own
        Jpm.await("the runtime's daemon up", () -> Files.isRegularFile(jpm.home.resolve("jpm.pid")) ? true : null);
        return Jpm.await(count + " apps online", () -> {
            List<Long> pids = new ArrayList<>();
            for (Object o : jpm.jlist()) {
                JsonObject p = (JsonObject) o;
                if ("online".equals(Jpm.status(p)) && p.getLong("pid", 0L) > 0) {
                    pids.add(p.getLong("pid"));
                }
            }
            return pids.size() == count ? pids : null;
        });
    }

    @Test
    void sigtermStopsEveryAppAndTheDaemonThenExitsZero() throws Exception {
        try (Jpm jpm = new Jpm()) {
            ScriptRun run = start(jpm, RUNTIME, "start", twoTickers(jpm).toString(), "--formatted");
            Jpm.await(
                    "both apps' lines on stdout",
                    () -> run.stdout().contains("0|first") && run.stdout().contains("1|second") ? true : null);
            List<Long> apps = appPids(jpm, 2);
            long daemon = jpm.daemonPid();
            assertEquals(
                    run.process().pid(),
                    ProcessHandle.of(daemon)
                            .flatMap(ProcessHandle::parent)
                            .map(ProcessHandle::pid)
                            .orElse(-1L),
                    "the daemon is the runtime's child");

            run.process().destroy(); // SIGTERM, as docker stop sends
            assertEquals(0, run.awaitExit(), run.stdout() + run.stderr());
            for (long pid : apps) {
                assertFalse(Jpm.alive(pid), "app " + pid + " still runs");
            }
            Jpm.awaitGone(daemon);
            assertTrue(run.stdout().contains("App [first:0] stopped"), run.stdout());
            assertFalse(Files.exists(jpm.home.resolve("daemon.json")));
        }
    }

    /**
     * Started as a script's background job ({@code jpm-runtime app &}: SIGINT ignored), a SIGINT still
     * stops every app and the runtime, as pm2-runtime's (checked with pm2 7.0.4: it exited on SIGINT
     * where jpm-runtime ran on, SigIgn 0x2, before its launcher reset the signal).
     */
    @Test
    void startedAsABackgroundJobSigintStillStopsEverything() throws Exception {
        try (Jpm jpm = new Jpm()) {
            ScriptRun run = ScriptRun.startAsBackgroundJob(
                    jpm,
                    jpm.scratch,
                    Map.of(),
                    RUNTIME,
                    "start",
                    twoTickers(jpm).toString());
            List<Long> apps = appPids(jpm, 2);
            long daemon = jpm.daemonPid();
            run.signal("INT");
            assertEquals(0, run.awaitExit(), run.stdout() + run.stderr());
            for (long pid : apps) {
                assertFalse(Jpm.alive(pid), "app " + pid + " still runs");
            }
            Jpm.awaitGone(daemon);
        }
    }

    @Test
    void rawLinesGoToStdoutAndStderrAsTheAppWroteThem() throws Exception {
        try (Jpm jpm = new Jpm()) {
            ScriptRun run = start(jpm, RUNTIME, Jpm.fixture("ticker.sh").toString(), "--name", "solo");
            Jpm.await(
                    "raw lines",
                    () -> run.stdout().lines().anyMatch(l -> l.matches("tick \\d+"))
                                    && run.stderr().lines().anyMatch(l -> l.matches("tock \\d+"))
                            ? true
                            : null);
            run.process().destroy();
            assertEquals(0, run.awaitExit());
        }
    }

    @Test
    void appsThatAllEndByThemselvesEndTheRuntimeWithTwo() throws Exception {
        try (Jpm jpm = new Jpm()) {
            String crash = Jpm.fixture("crash.sh").toString();
            Path file = Files.writeString(
                    jpm.scratch.resolve("ending.json"),
                    "{\"apps\":["
                            + "{\"name\":\"fails\",\"script\":\"" + crash
                            + "\",\"args\":[\"3\"],\"autorestart\":false},"
                            + "{\"name\":\"done\",\"script\":\"" + crash
                            + "\",\"args\":[\"0\"],\"autorestart\":false}]}");
            ScriptRun run = start(jpm, RUNTIME, file.toString());

            assertEquals(2, run.awaitExit(), run.stdout() + run.stderr());
            assertTrue(run.stdout().contains("crash with 3") && run.stdout().contains("crash with 0"), run.stdout());
            assertTrue(run.stdout().contains("0 application online"), run.stdout());
            assertFalse(Files.exists(jpm.home.resolve("jpm.pid")), "the daemon stopped with the runtime");
        }
    }

    @Test
    void aKilledRuntimeLeavesNoDaemonAndNoApp() throws Exception {
        try (Jpm jpm = new Jpm()) {
            ScriptRun run = start(jpm, RUNTIME, twoTickers(jpm).toString());
            List<Long> apps = appPids(jpm, 2);
            long daemon = jpm.daemonPid();

            run.process().destroyForcibly(); // SIGKILL: nothing of the runtime's runs after it
            run.awaitExit();
            Jpm.awaitGone(daemon);
            for (long pid : apps) {
                Jpm.awaitGone(pid);
            }
        }
    }

    @Test
    void startNoDaemonStreamsLabelledLinesAndStopsOnSigterm() throws Exception {
        try (Jpm jpm = new Jpm()) {
            ScriptRun run =
                    start(jpm, JPM, "start", Jpm.fixture("ticker.sh").toString(), "--name", "fg", "--no-daemon");
            Jpm.await(
                    "labelled lines",
                    () -> run.stdout().contains("[--no-daemon] Continue to stream logs")
                                    && run.stdout()
                                            .lines()
                                            .anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d 0\\|fg +\\| tick \\d+"))
                            ? true
                            : null);
            long app = appPids(jpm, 1).get(0);

            run.process().destroy();
            assertEquals(0, run.awaitExit(), run.stdout() + run.stderr());
            assertFalse(Jpm.alive(app));
        }
    }

    @Test
    void withPm2sTestSwitchTheRuntimeStartsTheAppsUnderABackgroundDaemonAndReturns() throws Exception {
        // pm2-runtime's PM2_RUNTIME_DEBUG (Runtime4Docker.js: daemon_mode, then disconnect), which
        // pm2's own e2e suite sets: the apps keep running after the runtime has returned 0
        try (Jpm jpm = new Jpm()) {
            ScriptRun run = start(
                    jpm,
                    Map.of("PM2_RUNTIME_DEBUG", "true"),
                    RUNTIME,
                    Jpm.fixture("ticker.sh").toString(),
                    "--name",
                    "kept",
                    "-i",
                    "2");
            assertEquals(0, run.awaitExit(), run.stdout() + run.stderr());
            assertEquals(2, jpm.awaitStatus("kept", "online").size());
        }
    }

    @Test
    void aMissingFileExitsOneWithOneLineAndStartsNothing() throws Exception {
        try (Jpm jpm = new Jpm()) {
            ScriptRun run = start(jpm, RUNTIME, "start", "missing.config.json");
            assertEquals(1, run.awaitExit());
            assertEquals(
                    List.of("jpm-runtime: no such ecosystem file: missing.config.json"),
                    run.stderr().lines().toList());
            assertEquals("", run.stdout());
            assertFalse(Files.exists(jpm.home.resolve("daemon.log")), "no daemon was started");
        }
    }

    @Test
    void anUnknownOptionExitsOneWithOneLine() throws Exception {
        try (Jpm jpm = new Jpm()) {
            ScriptRun run = start(jpm, RUNTIME, Jpm.fixture("ticker.sh").toString(), "--no-such-option");
            assertEquals(1, run.awaitExit());
            assertEquals(1, run.stderr().lines().count(), run.stderr());
            assertTrue(run.stderr().contains("--no-such-option"), run.stderr());
            assertFalse(Files.exists(jpm.home.resolve("daemon.log")));
        }
    }

    @Test
    void pm2RuntimesOwnOptionsAreTakenOrRefusedWithWhatToUseInstead() throws Exception {
        try (Jpm jpm = new Jpm()) {
            ScriptRun web = start(jpm, RUNTIME, Jpm.fixture("ticker.sh").toString(), "--web", "9615");
            assertEquals(1, web.awaitExit());
            assertEquals(1, web.stderr().lines().count(), web.stderr());
            assertTrue(
                    web.stderr().contains("--web: pm2-runtime's web API is jpm's HTTP server: set web.enabled"),
                    web.stderr());
            ScriptRun delay = start(jpm, RUNTIME, Jpm.fixture("ticker.sh").toString(), "--delay", "soon");
            assertEquals(1, delay.awaitExit());
            assertTrue(delay.stderr().contains("--delay expects a number of seconds"), delay.stderr());
            assertFalse(Files.exists(jpm.home.resolve("daemon.log")), "no daemon was started");

            ScriptRun keyed = start(
                    jpm,
                    RUNTIME,
                    Jpm.fixture("ticker.sh").toString(),
                    "--name",
                    "keyed",
                    "--secret",
                    "abc",
                    "--public",
                    "def",
                    "--delay",
                    "1");
            Jpm.await("the app's lines", () -> keyed.stdout().contains("tick") ? true : null);
            assertTrue(
                    keyed.stderr().contains("--secret is a pm2.io key: jpm has no pm2.io link, ignored"),
                    keyed.stderr());
            keyed.process().destroy(); // SIGTERM
            assertEquals(0, keyed.awaitExit(), keyed.stdout() + keyed.stderr());
        }
    }

    @Test
    void aDaemonAlreadyRunningInTheHomeIsLeftAlone() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "mine");
            long daemon = jpm.daemonPid();
            ScriptRun run = start(jpm, RUNTIME, Jpm.fixture("ticker.sh").toString());

            assertEquals(1, run.awaitExit());
            assertEquals(1, run.stderr().lines().count(), run.stderr());
            assertTrue(run.stderr().contains("already runs"), run.stderr());
            assertEquals(daemon, jpm.daemonPid());
            assertEquals(
                    List.of("mine"),
                    jpm.jlist().stream()
                            .map(p -> ((JsonObject) p).getString("name"))
                            .toList());
        }
    }
}
