package io.jpm.cli.startup;

import io.jpm.cli.Main;
import io.jpm.cli.transport.BridgeClient;
import io.jpm.cli.transport.DaemonConnector;
import io.jpm.cli.transport.DaemonJvm;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.ProcessEnd;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The daemon's AppCDS archive, {@code jpm-daemon-<jar size>-<jar time>.jsa} next to the jar: the classes an idle
 * daemon loads (JDK, Vert.x, Netty and jpm's), which the daemon JVM maps instead of the JDK's default archive. Where
 * the client's archive ({@code jpm-cli.jsa}, bin/jpm) is beside the jar, it is a dynamic archive on top of that one,
 * holding only the classes the client's lacks: 12 MB instead of 25 on disk, the daemon's start the same
 * (docs/BENCHMARKS.md, "Release build"); else a static archive of them all.
 *
 * <p>Why (docs/BENCHMARKS.md, foundation): JDK 17 relocates the default archive at start
 * ({@code ArchiveRelocationMode=1}), which dirties all of its 12 MiB, of which the daemon uses only
 * part, and then loads its 1,850 other classes into metaspace. The daemon's own archive holds only
 * what it uses: 3 MiB less idle RSS, and its classes come parsed and verified, so a cold daemon
 * answers its first ping about 300 ms sooner.
 *
 * <p>How: the first time the client starts a daemon for a jar with no archive (or an older one), it
 * starts it without, then records the archive in the background ({@link #record}): a training
 * daemon in a scratch JPM_HOME, run with {@code -XX:DumpLoadedClassList}, is pinged, listed and left
 * to idle; then either it is stopped and writes the dynamic archive at its exit ({@code -XX:ArchiveClassesAtExit}),
 * or it is killed and {@code java -Xshare:dump} turns that class list into the static archive; written to a
 * temporary name and renamed into place. Daemons started after that use it. A stale or damaged archive
 * costs nothing but the saving: the JVM checks the jar's size and time and ignores an archive that
 * does not match, and this class passes only the archive named after the jar's size and time.
 * Running from a folder of classes (no jar), there is no archive: CDS archives only jars.
 *
 * <p>A little over ~300 lines: the archive's name, its use and its recording share the rules of
 * which archive matches which jar, kept in one place so they cannot drift.
 */
public final class DaemonArchive {
    /** The hidden verb that records the archive. */
    public static final String RECORD_VERB = "__daemon-cds";

    static final String ARCHIVE_PREFIX = "jpm-daemon-";
    /** The client's archive, which bin/jpm records beside the jar: the base of the daemon's when there. */
    static final String CLIENT_ARCHIVE = "jpm-cli.jsa";
    /** Another client's recording is left alone for this long; after that its lock counts as stale. */
    private static final long LOCK_STALE_MS = TimeUnit.MINUTES.toMillis(3);

    static final long TRAINING_DEADLINE_S = 120;
    private final Path jar;
    /** The recorder is ending (its daemon ended, SIGTERM): it puts no archive in place any more. */
    private boolean ending;

    private DaemonArchive(Path jar) {
        this.jar = jar;
    }

    /** The archive for the daemon run from {@code classpath}, or null when that is not a jar. */
    public static DaemonArchive forClasspath(String classpath) {
        Path path = Path.of(classpath);
        return classpath.endsWith(".jar") && Files.isRegularFile(path)
                ? new DaemonArchive(path.toAbsolutePath())
                : null;
    }

    /**
     * The archive of this very jar: its name carries the jar's size and time, which is what the JVM
     * checks too, so a jar replaced by another (even an older one) has no archive until recorded.
     */
    Path archive() {
        try {
            return jar.resolveSibling(ARCHIVE_PREFIX + Files.size(jar) + "-"
                    + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
        } catch (IOException e) {
            return jar.resolveSibling(ARCHIVE_PREFIX + "unreadable.jsa");
        }
    }

    private Path lock() {
        return jar.resolveSibling(ARCHIVE_PREFIX + "lock");
    }

    private Path clientArchive() {
        return jar.resolveSibling(CLIENT_ARCHIVE);
    }

    /**
     * Whether an archive recorded from this very jar is in place, and not older than the client's archive: one recorded
     * on an earlier client archive has lost its base (the JVM would refuse it), one recorded without is twice the size.
     */
    boolean usable() {
        try {
            Path client = clientArchive();
            return Files.isRegularFile(archive())
                    && (!Files.isRegularFile(client)
                            || Files.getLastModifiedTime(archive()).compareTo(Files.getLastModifiedTime(client)) >= 0);
        } catch (IOException e) {
            return false;
        }
    }

    /** The daemon JVM's CDS flags: this archive when usable, else the JDK's default one. */
    public List<String> jvmFlags() {
        if (!usable()) {
            return List.of("-Xshare:auto");
        }
        // -Xlog:cds=off: a jar changed under a running install makes the JVM say so on stdout, which is
        // the daemon's log; it then runs without the archive, which is all that matters
        return List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive(), "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /**
     * Starts recording the archive in a detached process, unless it is usable or another client is
     * recording it. Never fails the command that asked: without the archive the daemon runs as well.
     * A recording that fails says why in {@code log} (the daemon's log), one line. It ends with the
     * daemon {@code daemonPid} (none: -1), so {@code jpm kill} leaves none of its processes behind.
     */
    public void recordInBackground(File log, long daemonPid) {
        if (usable() || !takeLock()) {
            return;
        }
        try {
            // setsid --fork: the recorder is not this client's child, whose JVM would wait 300 ms at its
            // exit for the thread that waits for it (see jpm-keeper.pl)
            ProcessBuilder recorder = new ProcessBuilder(
                            "setsid",
                            "--fork",
                            DaemonJvm.javaBinary(),
                            "-XX:TieredStopAtLevel=1",
                            "-XX:+UseSerialGC",
                            "-cp",
                            jar.toString(),
                            Main.class.getName(),
                            RECORD_VERB)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                    .redirectErrorStream(true);
            // the training daemon would write its pid over the real daemon's in the user's pid file (the
            // daemon's EnvironmentSettings), then die by SIGKILL and leave it there
            recorder.environment().keySet().removeAll(List.of(JpmEnv.PID_FILE_PATH.variable, "PM2_PID_FILE_PATH"));
            if (daemonPid > 0) { // the recording ends with that daemon (jpm kill)
                recorder.command().add(Long.toString(daemonPid));
            }
            recorder.start();
        } catch (IOException e) {
            releaseLock();
        }
    }

    private boolean takeLock() {
        try {
            Files.createFile(lock());
            return true;
        } catch (FileAlreadyExistsException e) {
            try {
                if (System.currentTimeMillis()
                                - Files.getLastModifiedTime(lock()).toMillis()
                        > LOCK_STALE_MS) {
                    Files.deleteIfExists(lock()); // its recorder died; the next client records
                }
            } catch (IOException ignored) {
                // gone meanwhile: the next client tries again
            }
            return false;
        } catch (IOException e) {
            return false; // a read-only install: the daemon runs without an archive
        }
    }

    private void releaseLock() {
        try {
            Files.deleteIfExists(lock());
        } catch (IOException ignored) {
            // stale after LOCK_STALE_MS
        }
    }

    /**
     * {@code jpm __daemon-cds [<daemon pid>]}: records the archive (blocking, a few seconds). Whatever
     * happens, the training daemon is gone and the scratch folder removed when this returns. With the
     * pid of the daemon whose start asked for it, the recording stops when that daemon ends: {@code
     * jpm kill} leaves none of its processes behind (the next daemon start records again). It stops
     * as well on SIGTERM, its training daemon and dump with it.
     */
    public static int record(List<String> args) {
        DaemonArchive self = forClasspath(DaemonJvm.ownJar());
        if (self == null) {
            System.err.println("jpm: the daemon archive is recorded for a jar only");
            return ProcessEnd.Code.FAILURE.status;
        }
        Path scratch = null;
        Thread cleanUp = null;
        try {
            Path target = self.archive();
            scratch = Files.createTempDirectory("jpm-cds-");
            JpmHome training = new JpmHome(scratch.resolve("home"));
            Path made = scratch;
            cleanUp = new Thread(() -> self.stop(made), "jpm-cds-stop");
            Runtime.getRuntime().addShutdownHook(cleanUp);
            if (!args.isEmpty() && !followDaemon(args.get(0))) {
                System.err.println(endedLine(args.get(0))); // it ended before this recorder could follow it
                return 0;
            }
            Path classList = scratch.resolve("classes.lst");
            Path partial = scratch.resolve("jpm-daemon.jsa");
            boolean dynamic = Files.isRegularFile(self.clientArchive());
            self.train(training, classList, dynamic ? partial : null);
            if (!dynamic) {
                self.dump(classList, scratch, partial);
            }
            self.install(partial, target);
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("jpm: recording the daemon archive failed: " + e.getMessage());
            return ProcessEnd.Code.FAILURE.status;
        } finally {
            if (cleanUp != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanUp);
                } catch (IllegalStateException e) {
                    // shutting down: the hook does it
                }
            }
            deleteTree(scratch);
            self.releaseLock();
        }
    }

    /**
     * Ends this recorder when the daemon {@code pid} ends (the shutdown hook then stops the rest).
     *
     * @return false when that daemon is gone already: nothing to record for
     */
    private static boolean followDaemon(String pid) {
        Optional<ProcessHandle> daemon = ProcessHandle.of(Long.parseLong(pid));
        if (daemon.isEmpty()) {
            return false;
        }
        daemon.get().onExit().thenRun(() -> {
            System.err.println(endedLine(pid));
            ProcessEnd.exit(ProcessEnd.Code.FAILURE);
        });
        return true;
    }

    private static String endedLine(String pid) {
        return "jpm: the daemon (pid " + pid + ") ended: the archive is recorded at its next start";
    }

    /**
     * The recorder is ending before its time: its training daemon and dump go with it. Both are its
     * children (setsid without a fork execs in place), killed as such: a training daemon still
     * starting has no pid file yet, and on a busy machine its JVM takes seconds to write one.
     */
    private void stop(Path scratch) {
        List<ProcessHandle> children = ProcessHandle.current().children().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle child : children) {
            child.onExit()
                    .orTimeout(30, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
        }
        // after a copy into place under way, if any: one cut short by the exit left its 11 MB beside
        // the jar for good (a release check found the tarball over its budget)
        synchronized (this) {
            ending = true;
        }
        deleteTree(scratch);
        releaseLock();
    }

    /**
     * Runs a daemon that writes each class it loads to {@code classList} (the JVM writes it line by
     * line), asks it what a user's first commands ask, lets it idle until it loads nothing new (its
     * periodic pings and scans have run), then ends it. With {@code atExit}, it runs on the client's
     * archive and is stopped (SIGTERM): at its exit the JVM writes the classes that archive lacks into
     * {@code atExit}, a few of its shutdown's among them. Else it is SIGKILLed: an idle daemon never loads
     * the classes of its shutdown, so neither does the class list. It runs no app, so nothing is left behind.
     */
    private void train(JpmHome home, Path classList, Path atExit) throws IOException {
        List<String> flags = new ArrayList<>(DaemonJvm.daemonJvmFlags(false));
        flags.add("-Xshare:auto");
        flags.add("-XX:DumpLoadedClassList=" + classList);
        if (atExit != null) {
            // the skipped classes' warnings (not linked, JFR events) would go to the scratch daemon's log
            flags.addAll(List.of(
                    "-XX:SharedArchiveFile=" + clientArchive(),
                    "-XX:ArchiveClassesAtExit=" + atExit,
                    "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off"));
        }
        DaemonConnector connector = new DaemonConnector(home);
        try (BridgeClient client = connector.startDaemonWithoutKeeper(flags)) {
            client.request(Addresses.QUERY_PING, Json.object(), Session.REQUEST_TIMEOUT_MS);
            client.request(Addresses.QUERY_LIST, Json.object(), Session.REQUEST_TIMEOUT_MS);
            TrainingDaemon.awaitNoNewClasses(classList);
        } finally {
            // one that never answered was stopped by startDaemon already
            TrainingDaemon.end(home, atExit != null);
        }
    }

    /** {@code java -Xshare:dump} of the class list into {@code partial}. */
    private void dump(Path classList, Path scratch, Path partial) throws IOException {
        Process dump = new ProcessBuilder(
                        DaemonJvm.javaBinary(),
                        "-Xshare:dump",
                        "-XX:SharedClassListFile=" + classList,
                        "-XX:SharedArchiveFile=" + partial,
                        "-Xlog:cds=off",
                        "-Xlog:cds+dynamic=off",
                        "-cp",
                        jar.toString())
                .redirectOutput(scratch.resolve("dump.log").toFile())
                .redirectErrorStream(true)
                .start();
        try {
            if (!dump.waitFor(TRAINING_DEADLINE_S, TimeUnit.SECONDS)) {
                dump.destroyForcibly();
                throw new IOException("java -Xshare:dump did not finish within " + TRAINING_DEADLINE_S + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dump.destroyForcibly();
            throw new IOException("interrupted");
        }
        if (dump.exitValue() != 0 || !Files.isRegularFile(partial) || Files.size(partial) == 0) {
            List<String> said = Files.readAllLines(scratch.resolve("dump.log")).stream()
                    .filter(l -> !l.isBlank())
                    .toList();
            throw new IOException("java -Xshare:dump exited " + dump.exitValue()
                    + (said.isEmpty() ? "" : ": " + said.get(said.size() - 1)));
        }
    }

    /** The recorded archive renamed into place once whole, unless the jar changed meanwhile. */
    private void install(Path partial, Path target) throws IOException {
        if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
            throw new IOException("the training daemon wrote no archive at its exit");
        }
        if (!archive().equals(target)) {
            throw new IOException(
                    "the jar was rebuilt while the archive was recorded: the next daemon start records it again");
        }
        // same file system as the jar, then an atomic rename: a daemon never maps a half-written archive
        Path next = target.resolveSibling(
                target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        synchronized (this) {
            if (ending) {
                throw new IOException("ended with its daemon");
            }
            Files.copy(partial, next, StandardCopyOption.REPLACE_EXISTING);
            Files.move(next, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        removeArchivesOfOtherJars(target);
    }

    /** Archives of earlier builds of the jar (a daemon still mapping one keeps its pages). */
    private void removeArchivesOfOtherJars(Path kept) throws IOException {
        try (Stream<Path> siblings = Files.list(jar.toAbsolutePath().getParent())) {
            for (Path old : siblings.filter(p -> p.getFileName().toString().startsWith(ARCHIVE_PREFIX)
                            && p.getFileName().toString().endsWith(".jsa")
                            && !p.equals(kept))
                    .toList()) {
                Files.deleteIfExists(old);
            }
        }
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a scratch folder under the temp dir
        }
    }
}
