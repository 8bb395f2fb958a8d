package io.jpm.god;

import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher;
import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.process.Signal;
import io.jpm.protocol.StreamJournal;
import io.jpm.verticle.Generation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Every child process God has spawned and not yet buried, outliving any one deployment of God: when
 * Satan finds God hung, the daemon deploys a fresh God, which takes the children over from here
 * ({@link Takeover}). Thread-safe: spawns register from worker threads, exits arrive on launcher
 * threads, and a takeover runs on the fresh God's thread while the hung one may still come back.
 *
 * <p>The hand-over is made safe by one lock and God's {@link Generation} fence, not by trusting the
 * hung God's objects: a spawn registers its child under the lock only while its God is current (a
 * child a superseded God spawns is killed at once), a signal goes out under the lock only for the
 * current God, and a takeover re-points every child's owner and exit sink to the fresh God's
 * instances under the same lock. Whatever the old thread does once it comes back only touches its
 * own objects, which nobody reads any more.
 */
final class SpawnedChildren {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    /** Where a child's exit goes: its God's event loop, to the instance that owns it now. */
    interface ExitSink {
        void exited(Instance owner, int pid, ExitStatus status);
    }

    /** A run's output, shipped from launcher threads (its exit goes through the SpawnedChildren instead). */
    interface Output {
        /** The stream's output journal, before its first bytes (see ProcessLauncher.Listener#journal). */
        default void journal(boolean err, StreamJournal journal) {}

        void onOutput(boolean err, ByteBuffer bytes);

        /** See ProcessLauncher.Listener#offerOutput. */
        default boolean offerOutput(boolean err, ByteBuffer bytes, Runnable resume) {
            onOutput(err, bytes);
            return true;
        }

        void onOutputEnd(boolean err);
    }

    /** What a God leaves its successor: its table and file links, its fence, its periodic sweep. */
    record GodState(Generation generation, ProcessTable table, FileApps fileApps, ZombieSweep sweep) {}

    /** One child: its pid, the private port it was given, and (once it exited) how it ended. */
    static final class Held {
        final int pid;
        final int port;
        final long startedAt;
        final long seq;
        /** Guarded by the SpawnedChildren's lock. */
        private Instance owner;

        private ExitSink sink;
        private ExitStatus status;

        private Held(int pid, int port, long seq, Instance owner, ExitSink sink) {
            this.pid = pid;
            this.port = port;
            this.seq = seq;
            this.startedAt = System.currentTimeMillis();
            this.owner = owner;
            this.sink = sink;
        }
    }

    /** The children a takeover found, by the fresh God's instance that owns them now. */
    record Handover(Map<Instance, List<Held>> byOwner, List<Held> orphans) {}

    private final ProcessLauncher launcher;
    private final AtomicLong runs = new AtomicLong();
    private final Map<Integer, Held> held = new HashMap<>();
    private GodState godState;
    private long spawns;

    /** The launcher tells when a sweep is due: God's sweep looks only then, not while children merely run. */
    private final boolean sweepsTold;

    SpawnedChildren(ProcessLauncher launcher) {
        this.launcher = launcher;
        this.sweepsTold = launcher.tellsWhenSweepDue(this::armSweep);
    }

    /** A sweep is due (any thread): the current God's sweep looks until it has nothing to do. */
    private void armSweep() {
        ZombieSweep sweep;
        synchronized (this) {
            sweep = godState == null ? null : godState.sweep();
        }
        if (sweep != null) {
            sweep.arm();
        }
    }

    /** Numbers every run, across God's deployments, so the LogAggregator keeps two runs of one pm_id apart. */
    long nextRun() {
        return runs.incrementAndGet();
    }

    /** The state of the last God deployed, null before the first: what a fresh God takes over. */
    synchronized GodState predecessor() {
        return godState;
    }

    /** A fresh God is the current one (once it has copied its predecessor's state). */
    synchronized void install(GodState fresh) {
        godState = fresh;
    }

    /** The launcher's sweep for exited main processes whose pipes are still held (blocking). */
    void sweepZombies() {
        launcher.sweepZombies();
    }

    /** Whether any child is held: spawned or adopted, its exit not yet handed on. */
    synchronized boolean any() {
        return !held.isEmpty();
    }

    /**
     * Whether God's sweep should go on looking: while a sweep is due, when the launcher tells when
     * one is; else while any child is held.
     */
    boolean sweepWanted() {
        return sweepsTold ? sweepDue() : any();
    }

    /** Whether a sweep has anything to do (cheap: asked on the event loop). */
    boolean sweepDue() {
        return launcher.sweepDue();
    }

    /**
     * Spawns a run for {@code owner} (blocking: call it from a worker). Its exit reaches {@code sink}
     * or, after a takeover, the fresh God's.
     *
     * @throws IOException when the OS refuses, or when {@code godGeneration} was superseded meanwhile (the
     *     child is killed then: the fresh God does not know of it and starts its own)
     */
    Held spawn(Generation godGeneration, LaunchSpec spec, Instance owner, int port, Output output, ExitSink sink)
            throws IOException {
        ChildListener listener = new ChildListener(output);
        ProcessLauncher.Handle handle = launcher.spawn(spec, listener);
        Held child;
        ExitStatus exitedEarly;
        ZombieSweep sweep;
        synchronized (this) {
            if (!godGeneration.current()) {
                killNow(handle.pid());
                LOG.warning(() -> "pid " + handle.pid() + " was spawned by God generation " + godGeneration.generation()
                        + " after a fresh God replaced it: killed");
                throw new IOException("pid " + handle.pid()
                        + " was spawned by a God replaced meanwhile: killed (the fresh God starts its own)");
            }
            child = new Held(handle.pid(), port, ++spawns, owner, sink);
            held.put(child.pid, child);
            exitedEarly = listener.registered(child);
            sweep = godState == null ? null : godState.sweep(); // none before God installs (unit tests)
        }
        if (sweep != null && !sweepsTold) {
            sweep.arm(); // looks while a child is held
        }
        if (exitedEarly != null) {
            exited(child, exitedEarly);
        }
        return child;
    }

    /** Takes over a run a previous daemon spawned (blocking: a worker), as {@link #spawn} registers a new one. */
    Held adopt(
            Generation godGeneration,
            ProcessLauncher.Adoption adoption,
            boolean treekill,
            Instance owner,
            int port,
            Output output,
            ExitSink sink)
            throws IOException {
        ChildListener listener = new ChildListener(output);
        ProcessLauncher.Handle handle = launcher.adopt(adoption, treekill, listener);
        Held child;
        ExitStatus exitedEarly;
        ZombieSweep sweep;
        synchronized (this) {
            child = new Held(handle.pid(), port, ++spawns, owner, sink);
            held.put(child.pid, child);
            exitedEarly = listener.registered(child);
            sweep = godState == null ? null : godState.sweep(); // none before God installs (unit tests)
        }
        if (sweep != null && !sweepsTold) {
            sweep.arm(); // looks while a child is held
        }
        if (exitedEarly != null) {
            exited(child, exitedEarly);
        }
        return child;
    }

    /** The keeper reaped {@code pid}, which fell to it: an adopted run's exit (others are ignored). */
    void adoptedExited(int pid, ExitStatus status) {
        launcher.adoptedExited(pid, status);
    }

    /**
     * As {@link #adoptedExited(int, ExitStatus)}, reaped at {@code at} (ms since the epoch, 0 when
     * unknown): the run's uptime ends then, not when this daemon hears of it ({@link #reapTime}).
     */
    void adoptedExited(int pid, ExitStatus status, long at) {
        if (at > 0) {
            synchronized (reapTimes) {
                reapTimes.put(pid, at);
            }
        }
        launcher.adoptedExited(pid, status);
    }

    /** When the keeper reaped {@code pid}, once; 0 when it did not say (or reaped no such pid). */
    long reapTime(int pid) {
        synchronized (reapTimes) {
            Long at = reapTimes.remove(pid);
            return at == null ? 0 : at;
        }
    }

    /** The keeper's reap times of exits not handled yet, the latest {@link #REAP_TIMES} only. */
    private final Map<Integer, Long> reapTimes = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Long> eldest) {
            return size() > REAP_TIMES;
        }
    };

    private static final int REAP_TIMES = 1024;

    /**
     * A spawn's listener, made before its child is registered: an exit that comes before spawn()
     * registered the child is kept and handed over at registration. Guarded by the SpawnedChildren's lock.
     */
    private final class ChildListener implements ProcessLauncher.Listener {
        private final Output output;
        private Held child;
        private ExitStatus earlyExit;

        ChildListener(Output output) {
            this.output = output;
        }

        /** The child is registered (under the SpawnedChildren's lock): its exit if it came already, else null. */
        ExitStatus registered(Held registered) {
            child = registered;
            return earlyExit;
        }

        @Override
        public void journal(boolean err, StreamJournal journal) {
            output.journal(err, journal);
        }

        @Override
        public void onOutput(boolean err, ByteBuffer bytes) {
            output.onOutput(err, bytes);
        }

        @Override
        public boolean offerOutput(boolean err, ByteBuffer bytes, Runnable resume) {
            return output.offerOutput(err, bytes, resume);
        }

        @Override
        public void onOutputEnd(boolean err) {
            output.onOutputEnd(err);
        }

        @Override
        public void onExit(int pid, ExitStatus status) {
            Held registered;
            synchronized (SpawnedChildren.this) {
                registered = child;
                if (registered == null) {
                    earlyExit = status; // before spawn() returned: registered with it
                    return;
                }
            }
            exited(registered, status);
        }
    }

    private void exited(Held child, ExitStatus status) {
        Instance owner;
        ExitSink sink;
        synchronized (this) {
            child.status = status;
            owner = child.owner;
            sink = child.sink;
        }
        sink.exited(owner, child.pid, status);
    }

    /** Signals a child for the current God only: a superseded one reaches nothing. */
    synchronized boolean signal(Generation godGeneration, int pid, Signal signal, boolean tree) {
        return godGeneration.current() && launcher.signal(pid, signal, tree);
    }

    /** Queues bytes for a child's stdin, for the current God only. */
    synchronized ProcessLauncher.StdinWrite writeStdin(Generation godGeneration, int pid, byte[] bytes) {
        return godGeneration.current() ? launcher.writeStdin(pid, bytes) : ProcessLauncher.StdinWrite.NO_PROCESS;
    }

    /** The current God has handled the child's exit: it leaves the SpawnedChildren. */
    synchronized void bury(Generation godGeneration, int pid) {
        if (godGeneration.current()) {
            Held child = held.get(pid);
            if (child != null && child.status != null) {
                held.remove(pid);
            }
        }
    }

    /**
     * The fresh God takes every child over: each whose owner it copied ({@code fresh}: old instance
     * to its copy) now belongs to the copy and reports its exit to {@code sink}; the others (their
     * instance was gone from the table the copy was made of) are orphans, left for the caller to kill.
     */
    synchronized Handover takeOver(Map<Instance, Instance> fresh, ExitSink sink) {
        Map<Instance, List<Held>> byOwner = new IdentityHashMap<>();
        List<Held> orphans = new ArrayList<>();
        for (Held child : held.values()) {
            Instance owner = fresh.get(child.owner);
            if (owner == null) {
                orphans.add(child);
                continue;
            }
            child.owner = owner;
            child.sink = sink;
            byOwner.computeIfAbsent(owner, o -> new ArrayList<>()).add(child);
        }
        orphans.forEach(child -> held.remove(child.pid));
        return new Handover(byOwner, orphans);
    }

    /** How a child ended, or null while it runs (read under the lock: exits arrive on launcher threads). */
    synchronized ExitStatus statusOf(Held child) {
        return child.status;
    }

    /** Kills a child's whole group (an orphan, or a second run of one instance). */
    void kill(Held child) {
        killNow(child.pid);
    }

    /** SIGKILL to the child's whole group (the launcher reaches one spawned too recently to have one). */
    private void killNow(int pid) {
        launcher.signal(pid, Signal.SIGKILL, true);
    }

    /** The children held now (tests). */
    synchronized int size() {
        return held.size();
    }
}
