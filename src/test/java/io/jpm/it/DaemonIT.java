package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The daemon's own life: auto-start, files in JPM_HOME, one per home, events, kill and SIGTERM. */
@WithoutTuning
class DaemonIT {

    @Test
    void theFirstCommandStartsTheDaemonWithPrivateFiles() throws Exception {
        try (Jpm jpm = new Jpm()) {
            assertFalse(Files.exists(jpm.home.resolve("daemon.json")));
            Jpm.Result ping = jpm.ok("ping");
            assertTrue(ping.out().contains("pong"), ping.toString());
            assertTrue(ping.out().contains("god: ok"), ping.toString());
            JsonObject info = new JsonObject(Files.readString(jpm.home.resolve("daemon.json")));
            assertEquals(jpm.daemonPid(), info.getInteger("pid"));
            assertEquals("127.0.0.1", info.getString("bridgeHost"));
            assertTrue(info.getInteger("bridgePort") > 0);
            for (String file : List.of("daemon.json", "token", "token.readonly")) {
                assertEquals(
                        "rw-------",
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(jpm.home.resolve(file))),
                        file);
            }
            assertNotEquals(
                    Files.readString(jpm.home.resolve("token")), Files.readString(jpm.home.resolve("token.readonly")));
            // every file, folder and socket jpm made in the home, the keeper's and the lock included
            try (var made = Files.walk(jpm.home)) {
                List<String> open = made.filter(path -> !groupOrOthers(path).isEmpty())
                        .map(path -> jpm.home.relativize(path) + " " + groupOrOthers(path))
                        .toList();
                assertEquals(List.of(), open, "not owner-only in JPM_HOME");
            }

            int pid = jpm.daemonPid();
            jpm.ok("ls");
            assertEquals(pid, jpm.daemonPid(), "a second command reuses the daemon");
        }
    }

    /**
     * Regression: kill returned when the daemon's connection closed, which its shutdown does before
     * the process exits and frees the JPM_HOME lock; a command right after then started a daemon that
     * found the lock held and exited 1 ("another daemon already runs").
     */
    @Test
    void aCommandRightAfterKillStartsTheNextDaemon() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "k");
            jpm.ok("save");
            for (int round = 0; round < 5; round++) {
                int pid = jpm.daemonPid();
                jpm.ok("kill");
                assertFalse(Jpm.alive(pid), "kill returns once the daemon has exited");
                jpm.ok("resurrect");
                jpm.awaitStatus("k", "online");
            }
        }
    }

    @Test
    void aSecondDaemonForTheSameHomeIsRefused() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("ping");
            // a full GC in the running daemon first: its lock once went with the first GC after start
            // (the lock's channel was unreachable and its cleaner closed it)
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process gc = new ProcessBuilder(jcmd.toString(), Integer.toString(jpm.daemonPid()), "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            assertTrue(gc.waitFor(60, TimeUnit.SECONDS) && gc.exitValue() == 0, "jcmd GC.run");
            Path output = jpm.scratch.resolve("second-daemon.txt");
            ProcessBuilder builder = new ProcessBuilder(Jpm.JAVA, "-cp", Jpm.JAR.toString(), "io.jpm.daemon.DaemonMain")
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().put("JPM_HOME", jpm.home.toString());
            Process second = builder.start();
            if (!second.waitFor(60, TimeUnit.SECONDS)) {
                second.destroy();
                second.waitFor(30, TimeUnit.SECONDS);
                Assertions.fail("a second daemon for the same home kept running: "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            assertEquals(1, second.exitValue());
            String said = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue(said.contains("another daemon already runs"), said);
            assertTrue(jpm.ok("ping").out().contains("pong"));
        }
    }

    @Test
    void killStopsEveryAppThenTheDaemon() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "a", "-i", "2");
            jpm.ok("start", Jpm.fixture("stubborn.sh").toString(), "--name", "b", "--kill-timeout", "200");
            List<Long> pids = new ArrayList<>();
            for (JsonObject p : jpm.awaitStatus("a", "online")) {
                pids.add((long) p.getInteger("pid"));
                pids.add(jpm.grandchildOf(p.getInteger("pid")));
            }
            pids.add((long) jpm.awaitStatus("b", "online").get(0).getInteger("pid"));
            long daemon = jpm.daemonPid();

            Jpm.Result killed = jpm.ok("kill");
            assertTrue(killed.out().contains("3 process(es) stopped"), killed.toString());
            Jpm.awaitGone(daemon);
            pids.forEach(Jpm::awaitGone);
            assertFalse(Files.exists(jpm.home.resolve("daemon.json")));
            assertFalse(Files.exists(jpm.home.resolve("jpm.pid")));
        }
    }

    @Test
    void sigtermStopsEveryAppThenTheDaemon() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "t");
            long app = jpm.awaitStatus("t", "online").get(0).getInteger("pid");
            long grandchild = jpm.grandchildOf(app);
            long daemon = jpm.daemonPid();
            new ProcessBuilder("kill", "-TERM", Long.toString(daemon)).start().waitFor();
            Jpm.awaitGone(daemon);
            Jpm.awaitGone(app);
            Jpm.awaitGone(grandchild);
            assertFalse(Files.exists(jpm.home.resolve("daemon.json")));
        }
    }

    @Test
    void eventsPrintsEveryTransition() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("ping");
            ProcessBuilder builder =
                    new ProcessBuilder(Jpm.JAVA, "-cp", Jpm.JAR.toString(), "io.jpm.cli.Main", "events");
            builder.environment().put("JPM_HOME", jpm.home.toString());
            Process events = builder.start();
            List<JsonObject> seen = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        seen.add(new JsonObject(line));
                    }
                } catch (Exception e) {
                    // the process was stopped
                }
            });
            reader.start();
            try {
                // the subscription is in place once a probe start shows up in the stream
                Jpm.await("events to flow", () -> {
                    jpm.cli("start", Jpm.fixture("crash.sh").toString(), "--name", "probe", "--no-autorestart");
                    return seen.stream().anyMatch(e -> "probe".equals(e.getString("app"))) ? true : null;
                });
                jpm.ok("start", Jpm.fixture("crash.sh").toString(), "--name", "ev", "--no-autorestart", "--", "5");
                List<String> transitions = Jpm.await("ev to stop", () -> {
                    List<String> t = seen.stream()
                            .filter(e -> "ev".equals(e.getString("app")))
                            .map(e -> e.getString("from") + "->" + e.getString("to"))
                            .toList();
                    return t.contains("online->stopped") ? t : null;
                });
                assertEquals(List.of("stopped->launching", "launching->online", "online->stopped"), transitions);
                JsonObject last = seen.stream()
                        .filter(e -> "ev".equals(e.getString("app")) && "stopped".equals(e.getString("to")))
                        .findFirst()
                        .orElseThrow();
                assertEquals(5, last.getInteger("exit_code"));
                assertTrue(last.getString("host") != null && last.getLong("time") > 0);
            } finally {
                events.destroy();
            }
        }
    }

    /** Regression: apps inherited the daemon's ignored SIGINT and blocked SIGQUIT, so a stop needed SIGKILL. */
    @Test
    void appsGetDefaultSignalHandlingWhateverTheDaemonIgnores() throws Exception {
        try (Jpm jpm = new Jpm()) {
            // start the daemon the way a background job of a script would: SIGINT and SIGQUIT ignored
            ProcessBuilder builder = new ProcessBuilder(
                    "bash",
                    "-c",
                    "trap '' INT QUIT; exec \"$@\"",
                    "jpm",
                    Jpm.JAVA,
                    "-cp",
                    Jpm.JAR.toString(),
                    "io.jpm.cli.Main",
                    "ping");
            builder.environment().put("JPM_HOME", jpm.home.toString());
            assertEquals(0, builder.redirectErrorStream(true).start().waitFor());
            long daemonIgnored = signalMask(jpm.daemonPid(), "SigIgn");
            assertTrue((daemonIgnored & (1L << 1)) != 0, "the daemon itself ignores SIGINT");

            // sleep changes no signal handling: it shows exactly what jpm handed over
            jpm.ok("start", "/bin/sleep", "--name", "probe", "--", "1000");
            long probe = jpm.awaitStatus("probe", "online").get(0).getInteger("pid");
            // signals 1-31; 32 and up are glibc's own and real-time signals, none of an app's business here
            long standard = 0x7fffffffL;
            assertEquals(0, signalMask(probe, "SigIgn") & standard, "no standard signal ignored");
            assertEquals(0, signalMask(probe, "SigBlk") & standard, "no standard signal blocked");
            // nothing of the daemon's (its jars, sockets, epoll, pipes of other apps) leaks into an app
            try (var fds = Files.list(Path.of("/proc", Long.toString(probe), "fd"))) {
                assertEquals(
                        List.of("0", "1", "2"),
                        fds.map(f -> f.getFileName().toString()).sorted().toList());
            }

            // and a shell app can trap SIGINT, the default kill signal, and stop cleanly
            jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "deaf");
            JsonObject p = jpm.awaitStatus("deaf", "online").get(0);
            jpm.awaitLog(p.getJsonObject("pm2_env").getString("pm_out_log_path"), "args:");

            jpm.ok("stop", "deaf");
            JsonObject stopped = jpm.named("deaf").get(0);
            assertEquals(0, stopped.getJsonObject("pm2_env").getInteger("exit_code"), stopped.encodePrettily());
            assertTrue(jpm.readLog(p.getJsonObject("pm2_env").getString("pm_out_log_path"))
                    .contains("stopping"));
        }
    }

    private static long signalMask(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseUnsignedLong(line.substring(field.length() + 1).trim(), 16);
            }
        }
        throw new AssertionError(field + " not in /proc/" + pid + "/status");
    }

    @Test
    void theLauncherScriptRecordsItsArchiveAndRuns() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path script = Path.of("bin", "jpm").toAbsolutePath();
            ProcessBuilder builder = new ProcessBuilder("sh", script.toString(), "ping").redirectErrorStream(true);
            builder.environment().put("JPM_HOME", jpm.home.toString());
            Process ping = builder.start();
            String out = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, ping.waitFor(), out);
            assertTrue(out.contains("pong"), out);
            assertTrue(Files.isRegularFile(Path.of("target", "jpm-cli.jsa")), "bin/jpm keeps an AppCDS archive");
        }
    }

    /** The permissions a path gives its group or others, empty when owner-only. */
    private static Set<PosixFilePermission> groupOrOthers(Path path) {
        try {
            Set<PosixFilePermission> given = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            given.removeAll(Set.of(
                    PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE));
            return given;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
