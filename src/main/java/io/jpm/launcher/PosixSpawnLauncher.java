package io.jpm.launcher;

import com.sun.jna.Native;
import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher;
import io.jpm.process.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spawns instances with glibc's posix_spawn ({@link PosixSpawn}: their own process group, default
 * signals, an empty mask, nothing inherited but their pipes and the descriptors they are passed)
 * and serves their pipes and exits on {@link #PUMP_THREADS} epoll threads ({@link PipePump}), so
 * the daemon's thread count does not grow with its apps.
 *
 * <p>Passing descriptors follows systemd's socket activation: the first at fd 3, {@code
 * LISTEN_FDS}, {@code LISTEN_FDNAMES}, and {@code LISTEN_PID}, which must be the app's own pid
 * (sd_listen_fds, gunicorn, go-systemd ignore the sockets otherwise). posix_spawn tells the pid only
 * once the app runs, too late for its environment, and the JVM cannot run code between fork and
 * exec as systemd-socket-activate does. So such an app starts under {@code /bin/sh}, which sets
 * LISTEN_PID to its own pid ({@code $$}) and execs the app, which keeps that pid: one exec more, only
 * for apps that are passed a descriptor.
 */
public final class PosixSpawnLauncher implements ProcessLauncher {
    /** Pump threads, whatever the number of cores: four, as NuProcessLauncher's (see its reasons). */
    static final int PUMP_THREADS = 4;
    /** The shell line that sets LISTEN_PID to the pid the app will have, then becomes the app. */
    static final String LISTEN_PID_WRAPPER = "LISTEN_PID=$$; export LISTEN_PID; exec \"$@\"";

    private final PipePump[] pumps = new PipePump[PUMP_THREADS];
    private final AtomicInteger dealt = new AtomicInteger();
    private final Map<Integer, SpawnedChild> children = new ConcurrentHashMap<>();

    /** @throws IllegalStateException when this system lacks what it needs ({@link PosixSpawn#unavailable()}) */
    public PosixSpawnLauncher() {
        String why = PosixSpawn.unavailable();
        if (why != null) {
            throw new IllegalStateException("posix_spawn launcher unavailable: " + why);
        }
    }

    @Override
    public Handle spawn(LaunchSpec spec, Listener listener) throws IOException {
        if (!Files.isDirectory(spec.cwd())) {
            throw new IOException(
                    "cannot run " + spec.command().get(0) + ": its folder " + spec.cwd() + " is not a folder");
        }
        String path = ExecPath.resolve(spec.command().get(0), spec.env().get("PATH"), spec.cwd());
        List<String> argv = spec.command();
        if (!spec.passed().isEmpty()) {
            // the word as given, not the path found: the shell finds the same file in the same PATH, and
            // the app sees its argv[0] unchanged
            argv = new ArrayList<>(List.of(PosixSpawn.SHELL, "-c", LISTEN_PID_WRAPPER, "jpm-listen"));
            argv.addAll(spec.command());
            path = PosixSpawn.SHELL;
        }
        int[] sources = spec.descriptors();
        Pipes pipes = Pipes.open(3 + sources.length);
        int[] passed = new int[sources.length];
        List<Integer> lifted = new ArrayList<>();
        int pid;
        try {
            for (int i = 0; i < passed.length; i++) {
                int fd = sources[i];
                passed[i] = PosixSpawn.lift(fd, 3 + passed.length);
                if (passed[i] != fd) {
                    lifted.add(passed[i]);
                }
            }
            pid = spawn(path, argv, environment(spec), spec, pipes.childEnds(), passed);
        } catch (IOException | RuntimeException e) {
            pipes.closeParentEnds();
            throw e;
        } finally {
            pipes.closeChildEnds();
            lifted.forEach(LibC::close);
        }
        watch(pid, spec, listener, pipes);
        return () -> pid;
    }

    /** The spec's variables, and systemd's for the descriptors passed (LISTEN_PID is the shell's to set). */
    private static List<String> environment(LaunchSpec spec) {
        List<String> env = new ArrayList<>(spec.env().size() + 2);
        boolean passing = !spec.passed().isEmpty();
        spec.env().forEach((name, value) -> {
            if (!passing || !name.startsWith("LISTEN_")) {
                env.add(name + "=" + value);
            }
        });
        if (passing) {
            env.add("LISTEN_FDS=" + spec.passed().size());
            env.add("LISTEN_FDNAMES="
                    + String.join(
                            ":",
                            spec.passed().stream().map(LaunchSpec.Passed::name).toList()));
        }
        for (int i = 0; i < spec.inherited().size(); i++) {
            LaunchSpec.Inherited inherited = spec.inherited().get(i);
            String prefix = inherited.variable() + "=";
            env.removeIf(entry -> entry.startsWith(prefix));
            env.add(prefix + (3 + spec.passed().size() + i));
        }
        return env;
    }

    /** Hands the child to a pump; one that cannot be watched (no pidfd, epoll refused) is killed and reaped. */
    private void watch(int pid, LaunchSpec spec, Listener listener, Pipes pipes) throws IOException {
        int pidfd = LibC.pidfdOpen(pid);
        String failure = pidfd < 0 ? "pidfd_open: " + LibC.strerror(Native.getLastError()) : null;
        if (failure == null) {
            SpawnedChild child = new SpawnedChild(
                    pid, spec.treekill(), listener, pump(), pipes.parentEnds(), pidfd, () -> children.remove(pid));
            children.put(pid, child);
            try {
                child.start();
                return;
            } catch (RuntimeException e) {
                children.remove(pid);
                LibC.close(pidfd);
                failure = e.getMessage();
            }
        }
        LibC.kill(-pid, Signal.SIGKILL.number());
        LibC.waitpid(pid, new int[1], 0);
        pipes.closeParentEnds();
        throw new IOException("cannot watch pid " + pid + " (killed it): " + failure);
    }

    /** posix_spawn, then execvp's second try for a file the kernel cannot run (no #! line): the shell. */
    private static int spawn(
            String path, List<String> argv, List<String> env, LaunchSpec spec, int[] stdio, int[] passed)
            throws IOException {
        try {
            return PosixSpawn.spawn(path, argv, env, spec.cwd(), stdio, passed, spec.ownSession());
        } catch (PosixSpawn.SpawnError e) {
            if (e.errno != LibC.ENOEXEC) {
                throw new IOException("cannot run " + spec.command().get(0) + ": " + e.getMessage(), e);
            }
            List<String> viaShell = new ArrayList<>(argv);
            viaShell.set(0, path);
            viaShell.add(0, PosixSpawn.SHELL);
            return PosixSpawn.spawn(PosixSpawn.SHELL, viaShell, env, spec.cwd(), stdio, passed, spec.ownSession());
        }
    }

    /** Children are dealt to the pumps in turn; a pump starts with the first child dealt to it. */
    private synchronized PipePump pump() {
        int i = Math.floorMod(dealt.getAndIncrement(), PUMP_THREADS);
        if (pumps[i] == null) {
            pumps[i] = new PipePump("jpm-pump-" + i);
        }
        return pumps[i];
    }

    /** The open pipe to a child's stdin, as pm2's fork mode leaves one; {@link StdinBacklog} bounds what waits. */
    @Override
    public StdinWrite writeStdin(int pid, byte[] bytes) {
        SpawnedChild child = children.get(pid);
        return child == null ? StdinWrite.NO_PROCESS : child.backlog.write(child.stdin, bytes);
    }

    @Override
    public boolean signalGroup(int pgid, Signal signal) {
        return GroupSignals.send(pgid, signal);
    }

    /** posix_spawn returns once the child has called setsid or setpgid: its group exists from the first signal on. */
    @Override
    public boolean signal(int pid, Signal signal, boolean tree) {
        if (tree) {
            return signalGroup(pid, signal);
        }
        if (pid <= 1) {
            return false;
        }
        return LibC.kill(pid, signal.number()) == 0 || LibC.errno() != LibC.ESRCH;
    }

    /** Children whose main process exited while something else holds their pipes: see {@link SpawnedChild#sweep}. */
    @Override
    public void sweepZombies() {
        children.values().forEach(SpawnedChild::sweep);
    }
}
