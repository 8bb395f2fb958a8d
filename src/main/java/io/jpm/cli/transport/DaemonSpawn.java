package io.jpm.cli.transport;

import io.jpm.cli.CliException;
import io.jpm.keeper.KeeperScript;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.PrivateFiles;
import io.jpm.protocol.StartDeadline;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One start of a daemon JVM in a home: spawned detached in a session of its own (or as this
 * process's child in the foreground), its output appended to daemon.log, then waited for until it
 * answers, with the daemon's own reason in the error when it exits first. The caller holds the
 * home's start lock.
 */
final class DaemonSpawn {
    /** glibc's variable for how many malloc arenas a process may have. */
    static final String MALLOC_ARENAS = "MALLOC_ARENA_MAX";
    /** Beyond the daemon's own deadline, which starts once its JVM runs: the client sees the daemon's reason when it gives up. */
    private static final long JVM_START_SLACK_MS = 10_000;
    /**
     * How often a starting daemon is looked for: its daemon.json comes at a moment a command waits for
     * (the first command after a boot or a kill), and each look is a stat or two, so 2 ms: a look every 25 ms
     * added half of that to the first command on average, one every 5 ms 2.5 ms; ~100 looks in a start cost
     * the client well under a ms of CPU (bench/foundation.sh, first command).
     */
    private static final long POLL_MS = 2;
    /**
     * How often a starting daemon's keeper (or JVM) is looked at for an exit: a read of keeper.pid and of
     * the keeper's /proc cmdline, which every 5 ms took ~19 ms of the client's CPU from the daemon's start
     * on two cores (async-profiler, 6 first commands); an exit at start is reported up to this much later.
     */
    private static final long EXIT_LOOK_MS = 50;
    /** A daemon that is stopping waits for its apps at most 60 s (DaemonMain), then exits and frees its lock. */
    private static final long STOPPING_DEADLINE_MS = 70_000;

    private final JpmHome home;
    /** daemon.log since this client last spawned a daemon. */
    private StartLog startLog;
    /** The keeper this client last started, through setsid -f; null when it started none that way. */
    private ForkedKeeper forked;
    /** Set once this client asked a resting keeper for a daemon (its command then says what it found). */
    private boolean askedKeeper;

    DaemonSpawn(JpmHome home) {
        this.home = home;
    }

    /** Spawns the daemon JVM with these flags, once a daemon that is stopping has let go of the home. */
    Process start(List<String> jvmFlags, boolean foreground) throws IOException {
        return start(jvmFlags, foreground, true);
    }

    /**
     * Spawns a daemon no keeper starts again when it dies: the archive's training daemon, which is
     * killed when done (a keeper would start it again, for good, in a folder deleted meanwhile). Its
     * bridge listens on a free port: on the user's (9620, or JPM_BRIDGE_PORT) it took that port when the
     * user's daemon was stopped within its ~10 s, and the user's next daemon listened elsewhere.
     */
    Process startWithoutKeeper(List<String> jvmFlags) throws IOException {
        return start(jvmFlags, false, false);
    }

    private Process start(List<String> jvmFlags, boolean foreground, boolean keeper) throws IOException {
        makeHome(home);
        awaitStoppingDaemon();
        Files.deleteIfExists(home.daemonJson());
        List<String> daemon = daemonCommand(jvmFlags, foreground);
        List<String> command = new ArrayList<>();
        Optional<List<String>> kept = foreground || !keeper ? Optional.empty() : KeeperScript.wrap(home, daemon);
        if (foreground) {
            command.addAll(daemon);
        } else {
            // a session of its own, led by the keeper, whose child the daemon is: the apps outlive
            // the daemon's JVM (docs/ARCHITECTURE.md, "The keeper"). Forked (-f) when it is the
            // keeper, which this client then follows by keeper.pid (ForkedKeeper: why)
            command.add("setsid");
            if (kept.isPresent()) {
                command.add("-f");
                Files.deleteIfExists(home.keeperPid()); // a dead keeper's: the caller found none alive
            }
            command.addAll(kept.orElse(daemon));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(
                        foreground ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(daemonLog(home)))
                .redirectErrorStream(true);
        builder.environment().put(JpmEnv.HOME.variable, home.root().toString());
        // the daemon writes and reads the file names this client reads
        builder.environment().put(JpmEnv.FILE_NAMES.variable, home.names().word());
        // one malloc arena, unless the user chose: glibc gives each thread that mallocs an arena of its
        // own (the JIT's compiler threads, Vert.x's workers), and a burst's freed memory stays pinned
        // in them by a few live chunks that malloc_trim cannot move; with one (and glibc's per-thread
        // caches for small blocks) the daemon's RSS a minute after 1,000 apps were deleted was 84 MiB
        // against 92-93 (two arenas: 88-89), by hand. Apps get their own environment, not this one.
        builder.environment().putIfAbsent(MALLOC_ARENAS, "1");
        // a keeper's, when this client runs under one (in an app's shell): never this daemon's
        builder.environment().remove(JpmEnv.KEEPER_FD.variable);
        builder.environment().remove(JpmEnv.KEEPER_PID.variable);
        if (!keeper && !foreground) {
            builder.environment().put(JpmEnv.BRIDGE_PORT.variable, "0");
        }
        startLog = new StartLog(
                home.daemonLog(), Files.isRegularFile(home.daemonLog()) ? Files.size(home.daemonLog()) : 0);
        Process started = builder.start();
        forked = kept.isPresent() ? new ForkedKeeper(started, this::liveKeeper, startLog) : null;
        return started;
    }

    /** The daemon JVM's command: this client's java and jar, with these flags. */
    static List<String> daemonCommand(List<String> jvmFlags, boolean foreground) {
        List<String> daemon = new ArrayList<>();
        daemon.add(DaemonJvm.javaBinary());
        daemon.addAll(jvmFlags);
        if (foreground) {
            daemon.add("-D" + DaemonJvm.FOREGROUND_PROPERTY + "=true");
        }
        daemon.add("-cp");
        daemon.add(DaemonJvm.ownJar());
        daemon.add("io.jpm.daemon.DaemonMain");
        return daemon;
    }

    /**
     * Waits while a daemon that is stopping (SIGTERM, a crash of its JVM) still holds the home's lock:
     * it removed daemon.json first, so no client sees it any more, but a new daemon could not start
     * there yet and would exit at once (pm2's e2e pm2-dev.sh kills the daemon with pkill, then starts
     * again at once). The caller holds the start lock, so no other client spawns meanwhile.
     */
    private void awaitStoppingDaemon() throws IOException {
        awaitLockHolder(() -> null);
    }

    /**
     * While a daemon holds the home's lock: the client to it once it answers (a daemon that is
     * starting: one a keeper started before it was killed too, which adopts the apps), or null once
     * the lock is free (a daemon that was stopping has gone).
     */
    BridgeClient awaitLockHolder(Supplier<BridgeClient> connect) throws IOException {
        long deadline = System.currentTimeMillis() + STOPPING_DEADLINE_MS;
        boolean told = false;
        try (FileChannel channel = PrivateFiles.openLock(home.daemonLock())) {
            for (FileLock free = channel.tryLock(); free == null; free = channel.tryLock()) {
                BridgeClient client = connect.get();
                if (client != null) {
                    return client;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new CliException(
                            JpmError.UNAVAILABLE,
                            "a daemon still holds " + home.daemonLock() + " after " + STOPPING_DEADLINE_MS / 1000
                                    + " s without answering: see " + home.daemonLog());
                }
                if (!told) {
                    System.err.println(
                            "[jpm] waiting for the daemon that holds " + home.root() + " (stopping or starting)");
                    told = true;
                }
                pause();
            }
        }
        return null;
    }

    /** JPM_HOME made when missing and refused unless it is the user's (docs/SECURITY.md), before anything is read or written there. */
    static void makeHome(JpmHome home) throws IOException {
        try {
            PrivateFiles.makeHome(home);
        } catch (JpmException e) {
            throw new CliException(e.error(), e.getMessage());
        }
    }

    /**
     * daemon.log, which the daemon's output is appended to: created 0600 and opened first without
     * following a symbolic link (a link planted there fails here, and its target is never written),
     * then handed to the JVM's redirect, which can only open it by name. The home is the user's and
     * no one else may write it, so nothing can swap the file in between.
     */
    static File daemonLog(JpmHome home) throws IOException {
        try (FileChannel log = PrivateFiles.openAppend(home.daemonLog())) {
            PrivateFiles.checkHomeFile(home.daemonLog());
        } catch (JpmException e) {
            throw new CliException(e.error(), e.getMessage());
        } catch (IOException e) {
            // a link there fails with ELOOP, which the JDK reports as a bare IOException
            throw new CliException(
                    JpmError.FORBIDDEN,
                    home.daemonLog() + " cannot be opened without following a link (" + e.getMessage()
                            + "): jpm does not write through one; remove it if it is a link");
        }
        return home.daemonLog().toFile();
    }

    /** Waits until the daemon's door takes a connection; stops it when it does not within the deadline. */
    BridgeClient awaitAnswer(Process daemon, Supplier<BridgeClient> connect) throws IOException {
        long started = System.currentTimeMillis();
        // a clustered daemon's own deadline runs from its main: this client waits beyond it, to say its reason
        long deadline = started
                + (DaemonJvm.clustered(home)
                        ? StartDeadline.CLUSTERED_MS + JVM_START_SLACK_MS
                        : StartDeadline.ALONE_MS);
        warmUpWhileItStarts();
        long nextExitLook = 0;
        while (System.currentTimeMillis() < deadline) {
            // daemon.json is written once every verticle is up and the bus has answered a ping
            // (DaemonMain): a connection is an answer, and the command's own request the first one
            // through the door, not a ping of this client's before it (a round trip of the first command)
            if (Files.isRegularFile(home.daemonJson())) {
                BridgeClient client = connect.get();
                if (client != null) {
                    return client;
                }
            }
            if (System.currentTimeMillis() >= nextExitLook) {
                nextExitLook = System.currentTimeMillis() + EXIT_LOOK_MS;
                if (exited(daemon)) {
                    // another daemon took the home first (its keeper's, started again while this client
                    // looked: seen after an update on a loaded machine): that one is the home's daemon
                    BridgeClient other = awaitLockHolder(connect);
                    if (other != null) {
                        return other;
                    }
                    throw exitedAtStart(daemon);
                }
            }
            pause();
        }
        long waited = (System.currentTimeMillis() - started) / 1000;
        // not left half-started behind the failed command: nothing else would ever stop it. SIGTERM
        // first, which stops whatever it started; SIGKILL if it does not end
        if (forked != null) {
            forked.stop();
            throw new CliException(
                    JpmError.UNAVAILABLE,
                    "the daemon did not answer within " + waited + " s (stopped it); see " + home.daemonLog());
        }
        daemon.destroy();
        try {
            if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.destroyForcibly();
        }
        throw new CliException(
                JpmError.UNAVAILABLE,
                "the daemon did not answer within " + waited + " s (stopped it); see " + home.daemonLog());
    }

    /** Whether the starting daemon (its keeper, or its JVM without one) has exited. */
    private boolean exited(Process daemon) {
        return forked != null ? !forked.starting() : !daemon.isAlive();
    }

    /** Why the daemon that exited at start did, in its own words from daemon.log. */
    private CliException exitedAtStart(Process daemon) {
        Integer code = forked != null ? forked.exitCode() : Integer.valueOf(daemon.exitValue());
        return new CliException(
                JpmError.UNAVAILABLE,
                "the daemon exited at start" + (code != null ? " (code " + code + ")" : "")
                        + (startLog == null ? "" : startLog.whyItFailed())
                        + "; see " + home.daemonLog());
    }

    /**
     * This client's one-time set-up of what its first request uses, done while the daemon's JVM starts
     * (a few hundred ms in which the command only looks for daemon.json): the Unix channel's (the JDK's
     * security providers, the network classes) on a thread of its own, and the JSON parser's and
     * writer's here. Done after daemon.json appears, they
     * would be ~35 ms of the first command's wait (bench/foundation.sh, first command).
     */
    private static void warmUpWhileItStarts() {
        UnixLink.warmUp();
        try {
            Json.parse(Json.write(Map.of("type", "send", "headers", Map.of("n", 1), "body", List.of(true, "x"))));
        } catch (IOException e) {
            // the command's own frames meet the same problem and report it
        }
    }

    /**
     * When a keeper of this home lives (keeper.pid names a process that runs this home's keeper.pl),
     * it is starting its daemon again (at once, or after a pause of at most 8 s when the daemon keeps
     * dying), or it rests after giving up on a daemon that kept dying (JPM_HOME/keeper-gave-up): then
     * it is asked for a daemon again (SIGUSR1), which adopts the apps it kept. Waits until that daemon
     * answers. Null when no keeper lives, or it ended meanwhile: the caller starts a daemon.
     */
    BridgeClient awaitKeepersDaemon(Supplier<BridgeClient> connect) {
        ProcessHandle keeper = liveKeeper();
        if (keeper == null) {
            return null;
        }
        if (Files.isRegularFile(home.keeperGaveUp())) {
            askForDaemon(keeper);
            askedKeeper = true;
        }
        long waitMs = StartDeadline.of(DaemonJvm.clustered(home)) + KEEPER_PAUSE_MS;
        long deadline = System.currentTimeMillis() + waitMs;
        while (keeper.isAlive() && System.currentTimeMillis() < deadline) {
            if (Files.isRegularFile(home.daemonJson())) {
                BridgeClient client = connect.get();
                if (client != null) {
                    return client;
                }
            }
            pause();
        }
        if (keeper.isAlive()) {
            throw new CliException(
                    JpmError.UNAVAILABLE,
                    "the keeper (pid " + keeper.pid() + ") did not get its daemon to answer within " + waitMs / 1000
                            + " s; see " + home.daemonLog());
        }
        return null;
    }

    /** Whether this client asked a resting keeper for a daemon: its command says what that daemon found. */
    boolean askedKeeper() {
        return askedKeeper;
    }

    /**
     * SIGUSR1 to a resting keeper (jpm-keeper.pl): the client has no signal call of its own (it loads
     * no native library), and this runs once after a keeper gave up, so kill(1) does it.
     */
    private static void askForDaemon(ProcessHandle keeper) {
        try {
            Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(keeper.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // the keeper then waits on: the wait below reports it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The longest pause of a keeper between two starts of a daemon that keeps dying (jpm-keeper.pl). */
    private static final long KEEPER_PAUSE_MS = 8_000;

    /**
     * The keeper keeper.pid names while it runs this home's keeper script (a pid is reused), or null. A
     * command line that reads empty is looked at again for up to {@value #EXEC_WINDOW_MS} ms: a keeper that
     * runs the updated keeper script ({@code jpm update}) execs in its own process, and until the kernel
     * has set the new command line up it reads empty (a perl that execs in a loop: 12 % of reads here),
     * just when the update's command looks for the keeper; taken for dead, the command spawned a daemon of
     * its own, which took the home and restarted every app (stop 74's simulations, twice in one run).
     */
    ProcessHandle liveKeeper() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXEC_WINDOW_MS);
        try {
            while (true) {
                String text = Files.readString(home.keeperPid()).trim();
                ProcessHandle keeper = ProcessHandle.of(Long.parseLong(text)).orElse(null);
                if (keeper == null || !keeper.isAlive()) {
                    return null;
                }
                String command = Files.readString(Path.of("/proc", text, "cmdline"));
                if (!command.isEmpty() || System.nanoTime() > deadline) {
                    return command.contains(home.keeperScript().toString() + "\0") ? keeper : null;
                }
                pause();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** How long an empty command line of the keeper is taken for an exec under way (a zombie's stays empty). */
    private static final long EXEC_WINDOW_MS = 1_000;

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(JpmError.UNAVAILABLE, "interrupted while waiting for the daemon");
        }
    }
}
