package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The daemon's AppCDS archive (cli/startup/DaemonArchive), on a copy of the jar in a folder of its own so
 * the recording this test waits for is its own: the first daemon start records it in the
 * background, the next daemon maps it, the training daemon is gone, and an archive older than the
 * jar is not used.
 */
class DaemonArchiveIT {

    @Test
    void theFirstDaemonStartRecordsTheArchiveAndTheNextDaemonMapsIt() throws Exception {
        Path dir = Files.createTempDirectory("jpm-archive-it-");
        Path jar = Files.copy(Jpm.JAR, dir.resolve("jpm.jar"));
        Path archive = dir.resolve("jpm-daemon-" + Files.size(jar) + "-"
                + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
        Path home = dir.resolve("home");

        String first = client(jar, home, "ping");
        assertTrue(first.contains("pong"), first);
        long firstDaemon = daemonPid(home);
        assertFalse(mapped(firstDaemon, archive), "no archive yet: the first daemon runs on the JDK's");

        // recorded, its lock released, and the recorder, its training daemon and the dump all gone
        Jpm.await(
                "the archive recorded and every recording process gone",
                Duration.ofSeconds(90),
                () -> Files.isRegularFile(archive)
                                && !Files.exists(dir.resolve("jpm-daemon-lock"))
                                && processesRunning(jar).equals(List.of(firstDaemon))
                        ? true
                        : null);
        assertTrue(Files.size(archive) > 1_000_000, "a whole archive: " + Files.size(archive));
        String log = Files.readString(home.resolve("daemon.log"));
        assertFalse(log.contains("recording the daemon archive failed"), log);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of("home", archive.getFileName().toString(), "jpm.jar"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary archive left beside the jar");
        }

        client(jar, home, "kill");
        Jpm.awaitGone(firstDaemon);
        assertTrue(client(jar, home, "ping").contains("pong"));
        long second = daemonPid(home);
        assertTrue(mapped(second, archive), "the next daemon maps the archive");
        assertTrue(
                client(jar, home, "start", Jpm.fixture("idle.sh").toString(), "--name", "a")
                        .contains("online"),
                "a daemon on the archive runs apps");
        client(jar, home, "kill");
        Jpm.awaitGone(second);

        // another jar in its place (even an older one): that archive is not passed; the new jar's is
        // recorded, and the old one removed
        Files.setLastModifiedTime(
                jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        Path next = dir.resolve("jpm-daemon-" + Files.size(jar) + "-"
                + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
        assertTrue(client(jar, home, "ping").contains("pong"));
        long third = daemonPid(home);
        assertFalse(mapped(third, archive), "the archive of another jar is not used");
        // recorded while that daemon runs (a kill would end the recording: jpmKillEndsTheRecording...)
        Jpm.await(
                "the new jar's archive recorded",
                Duration.ofSeconds(90),
                () -> Files.isRegularFile(next)
                                && !Files.exists(dir.resolve("jpm-daemon-lock"))
                                && processesRunning(jar).equals(List.of(third))
                        ? true
                        : null);
        assertFalse(Files.exists(archive), "the old jar's archive is removed");
        client(jar, home, "kill");
        Jpm.awaitGone(third);
    }

    /**
     * Beside the client's archive (bin/jpm records it into target/ on the first command), the daemon's is a
     * dynamic archive on top of it: the next daemon maps both. One older than the client's archive (recorded
     * on an earlier one, which the JVM would refuse as its base) is not passed, and is recorded again.
     */
    @Test
    void besideTheClientsArchiveTheDaemonsIsRecordedOnTopOfIt() throws Exception {
        Path dir = Files.createTempDirectory("jpm-archive-layer-it-");
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("target"));
        Path launcher = Files.copy(Path.of("bin", "jpm"), dir.resolve("bin").resolve("jpm"));
        Path jar = Files.copy(Jpm.JAR, dir.resolve("target").resolve("jpm.jar"));
        Path clientArchive = dir.resolve("target").resolve("jpm-cli.jsa");
        Path archive = dir.resolve("target")
                .resolve("jpm-daemon-" + Files.size(jar) + "-"
                        + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
        Path home = dir.resolve("home");

        assertTrue(launch(launcher, home, "ping").contains("pong"));
        assertTrue(Files.isRegularFile(clientArchive), "bin/jpm recorded the client's archive first");
        long first = daemonPid(home);
        awaitRecorded(archive, jar, List.of(first));
        launch(launcher, home, "kill");
        Jpm.awaitGone(first);

        assertTrue(launch(launcher, home, "ping").contains("pong"));
        long second = daemonPid(home);
        assertTrue(mapped(second, archive), "the next daemon maps its archive");
        assertTrue(mapped(second, clientArchive), "and the client's, the base of its own");
        launch(launcher, home, "kill");
        Jpm.awaitGone(second);

        FileTime earlier =
                FileTime.fromMillis(Files.getLastModifiedTime(clientArchive).toMillis() - 60_000);
        Files.setLastModifiedTime(archive, earlier);
        assertTrue(launch(launcher, home, "ping").contains("pong"));
        long third = daemonPid(home);
        assertFalse(mapped(third, archive), "an archive older than the client's is not passed");
        // recorded again while this daemon runs: a kill ends a recording under way
        Jpm.await(
                "the archive recorded again",
                Duration.ofSeconds(90),
                () -> modifiedAfter(archive, earlier)
                                && !Files.exists(dir.resolve("target").resolve("jpm-daemon-lock"))
                                && processesRunning(jar).equals(List.of(third))
                        ? true
                        : null);
        launch(launcher, home, "kill");
        Jpm.awaitGone(third);
    }

    private static void awaitRecorded(Path archive, Path jar, List<Long> running) {
        Jpm.await(
                "the archive recorded and every recording process gone",
                Duration.ofSeconds(90),
                () -> Files.isRegularFile(archive)
                                && !Files.exists(archive.resolveSibling("jpm-daemon-lock"))
                                && processesRunning(jar).equals(running)
                        ? true
                        : null);
    }

    private static boolean modifiedAfter(Path file, FileTime time) {
        try {
            return Files.getLastModifiedTime(file).compareTo(time) > 0;
        } catch (IOException e) {
            return false; // not there (yet)
        }
    }

    /** kill -NAME pid, for a process that may have ended meanwhile (then nothing). */
    private static void signalIfThere(String name, long pid) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** bin/jpm, as a user runs it, on the java the tests run on. */
    private static String launch(Path launcher, Path home, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JPM_HOME", home.toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("JPM_DAEMON_OPTS");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "jpm " + String.join(" ", args) + " finished");
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    /**
     * A fresh jar's first start left the recording (its JVM, training daemon and dump) running after
     * {@code jpm kill}, for as long as the recording took. It ends with the daemon now: nothing of it is
     * left, and no archive (the recording of an idle daemon takes 6.5 s at the least, and the kill comes
     * right after the first start), its lock released for the next start, which records it.
     */
    /** The recorder's end: its children's, at most 30 s each (DaemonArchive.stop), then its own. */
    private static final Duration RECORDER_ENDS = Duration.ofSeconds(75);

    @Test
    void jpmKillEndsTheRecordingTheFirstStartBegan() throws Exception {
        Path dir = Files.createTempDirectory("jpm-archive-kill-it-");
        Path jar = Files.copy(Jpm.JAR, dir.resolve("jpm.jar"));
        Path archive = dir.resolve("jpm-daemon-" + Files.size(jar) + "-"
                + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
        Path home = dir.resolve("home");
        assertTrue(client(jar, home, "ping").contains("pong"));
        long daemon = daemonPid(home);
        // its training daemon by its flag: a count of the jar's processes also took setsid --fork's parent,
        // there a moment, for it; the recorder's JVM, its child then, was held instead, and found the daemon
        // gone when let go (a CI simulation: the recording ended, but silently)
        Jpm.await(
                "the recording's training daemon started",
                () -> processesRunning(jar).stream()
                                .anyMatch(pid -> commandLine(pid).contains("-XX:DumpLoadedClassList"))
                        ? true
                        : null);

        // the recorder's children (its training daemon, a dump) held still while the daemon is killed: on a
        // loaded machine the kill could come after a recording finished (6.5 s at the least), which would
        // prove nothing (CI: the archive there); the recorder itself runs on and sees its daemon end
        Set<Long> recording = new HashSet<>(processesRunning(jar));
        recording.remove(daemon);
        List<Long> held = recording.stream()
                .filter(pid -> ProcessHandle.of(pid)
                        .flatMap(ProcessHandle::parent)
                        .filter(parent -> recording.contains(parent.pid()))
                        .isPresent())
                .toList();
        assertFalse(held.isEmpty(), "the training daemon among " + recording);
        held.forEach(pid -> signalIfThere("STOP", pid));
        try {
            client(jar, home, "kill");
            Jpm.awaitGone(daemon);
            // held until the recorder itself has ended (its shutdown kills them, stopped or not): let go
            // as soon as the daemon was gone, they finished the recording on CI before the recorder saw
            // its daemon end
            // the recorder's end bounds each child's end at 30 s (DaemonArchive.stop): 30 s for the
            // recorder itself was shorter than its own bound, and ran out once in a CI simulation
            for (long pid : recording) {
                if (!held.contains(pid)) {
                    try {
                        Jpm.await("pid " + pid + " to be gone", RECORDER_ENDS, () -> Jpm.released(pid) ? true : null);
                    } catch (AssertionError e) {
                        throw new AssertionError(
                                e.getMessage() + "; held " + held + "; the recording's processes: "
                                        + described(recording),
                                e);
                    }
                }
            }
        } finally {
            held.forEach(pid -> signalIfThere("CONT", pid));
        }
        Jpm.await(
                "every process of the recording gone",
                Duration.ofSeconds(60),
                () -> processesRunning(jar).isEmpty() && keepersOf(jar).isEmpty() ? true : null);
        assertFalse(Files.exists(archive), "the recording stopped with the daemon, it did not finish");
        assertFalse(Files.exists(dir.resolve("jpm-daemon-lock")), "the lock released for the next start");
        String log = Files.readString(home.resolve("daemon.log"));
        assertTrue(log.contains("ended: the archive is recorded at its next"), log);

        // the next start records it
        assertTrue(client(jar, home, "ping").contains("pong"));
        long next = daemonPid(home);
        Jpm.await(
                "the archive recorded by the next start",
                Duration.ofSeconds(90),
                () -> Files.isRegularFile(archive) && processesRunning(jar).equals(List.of(next)) ? true : null);
        client(jar, home, "kill");
        Jpm.awaitGone(next);
    }

    /**
     * The recording verb run by itself, as the .deb's postinst runs it: the archive is there when it
     * returns, and nothing it started is left, no keeper either (a keeper started the killed training
     * daemon again, for good, in a scratch folder deleted meanwhile).
     */
    @Test
    void theRecordingVerbRunAloneLeavesNoProcessBehind() throws Exception {
        Path dir = Files.createTempDirectory("jpm-archive-verb-it-");
        Path jar = Files.copy(Jpm.JAR, dir.resolve("jpm.jar"));
        Path archive = dir.resolve("jpm-daemon-" + Files.size(jar) + "-"
                + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
        // the user's port, free while the training daemon runs: it must never listen there
        int userPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            userPort = probe.getLocalPort();
        }
        AtomicBoolean taken = new AtomicBoolean();
        AtomicBoolean recorded = new AtomicBoolean();
        Thread watch = new Thread(() -> {
            while (!recorded.get()) {
                taken.compareAndSet(false, listening(userPort));
                try {
                    Thread.sleep(20); // a sample: the training daemon would hold the port for seconds
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watch.start();
        try {
            client(jar, dir.resolve("home"), Map.of("JPM_BRIDGE_PORT", Integer.toString(userPort)), "__daemon-cds");
        } finally {
            recorded.set(true);
            watch.join();
        }
        assertFalse(taken.get(), "the training daemon listened on the user's port " + userPort);
        assertTrue(Files.isRegularFile(archive), "recorded when the verb returns");
        assertEquals(List.of(), processesRunning(jar), "no training daemon left");
        assertEquals(List.of(), keepersOf(jar), "no keeper left");
    }

    /** The keepers whose daemon runs this jar. */
    private static List<Long> keepersOf(Path jar) {
        return jarProcesses(jar, true);
    }

    private static String client(Path jar, Path home, String... args) throws IOException, InterruptedException {
        return client(jar, home, Map.of(), args);
    }

    private static String client(Path jar, Path home, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of(Jpm.JAVA, "-XX:TieredStopAtLevel=1", "-cp", jar.toString(), "io.jpm.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JPM_HOME", home.toString());
        builder.environment().remove("JPM_DAEMON_OPTS");
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "jpm " + String.join(" ", args) + " finished");
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    /** Whether a socket listens on this TCP port (/proc/net/tcp and tcp6, state 0A). */
    private static boolean listening(int port) {
        String hex = String.format(":%04X ", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 3 && (fields[1] + " ").endsWith(hex) && fields[3].equals("0A")) {
                        return true;
                    }
                }
            } catch (IOException e) {
                // no IPv6 here
            }
        }
        return false;
    }

    private static long daemonPid(Path home) throws IOException {
        return Long.parseLong(Files.readString(home.resolve("jpm.pid")).trim());
    }

    private static boolean mapped(long pid, Path file) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "maps")).contains(file.toString());
    }

    /** Each process as ps tells it (pid, parent, state, command line): which one of a recording did not end. */
    private static String described(Set<Long> pids) {
        List<String> command = new ArrayList<>(List.of("ps", "-o", "pid,ppid,stat,args", "-p"));
        command.add(String.join(",", pids.stream().map(String::valueOf).toList()));
        try {
            Process ps = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ps.waitFor();
            return out;
        } catch (IOException e) {
            return "(no ps: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /**
     * Every JVM whose command line names this jar (the daemons and recorders started from it; not the
     * daemon's keeper, whose command line holds the daemon's).
     */
    private static List<Long> processesRunning(Path jar) {
        return jarProcesses(jar, false);
    }

    /** The processes whose command line names {@code jar}: its daemons' keepers, or every other. */
    private static List<Long> jarProcesses(Path jar, boolean keepers) {
        return ProcessHandle.allProcesses()
                .map(ProcessHandle::pid)
                .filter(pid -> {
                    String command = commandLine(pid);
                    return command.contains(jar.toString()) && command.contains("keeper.pl") == keepers;
                })
                .toList();
    }

    /** The process's command line, its arguments separated by NULs; empty once it has exited. */
    private static String commandLine(long pid) {
        try {
            return new String(
                    Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
