package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The keeper (docs/ARCHITECTURE.md, "The keeper"): the daemon's parent, which starts it again when
 * it dies, with no command typed; a daemon that keeps dying is given up on in one line; jpm kill
 * and a refused start end the keeper with the daemon; without perl's keeper the daemon says so.
 */
@WithoutTuning
class KeeperIT {
    private static final Duration BACK_WITHIN = Duration.ofSeconds(30);
    /** A daemon's whole start on a loaded machine (stop 74's CI: 23 s to its adoption). */
    static final Duration START_WITHIN = Duration.ofSeconds(90);

    /** The pid the daemon wrote once it answers (daemon.json), without a command that would start one. */
    private static Integer answeringDaemon(Jpm jpm) {
        try {
            Path ready = jpm.home.resolve("daemon.json");
            if (!Files.isRegularFile(ready)) {
                return null;
            }
            return new JsonObject(Files.readString(ready)).getInteger("pid");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static long parentOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    static String commandOf(long pid) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
    }

    /** An app of the daemon of {@code home}: it has pm_id, and JPM_HOME in its environment. */
    private static boolean isAppOf(String home, long pid) {
        try {
            String env = Files.readString(Path.of("/proc", Long.toString(pid), "environ"));
            return env.contains("JPM_HOME=" + home + "\0") && env.contains("pm_id=");
        } catch (IOException | RuntimeException e) {
            return false; // gone, or not ours to read
        }
    }

    private static void kill9(long pid) throws Exception {
        new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
        Jpm.awaitGone(pid);
    }

    @Test
    void aKilledDaemonIsStartedAgainByItsKeeperWithNoCommand() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "app");
            int daemon = jpm.daemonPid();
            long keeper = parentOf(daemon);
            assertTrue(commandOf(keeper).contains("keeper.pl"), commandOf(keeper));
            DaemonAway.awaitRecorded(jpm, List.of((long) jpm.pidOf("app")));

            Jpm.Result ping = jpm.ok("ping");
            assertTrue(ping.out().contains(", keeper: " + keeper + " }"), ping.toString());
            assertFalse(ping.err().contains("unprotected"), ping.toString());

            kill9(daemon);
            int again = Jpm.await("a new daemon answering", BACK_WITHIN, () -> {
                Integer pid = answeringDaemon(jpm);
                return pid != null && pid != daemon ? pid : null;
            });
            assertEquals(keeper, parentOf(again), "started by the same keeper");
            String log = jpm.readLog(jpm.home.resolve("daemon.log").toString());
            assertTrue(
                    log.contains("jpm.keeper: the daemon (pid " + daemon + ") ended (signal 9); starting it again\n"),
                    log);
            // this JVM's JPM_TUNING (pom.xml's execution "untuned" sets it) reached the daemon the CLI started and
            // the one its keeper started: each says at its start whether its tuning is on (daemon.DaemonVertx)
            String tuning = "0".equals(System.getenv("JPM_TUNING")) ? "tuning: off (JPM_TUNING=0)" : "tuning: on (";
            assertEquals(2, log.split(Pattern.quote(tuning), -1).length - 1, "'" + tuning + "' twice in:\n" + log);
            jpm.awaitStatus("app", "online");

            jpm.ok("kill");
            Jpm.awaitGone(again);
            Jpm.awaitGone(keeper);
        }
    }

    /**
     * keeper.pid removed while the keeper's daemon runs (a command that took the keeper for dead started
     * a daemon of its own, which lost the home to the keeper's; its keeper removed the file as it ended)
     * is written again: the next command that finds no daemon answering waits for this keeper's.
     */
    @Test
    void aRemovedKeeperPidIsWrittenAgainByTheKeeperWhoseDaemonRuns() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("ping");
            long keeper = parentOf(jpm.daemonPid());
            Path file = jpm.home.resolve("keeper.pid");
            assertEquals(Long.toString(keeper), Files.readString(file).trim());
            Files.delete(file);
            String again = Jpm.await(
                    "keeper.pid written again",
                    BACK_WITHIN,
                    () -> Files.isRegularFile(file)
                            ? jpm.readLog(file.toString()).trim()
                            : null);
            assertEquals(Long.toString(keeper), again);
        }
    }

    /**
     * Regression: the daemon's Vert.x made {@code vertx-cache-<random>} in the temp dir at each start,
     * removed by a shutdown hook that a daemon ended by SIGKILL never runs (538 in a day's /tmp).
     */
    @Test
    void aDaemonKilledLeavesNoFolderInTheTempDir() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path temp = Files.createDirectories(jpm.home.resolveSibling(jpm.home.getFileName() + "-tmp"));
            Map<String, String> env = Map.of(
                    "JPM_DAEMON_OPTS", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.io.tmpdir=" + temp);
            assertEquals(0, jpm.cli(env, "ping").exit());
            int daemon = jpm.daemonPid();
            assertEquals(List.of(), vertxFolders(temp), "while it runs");
            kill9(daemon);
            int again = Jpm.await("a new daemon answering", BACK_WITHIN, () -> {
                Integer pid = answeringDaemon(jpm);
                return pid != null && pid != daemon ? pid : null;
            });
            assertEquals(List.of(), vertxFolders(temp), "after a SIGKILL, with the next daemon running");
            jpm.ok("kill");
            Jpm.awaitGone(again);
        }
    }

    private static List<String> vertxFolders(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("vertx-cache"))
                    .toList();
        }
    }

    /** Regression: it said "no daemon running", exited 0 and left the apps running. */
    @Test
    void killRightAfterACrashStopsTheDaemonItsKeeperStartsAgainAndItsApps() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "app");
            // killed once the record names the app: killed before, the app is a leftover no record names
            DaemonAway.awaitRecorded(jpm, List.of((long) jpm.pidOf("app")));
            int daemon = jpm.daemonPid();
            long keeper = parentOf(daemon);
            kill9(daemon);
            Jpm.Result killed = jpm.ok("kill");
            assertTrue(killed.out().contains("[jpm] 1 process(es) stopped"), killed.toString());
            Jpm.awaitGone(keeper);
            String home = jpm.home.toString();
            Jpm.await(
                    "no app of this home left",
                    () -> ProcessHandle.allProcesses().noneMatch(p -> isAppOf(home, p.pid())) ? true : null);
        }
    }

    @Test
    void aDaemonThatKeepsDyingIsGivenUpOnAndTheNextCommandStartsOneThatAdoptsTheApps() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Map<String, String> quick = Map.of("JPM_KEEPER_PAUSES_S", "0 0");
            assertEquals(
                    0,
                    jpm.cli(quick, "start", Jpm.fixture("idle.sh").toString(), "--name", "app")
                            .exit());
            int app = jpm.pidOf("app");
            DaemonAway.awaitRecorded(jpm, List.of((long) app));
            long keeper = parentOf(jpm.daemonPid());
            // the first three quick deaths are restarted (at once here), the fourth is not
            for (int death = 1; death <= 4; death++) {
                int daemon = Jpm.await("a daemon answering", BACK_WITHIN, () -> answeringDaemon(jpm));
                kill9(daemon);
                if (death < 4) {
                    Jpm.await("a new daemon after death " + daemon, BACK_WITHIN, () -> {
                        Integer pid = answeringDaemon(jpm);
                        return pid != null && pid != daemon ? pid : null;
                    });
                }
            }
            Path gaveUp = jpm.home.resolve("keeper-gave-up");
            Jpm.await("the keeper's word for the next daemon", () -> Files.isRegularFile(gaveUp) ? true : null);
            // the note is written before the line that says it (whoever reads the line finds the note)
            jpm.awaitLog(
                    jpm.home.resolve("daemon.log").toString(),
                    "4 times in a row within 30 s of its start: trying again every 30 s, or when a jpm command asks");
            assertTrue(Jpm.alive(keeper), "the keeper rests with the apps");
            assertTrue(Jpm.alive(app), "the app runs on");

            // the next command has the keeper start a daemon, which adopts the app, and it and jpm ls say
            // the keeper gave up, in one line
            Jpm.Result next = jpm.cli("ping");
            assertEquals(0, next.exit(), "the next command starts a daemon");
            assertEquals(keeper, parentOf(jpm.daemonPid()));
            assertEquals(app, jpm.pidOf("app"), "adopted");
            String note = "the daemon crashed 4 times in a row and its keeper gave up at ";
            assertEquals(
                    1,
                    next.err()
                            .lines()
                            .filter(l -> l.startsWith("[jpm] " + note))
                            .count(),
                    next.toString());
            assertTrue(next.err().contains("(the last: signal 9)"), next.toString());
            assertTrue(jpm.ok("ls").out().contains("\n[jpm] " + note), "and ls, while this daemon runs");
            assertTrue(!Files.exists(gaveUp), "read and removed by the next daemon");
        }
    }

    /**
     * A daemon its keeper started after a crash, whose start then fails once it has adopted the app (here
     * its bridge cannot listen), ends as a crash does: the app runs on and the next daemon adopts it.
     * Regression: its shutdown hook stopped every app (a cluster's join past the start's deadline after
     * {@code jpm update} stopped a fleet's instances).
     */
    @Test
    void aStartThatFailsAfterACrashLeavesTheAppsToTheNextDaemon() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Map<String, String> quick = Map.of("JPM_KEEPER_PAUSES_S", "1 1");
            assertEquals(
                    0,
                    jpm.cli(quick, "start", Jpm.fixture("idle.sh").toString(), "--name", "app")
                            .exit());
            int app = jpm.pidOf("app");
            DaemonAway.awaitRecorded(jpm, List.of((long) app));
            int daemon = jpm.daemonPid();
            // read at the next start, after the adoption: 192.0.2.1 (TEST-NET-1) is no address of this machine
            jpm.settings(new JsonObject()
                    .put("bridge", new JsonObject().put("host", "192.0.2.1").put("insecure_no_tls", true)));
            kill9(daemon);
            String log = jpm.home.resolve("daemon.log").toString();
            jpm.awaitLog(
                    log,
                    "daemon failed to start: bridge: cannot listen on 192.0.2.1: Cannot assign requested address",
                    START_WITHIN);
            jpm.awaitLog(log, "the apps run on: the keeper starts the next daemon, which adopts them");
            assertTrue(Jpm.alive(app), "the app runs on");

            jpm.settings(new JsonObject());
            Jpm.Result next = jpm.cli("ping");
            assertEquals(0, next.exit(), next.toString());
            assertEquals(app, jpm.pidOf("app"), "adopted by the next daemon");
            assertFalse(jpm.readLog(log).contains("daemon stopping: stopping every app"), jpm.readLog(log));
        }
    }

    @Test
    void aRefusedStartEndsTheKeeperWithTheDaemonsReason() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.settings(new JsonObject().put("bridge", new JsonObject().put("host", "192.0.2.1")));
            Jpm.Result refused = jpm.cli("ping");
            assertEquals(1, refused.exit(), refused.toString());
            assertTrue(
                    refused.err()
                            .contains("the daemon exited at start (code 1): bridge: refusing to listen on 192.0.2.1"),
                    refused.toString());
            assertTrue(
                    ProcessHandle.allProcesses()
                            .noneMatch(p -> p.info().commandLine().orElse("").contains(jpm.home + "/keeper.pl")),
                    "no keeper left");
        }
    }

    @Test
    void withoutTheKeeperTheDaemonSaysSoAndRunsAlone() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Jpm.Result ping = jpm.cli(Map.of("JPM_KEEPER", "0"), "ping");
            assertEquals(0, ping.exit());
            assertTrue(ping.out().contains(", keeper: none }"), ping.toString());
            assertTrue(ping.err().contains("[jpm] apps unprotected: no keeper (JPM_KEEPER=0)"), ping.toString());
            assertTrue(!commandOf(parentOf(jpm.daemonPid())).contains("keeper.pl"));
            jpm.awaitLog(
                    jpm.home.resolve("daemon.log").toString(),
                    "no keeper (JPM_KEEPER=0): if this daemon dies, nothing starts it again");
        }
    }

    /**
     * Where perl is missing (Alpine, distroless) the daemon runs alone, which is no choice of the
     * user's: every {@code jpm ls} says the apps do not outlive the daemon, as {@code jpm ping} does.
     */
    @Test
    void withoutPerlEveryListSaysTheAppsAreUnprotected() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Map<String, String> env = Map.of("PATH", pathWithoutPerl(jpm.scratch.resolve("no-perl")));
            Jpm.Result start = jpm.cli(env, "start", Jpm.fixture("idle.sh").toString(), "--name", "alone");
            assertEquals(0, start.exit(), start.toString());
            Jpm.Result ls = jpm.cli(env, "ls");
            assertEquals(0, ls.exit(), ls.toString());
            assertTrue(ls.out().contains("apps unprotected: no keeper (no perl on PATH)"), ls.toString());
            Jpm.Result ping = jpm.cli(env, "ping");
            assertTrue(ping.err().contains("[jpm] apps unprotected: no keeper (no perl on PATH)"), ping.toString());
            assertTrue(!commandOf(parentOf(jpm.daemonPid())).contains("keeper.pl"));
        }
    }

    /** This PATH with each folder that holds a perl replaced by links to everything else in it. */
    private static String pathWithoutPerl(Path farm) throws IOException {
        List<String> dirs = new java.util.ArrayList<>();
        int n = 0;
        for (String dir : System.getenv("PATH").split(":")) {
            Path folder = Path.of(dir);
            if (!Files.isExecutable(folder.resolve("perl"))) {
                dirs.add(dir);
                continue;
            }
            Path links = Files.createDirectories(farm.resolve(String.valueOf(n++)));
            try (var entries = Files.list(folder)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    String name = entry.getFileName().toString();
                    if (!name.startsWith("perl")) {
                        Files.createSymbolicLink(links.resolve(name), entry);
                    }
                }
            }
            dirs.add(links.toString());
        }
        return String.join(":", dirs);
    }
}
