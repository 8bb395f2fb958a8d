package io.jpm.launcher;

import com.sun.jna.Native;
import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher;
import io.jpm.process.Signal;
import io.jpm.protocol.BlockingCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spawns instances with glibc's posix_spawn ({@link PosixSpawn}: their own process group, default
 * signals, an empty mask, nothing inherited but their pipes and the descriptors they are passed)
 * and serves their pipes and exits on one epoll thread per core ({@link PipePump}), so the daemon's
 * thread count does not grow with its apps.
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
    /** The shell line that sets LISTEN_PID to the pid the app will have, then becomes the app. */
    static final String LISTEN_PID_WRAPPER = "LISTEN_PID=$$; export LISTEN_PID; exec \"$@\"";

    private final Map<Integer, SpawnedChild> children = new ConcurrentHashMap<>();
    /**
     * Exits the keeper told of runs not adopted yet (the adoption comes a moment later), the latest
     * {@link #EARLY_EXITS} only: most are of processes no one adopts (a leftover stopped, a grandchild).
     */
    private final Map<Integer, ExitStatus> earlyExits = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, ExitStatus> eldest) {
            return size() > EARLY_EXITS;
        }
    });

    private static final int EARLY_EXITS = 1024;

    private volatile DescriptorKeeper keeper = DescriptorKeeper.NONE;
    /** Whom a child's due sweep is told to ({@link #tellsWhenSweepDue}); nobody until then. */
    private volatile Runnable sweepDue = () -> {};

    /** @throws IllegalStateException when this system lacks what it needs ({@link PosixSpawn#unavailable()}) */
    public PosixSpawnLauncher() {
        String why = PosixSpawn.unavailable();
        if (why != null) {
            throw new IllegalStateException("posix_spawn launcher unavailable: " + why);
        }
    }

    @Override
    public Handle spawn(LaunchSpec spec, Listener listener) throws IOException {
        BlockingCall.check("a spawn of " + spec.command().get(0));
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
            DescriptorKeeper keeping = keeper;
            long ticks = keeping == DescriptorKeeper.NONE ? 0 : startTicks(pid);
            int[] ends = pipes.parentEnds();
            OutputJournal[] journals = OutputJournal.forNewRun(keeping, pid, ticks);
            SpawnedChild child = new SpawnedChild(
                    pid,
                    spec.treekill(),
                    listener,
                    pump(),
                    ends,
                    pidfd,
                    () -> children.remove(pid),
                    () -> sweepDue.run(),
                    keeping,
                    ticks,
                    journals[0],
                    journals[1]);
            children.put(pid, child);
            try {
                // held before the pump reads: an end it closes at once is released after its hold
                hold(keeping, pid, ticks, ends);
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

    private static void hold(DescriptorKeeper keeping, int pid, long ticks, int[] ends) {
        if (keeping != DescriptorKeeper.NONE) {
            keeping.hold(DescriptorKeeper.key("in", pid, ticks), ends[0]);
            keeping.hold(DescriptorKeeper.key("out", pid, ticks), ends[1]);
            keeping.hold(DescriptorKeeper.key("err", pid, ticks), ends[2]);
        }
    }

    /** A process's start time in clock ticks since boot (/proc/pid/stat's 22nd field), 0 when unreadable. */
    static long startTicks(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void keepDescriptorsWith(DescriptorKeeper descriptorKeeper) {
        keeper = descriptorKeeper;
    }

    @Override
    public Handle adopt(Adoption adoption, boolean treekill, Listener listener) throws IOException {
        int pid = adoption.pid();
        int[] ends = {adoption.stdin(), adoption.stdout(), adoption.stderr()};
        for (int fd : ends) {
            // the pump reads and writes without blocking
            int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
            if (flags < 0 || LibC.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK) < 0) {
                throw new IOException(
                        "cannot adopt pid " + pid + ": descriptor " + fd + ": " + LibC.strerror(Native.getLastError()));
            }
        }
        OutputJournal[] journals = OutputJournal.forAdoption(adoption, keeper);
        SpawnedChild child = new SpawnedChild(
                pid,
                treekill,
                listener,
                pump(),
                ends,
                notTheKeepersChild(pid),
                () -> children.remove(pid),
                () -> sweepDue.run(),
                keeper,
                adoption.startTicks(),
                journals[0],
                journals[1]);
        children.put(pid, child);
        child.start();
        ExitStatus early = earlyExits.remove(pid);
        if (early != null) {
            child.adoptedExited(early);
        }
        return () -> pid;
    }

    /**
     * -1 for an adopted run whose parent is this daemon's keeper (its exit comes from the keeper,
     * with its status); else a pidfd that tells the exit, whose status nobody can know: the run fell
     * to init when a keeper that was its parent died (a daemon whose keeper died becomes the keeper,
     * but of its own children only; docs/ARCHITECTURE.md, "The keeper").
     */
    private static int notTheKeepersChild(int pid) {
        BlockingCall.check("a read of /proc/" + pid + "/stat");
        long keeper = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        long parent = ProcessHandle.of(pid)
                .flatMap(ProcessHandle::parent)
                .map(ProcessHandle::pid)
                .orElse(keeper);
        return parent == keeper ? -1 : LibC.pidfdOpen(pid);
    }

    @Override
    public void adoptedExited(int pid, ExitStatus status) {
        SpawnedChild child = children.get(pid);
        if (child != null) {
            child.adoptedExited(status);
        } else {
            earlyExits.put(pid, status);
        }
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

    /** Children are dealt to the daemon's pumps in turn (PumpPool). */
    private static PipePump pump() {
        return PumpPool.next();
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

    @Override
    public boolean tellsWhenSweepDue(Runnable due) {
        sweepDue = due;
        return true;
    }

    @Override
    public boolean sweepDue() {
        for (SpawnedChild child : children.values()) {
            if (child.sweepDue()) {
                return true;
            }
        }
        return false;
    }
}
