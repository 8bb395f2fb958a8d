package io.jpm.god;

import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher;
import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.process.Signal;
import io.jpm.protocol.StreamJournal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every child process God has spawned or adopted and not yet buried: its owner, where its exit goes,
 * and how it ended. Thread-safe: spawns register from the spawn pool's threads, exits arrive on
 * launcher threads, God buries them on its event loop.
 */
final class SpawnedChildren {
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

    /** One child: its pid, the private port it was given, and (once it exited) how it ended. */
    static final class Held {
        final int pid;
        final int port;
        private final Instance owner;
        private final ExitSink sink;
        /** Guarded by the SpawnedChildren's lock. */
        private ExitStatus status;

        private Held(int pid, int port, Instance owner, ExitSink sink) {
            this.pid = pid;
            this.port = port;
            this.owner = owner;
            this.sink = sink;
        }
    }

    private final ProcessLauncher launcher;
    private final AtomicLong runs = new AtomicLong();
    private final Map<Integer, Held> held = new HashMap<>();
    /** God's sweep, once God has made it. */
    private ZombieSweep sweep;

    /** The launcher tells when a sweep is due: God's sweep looks only then, not while children merely run. */
    private final boolean sweepsTold;

    SpawnedChildren(ProcessLauncher launcher) {
        this.launcher = launcher;
        this.sweepsTold = launcher.tellsWhenSweepDue(this::armSweep);
    }

    /** A sweep is due (any thread): God's sweep looks until it has nothing to do. */
    private void armSweep() {
        ZombieSweep armed;
        synchronized (this) {
            armed = sweep;
        }
        if (armed != null) {
            armed.arm();
        }
    }

    /** Numbers every run, so the LogAggregator keeps two runs of one pm_id apart. */
    long nextRun() {
        return runs.incrementAndGet();
    }

    /** God's sweep for exited main processes, armed from now on as children come. */
    synchronized void sweep(ZombieSweep godSweep) {
        sweep = godSweep;
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
     * Spawns a run for {@code owner} (blocking: call it from a worker). Its exit reaches {@code sink}.
     *
     * @throws IOException when the OS refuses
     */
    Held spawn(LaunchSpec spec, Instance owner, int port, Output output, ExitSink sink) throws IOException {
        ChildListener listener = new ChildListener(output);
        return register(launcher.spawn(spec, listener), listener, owner, port, sink);
    }

    /** Adopts a run a previous daemon spawned (blocking: a worker), as {@link #spawn} registers a new one. */
    Held adopt(
            ProcessLauncher.Adoption adoption, boolean treekill, Instance owner, int port, Output output, ExitSink sink)
            throws IOException {
        ChildListener listener = new ChildListener(output);
        return register(launcher.adopt(adoption, treekill, listener), listener, owner, port, sink);
    }

    /** A child spawned or adopted is held from now on; an exit that came before is handed on now. */
    private Held register(
            ProcessLauncher.Handle handle, ChildListener listener, Instance owner, int port, ExitSink sink) {
        Held child;
        ExitStatus exitedEarly;
        ZombieSweep armed;
        synchronized (this) {
            child = new Held(handle.pid(), port, owner, sink);
            held.put(child.pid, child);
            exitedEarly = listener.registered(child);
            armed = sweep; // none before God made it (unit tests)
        }
        if (armed != null && !sweepsTold) {
            armed.arm(); // looks while a child is held
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
        synchronized (this) {
            child.status = status;
        }
        child.sink.exited(child.owner, child.pid, status);
    }

    /** Signals a child (its whole tree with {@code tree}). */
    boolean signal(int pid, Signal signal, boolean tree) {
        return launcher.signal(pid, signal, tree);
    }

    /** Queues bytes for a child's stdin. */
    ProcessLauncher.StdinWrite writeStdin(int pid, byte[] bytes) {
        return launcher.writeStdin(pid, bytes);
    }

    /** God has handled the child's exit: it leaves the SpawnedChildren. */
    synchronized void bury(int pid) {
        Held child = held.get(pid);
        if (child != null && child.status != null) {
            held.remove(pid);
        }
    }

    /** The children held now (tests). */
    synchronized int size() {
        return held.size();
    }
}
