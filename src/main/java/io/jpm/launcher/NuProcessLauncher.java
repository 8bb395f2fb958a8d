package io.jpm.launcher;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.NuProcessBuilder;
import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcStat;
import io.jpm.process.ProcessLauncher;
import io.jpm.process.Signal;
import io.jpm.protocol.BlockingCall;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.LockSupport;

/**
 * Spawns instances with NuProcess, where {@link PosixSpawnLauncher} cannot (see {@link Launchers}): their pipes are read by a few shared epoll threads, so the
 * daemon's thread count does not grow with the number of apps. Each child starts under
 * {@code setsid}, which makes its pid its process-group id, so a signal to {@code -pid} reaches
 * every process it forked, even double-forked ones (a cluster-mode instance too: there is no
 * command that only calls setpgid, so {@link io.jpm.process.LaunchSpec#ownSession} is not kept on
 * this path); {@code env --default-signal} (coreutils)
 * gives it default signal handling whatever the daemon ignores, and it starts with an empty mask.
 *
 * <p>Two NuProcess habits are mended here. It reaps a child only after its pipes close, so a main
 * process that exits while a grandchild still holds its stdout would look alive forever:
 * {@link #sweepZombies()} finds such exited main processes and kills their group, and what had left
 * the group and still holds the pipes ({@link PipeHolders}). And it reports a
 * death by signal as a bare number, like an exit code: the status is read from
 * {@code /proc/<pid>/stat} while the child is still a zombie, which tells the two apart.
 *
 * <p>A little over ~300 lines: one adapter of NuProcess to {@code ProcessLauncher}, with its two
 * mends, which only make sense next to the handler whose habits they mend.
 */
public final class NuProcessLauncher implements ProcessLauncher {
    /** NuProcess's property for its number of pump threads (it reads it once, at its first spawn). */
    static final String PUMP_THREADS_PROPERTY = "com.zaxxer.nuprocess.threads";
    /**
     * Pump threads, whatever the number of cores (NuProcess's default is half the cores: one here).
     * Children are dealt to them in turn. A pump thread waits whenever one of its streams has spent
     * its output budget (god.StreamShipper), and every other child it reads waits with it; with
     * four, four flooding apps stop holding each other up: 4 x 1M lines from block writers went from
     * 73 M to 97 M lines/s (medians of 15 runs each), 4 x 200k from 23 M to 30 M. Still a fixed
     * number, not one per app; NuProcess starts them only when children exist and ends them 2.5 s
     * after the last one exits. A -D on the daemon's command line wins.
     */
    static final int PUMP_THREADS = 4;

    static {
        if (System.getProperty(PUMP_THREADS_PROPERTY) == null) {
            System.setProperty(PUMP_THREADS_PROPERTY, Integer.toString(PUMP_THREADS));
        }
    }

    /** How long a child whose pipes closed may take to become a zombie, its status read then. */
    private static final long ZOMBIE_WAIT_NS = 1_000_000_000L;

    private static final long SPIN_NS = 2_000_000L;

    private final Map<Integer, Child> children = new ConcurrentHashMap<>();
    /** Where every child's {@link OneAtATimeStdin} checks again whether NuProcess spent its buffer. */
    private static final ScheduledExecutorService STDIN_RECHECK = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "jpm-stdin-recheck");
        thread.setDaemon(true);
        return thread;
    });

    /** Why this launcher is in use (posix_spawn unavailable, or asked for), said when a descriptor cannot be passed. */
    private final String why;

    public NuProcessLauncher() {
        this("asked for");
    }

    NuProcessLauncher(String why) {
        this.why = why;
    }

    @Override
    public Handle spawn(LaunchSpec spec, Listener listener) throws IOException {
        BlockingCall.check("a spawn of " + spec.command().get(0));
        if (spec.descriptors().length > 0) {
            // the JDK's launcher closes every descriptor above 2 in the child
            throw new IOException("cannot pass a descriptor to "
                    + spec.command().get(0) + ": jpm spawns through NuProcess here (" + why + "), which closes them");
        }
        List<String> command = new ArrayList<>(spec.command().size() + 3);
        command.add("setsid");
        // Ignored signals survive exec: the JVM ignores SIGPIPE, and a daemon started from a
        // background job ignores SIGINT, which would make an app deaf to its default kill signal.
        command.add("env");
        command.add("--default-signal");
        command.addAll(spec.command());
        NuProcessBuilder builder = new NuProcessBuilder(command, spec.env());
        builder.setCwd(spec.cwd());
        Child child = new Child(listener, spec.treekill());
        builder.setProcessListener(child);
        NuProcess process = LibC.withEmptySignalMask(builder::start);
        if (process == null || child.startFailed) {
            throw new IOException("could not start " + spec.command().get(0));
        }
        int pid = process.getPID();
        child.pid = pid;
        children.put(pid, child);
        return () -> pid;
    }

    /**
     * NuProcess keeps each child's stdin pipe open (as pm2's fork mode gives one) and writes what is
     * queued from its pump threads, in order, never blocking the caller; {@link StdinBacklog} bounds
     * what an app that does not read may be left with.
     */
    @Override
    public StdinWrite writeStdin(int pid, byte[] bytes) {
        Child child = children.get(pid);
        NuProcess process = child == null ? null : child.process;
        if (process == null || !process.isRunning()) {
            return StdinWrite.NO_PROCESS;
        }
        return child.stdin.write(child.stdinPipe, bytes);
    }

    @Override
    public boolean signalGroup(int pgid, Signal signal) {
        if (pgid <= 1) {
            return false;
        }
        int rc = LibC.kill(-pgid, signal.number());
        return rc == 0 || LibC.errno() != LibC.ESRCH;
    }

    /**
     * A child spawned a moment ago may not have called setsid yet: it has no group of its own, and
     * a signal to the group would be lost; the process itself gets it then (its pid stays the same
     * through setsid's and env's execs, so it reaches the app, which has not forked yet).
     */
    @Override
    public boolean signal(int pid, Signal signal, boolean tree) {
        if (tree) {
            return signalGroup(pid, signal) || signal(pid, signal, false);
        }
        if (pid <= 1) {
            return false;
        }
        int rc = LibC.kill(pid, signal.number());
        return rc == 0 || LibC.errno() != LibC.ESRCH;
    }

    /**
     * Finds children whose main process has exited while something else still holds its pipes, and
     * ends the rest of their group, and what holds the pipes outside it (it had left it: setsid), so
     * the exit is seen; should the pipes still be held at the next sweep (a holder not ours to
     * kill), the exit is reported then. Blocking (reads /proc): call it off the event loop, about
     * once a second.
     */
    @Override
    public void sweepZombies() {
        for (Child child : children.values()) {
            ProcStat stat = ProcStat.read(child.pid);
            if (stat != null && stat.isZombie()) {
                child.remember(stat);
                if (!child.treekill) {
                    // treekill false: what it forked lives on (and holds the pipes, so NuProcess cannot
                    // reap yet); the main process's exit is reported now
                    child.reportExit(Integer.MIN_VALUE);
                    continue;
                }
                boolean firstSweep = !child.swept;
                child.swept = true;
                if (firstSweep) {
                    signalGroup(child.pid, Signal.SIGKILL);
                }
                synchronized (child) {
                    // under its lock: the exit the kills bring must find them noted when it is reported
                    child.escaped = PipeHolders.killEscaped(child.pipes, child.pid, child.escaped);
                }
                if (!firstSweep) {
                    child.reportExit(Integer.MIN_VALUE);
                }
            }
        }
    }

    /** One child's NuProcess callbacks, run on a NuProcess thread. */
    private final class Child extends NuAbstractProcessHandler {
        private final Listener listener;
        private final boolean treekill;
        private boolean exitReported;
        private volatile int pid;
        private volatile boolean startFailed;
        private volatile ExitStatus knownStatus;
        private int openStreams = 2;
        private volatile NuProcess process;
        /** The open pipe to its stdin, as pm2's fork mode leaves one: `jpm send` and `attach` write there. */
        final StdinBacklog stdin = new StdinBacklog();
        /** How those writes reach NuProcess (set at start, before writeStdin can find the child). */
        volatile OneAtATimeStdin stdinPipe;
        /** Its stdout and stderr pipes as /proc names them (see {@link PipeHolders}). */
        volatile Set<String> pipes = Set.of();
        /** A sweep has found its main process exited, its pipes still held (the sweep's thread only). */
        boolean swept;
        /** What the sweep found holding its pipes outside its group, reported with its exit (guarded by this). */
        List<Escaped> escaped = List.of();
        /** Whether stdout's / stderr's pipe was grown (see {@link PipeSizer}); tried once per stream. */
        private boolean outTried;

        private boolean errTried;
        private boolean outGrown;
        private boolean errGrown;

        Child(Listener listener, boolean treekill) {
            this.listener = listener;
            this.treekill = treekill;
        }

        @Override
        public void onStart(NuProcess process) {
            stdinPipe = new OneAtATimeStdin(process::writeStdin, STDIN_RECHECK);
            this.process = process;
            pid = process.getPID();
            pipes = PipeHolders.pipesOf(process);
        }

        @Override
        public void onStdout(ByteBuffer buffer, boolean closed) {
            output(false, buffer, closed);
        }

        @Override
        public void onStderr(ByteBuffer buffer, boolean closed) {
            output(true, buffer, closed);
        }

        private void output(boolean err, ByteBuffer buffer, boolean closed) {
            if (buffer.remaining() >= PipeSizer.OUTRUN_READ && !closed) {
                growPipe(err);
            }
            if (buffer.hasRemaining()) {
                listener.onOutput(err, buffer);
            }
            if (closed) {
                releasePipe(err);
                listener.onOutputEnd(err);
                if (--openStreams == 0) {
                    awaitZombie();
                }
            }
        }

        /** The app writes faster than we read: let it run ahead (once per stream). */
        private void growPipe(boolean err) {
            if (err ? errTried : outTried) {
                return;
            }
            boolean grown = process != null && PipeSizer.grow(process, err);
            if (err) {
                errTried = true;
                errGrown = grown;
            } else {
                outTried = true;
                outGrown = grown;
            }
        }

        /** The stream closed: what NuProcess left in a grown pipe is read, then its slot given back. */
        private void releasePipe(boolean err) {
            if (err ? errGrown : outGrown) {
                PipeSizer.drain(process, err, bytes -> listener.onOutput(err, bytes));
                PipeSizer.release();
            }
            if (err) {
                errGrown = false;
            } else {
                outGrown = false;
            }
        }

        /**
         * Both pipes are closed, so NuProcess is about to reap the child: read its status first. The
         * kernel closes a dying process's files just before it becomes a zombie, hence the wait: a
         * spin for the usual microseconds, then 1 ms naps up to a second, for a dying process a loaded
         * machine does not schedule at once (a simulation's SIGKILLed app lost its signal after 50 ms).
         */
        private void awaitZombie() {
            long start = System.nanoTime();
            while (knownStatus == null && System.nanoTime() - start < ZOMBIE_WAIT_NS) {
                ProcStat stat = ProcStat.read(pid);
                if (stat == null) {
                    return;
                }
                if (stat.isZombie()) {
                    remember(stat);
                    return;
                }
                if (System.nanoTime() - start < SPIN_NS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(1_000_000L);
                }
            }
        }

        void remember(ProcStat stat) {
            if (knownStatus == null) {
                knownStatus = stat.exitStatus();
            }
        }

        @Override
        public void onExit(int code) {
            if (pid == 0) {
                // NuProcess reports a spawn that failed before any pid with Integer.MIN_VALUE.
                startFailed = true;
                return;
            }
            if (treekill) {
                // Make sure nothing of the instance outlives it: no orphans.
                signalGroup(pid, Signal.SIGKILL);
            }
            reportExit(code);
        }

        /** Tells the listener of the main process's exit, once (the sweep or NuProcess may come first). */
        synchronized void reportExit(int code) {
            if (exitReported) {
                return;
            }
            exitReported = true;
            children.remove(pid);
            OneAtATimeStdin pipe = stdinPipe;
            if (pipe != null) {
                pipe.close(); // no more rechecks for bytes nobody will read
            }
            ExitStatus status = knownStatus;
            if (status == null) {
                status = code == Integer.MIN_VALUE ? ExitStatus.code(127) : ExitStatus.code(code);
            }
            listener.onExit(pid, status.leaving(escaped));
        }
    }
}
