package io.jpm.testkit;

import io.jpm.process.AppChannels;
import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher;
import io.jpm.process.ProcessLauncher.Escaped;
import io.jpm.process.Signal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A launcher whose children are only numbers, each following a {@link Script}: exit at once or
 * after a while with a code, ignore some signals, print lines, say it is ready. Every spawn and
 * every signal is recorded. Its callbacks come from its own threads, as a real launcher's do (never
 * an event loop). By default a child runs until a signal ends it, as a plain app does.
 *
 * <p>Readiness (wait_ready) goes through {@link #channels()}: the app channels God opens for a run
 * are the launcher's, and a child whose script {@link Script#saysReady says ready} tells its own.
 */
public final class FakeLauncher implements ProcessLauncher {
    /** The variable that ties a run's environment to the fake channel God opened for it. */
    private static final String CHANNEL_VARIABLE = "JPM_FAKE_CHANNEL";

    /** One spawn as God asked for it. */
    public record Spawn(int pid, List<String> command, Path cwd, Map<String, String> env) {
        /** The app's name as God gives it to its run (pm2's {@code name} variable). */
        public String app() {
            return env.get("name");
        }
    }

    /** A signal God sent, to a live child or not. */
    public record Sent(int pid, Signal signal) {}

    /** A line a child prints, at once after its spawn. */
    private record Line(boolean err, String text) {}

    /** What a fake child does; each method returns a changed copy, so one script can serve many spawns. */
    public static final class Script {
        private final Integer exitCode;
        private final long exitAfterMs;
        private final Set<Signal> ignored;
        private final Map<Signal, Integer> exitsOn;
        private final List<Line> lines;
        private final long readyAfterMs;
        private final List<Escaped> escaped;

        private Script(
                Integer exitCode,
                long exitAfterMs,
                Set<Signal> ignored,
                Map<Signal, Integer> exitsOn,
                List<Line> lines,
                long readyAfterMs,
                List<Escaped> escaped) {
            this.exitCode = exitCode;
            this.exitAfterMs = exitAfterMs;
            this.ignored = Set.copyOf(ignored);
            this.exitsOn = Map.copyOf(exitsOn);
            this.lines = List.copyOf(lines);
            this.readyAfterMs = readyAfterMs;
            this.escaped = List.copyOf(escaped);
        }

        /** Runs until a signal ends it (killed by that signal). */
        public static Script runs() {
            return new Script(null, 0, Set.of(), Map.of(), List.of(), -1, List.of());
        }

        /** Exits at once with {@code code}. */
        public static Script exits(int code) {
            return runs().exitsAfter(0, code);
        }

        /** Exits with {@code code} {@code ms} after its spawn (unless a signal ends it first). */
        public Script exitsAfter(long ms, int code) {
            return new Script(code, ms, ignored, exitsOn, lines, readyAfterMs, escaped);
        }

        /** Ignores these signals (SIGKILL cannot be ignored). */
        public Script ignores(Signal... signals) {
            Set<Signal> more = new HashSet<>(ignored);
            more.addAll(List.of(signals));
            more.remove(Signal.SIGKILL);
            return new Script(exitCode, exitAfterMs, more, exitsOn, lines, readyAfterMs, escaped);
        }

        /** Handles {@code signal} by exiting with {@code code} (an app that finishes cleanly on SIGTERM). */
        public Script exitsOn(Signal signal, int code) {
            Map<Signal, Integer> more = new HashMap<>(exitsOn);
            more.put(signal, code);
            return new Script(exitCode, exitAfterMs, ignored, more, lines, readyAfterMs, escaped);
        }

        /** Prints a line on stdout after its spawn. */
        public Script prints(String line) {
            return printing(false, line);
        }

        /** Prints a line on stderr after its spawn. */
        public Script printsErr(String line) {
            return printing(true, line);
        }

        private Script printing(boolean err, String line) {
            List<Line> more = new ArrayList<>(lines);
            more.add(new Line(err, line));
            return new Script(exitCode, exitAfterMs, ignored, exitsOn, more, readyAfterMs, escaped);
        }

        /**
         * Leaves these processes holding its output when it exits, however it exits (a helper it
         * started in a session of its own, as the real launchers report it).
         */
        public Script leaves(Escaped... processes) {
            return new Script(exitCode, exitAfterMs, ignored, exitsOn, lines, readyAfterMs, List.of(processes));
        }

        /** Says it is ready (READY=1 on the channel God opened for it) {@code ms} after its spawn. */
        public Script saysReady(long ms) {
            return new Script(exitCode, exitAfterMs, ignored, exitsOn, lines, ms, escaped);
        }
    }

    /** A rule: the spawns it matches follow its scripts in turn, the last one again and again. */
    private record Rule(Predicate<Spawn> matches, List<Script> scripts, AtomicInteger used) {
        Script next() {
            return scripts.get(Math.min(used.getAndIncrement(), scripts.size() - 1));
        }
    }

    /** A live child. */
    private final class Child {
        final Spawn spawn;
        final Script script;
        final Listener listener;
        final AtomicBoolean ended = new AtomicBoolean();

        Child(Spawn spawn, Script script, Listener listener) {
            this.spawn = spawn;
            this.script = script;
            this.listener = listener;
        }

        /** Ends once: output closed, then the exit reported, on the calling thread. */
        void end(ExitStatus status) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            alive.remove(spawn.pid());
            listener.onOutputEnd(false);
            listener.onOutputEnd(true);
            listener.onExit(spawn.pid(), status.leaving(script.escaped));
        }
    }

    private final AtomicInteger nextPid = new AtomicInteger(40_000);
    /** While set, each spawn waits for it first, on the thread God spawns from (a slow OS, a mass start). */
    private volatile CountDownLatch spawnsHeld;
    /** Spawns waiting on {@link #spawnsHeld} now. */
    private final AtomicInteger waitingSpawns = new AtomicInteger();

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<Integer, Child> alive = new ConcurrentHashMap<>();
    private final List<Spawn> spawns = new CopyOnWriteArrayList<>();
    private final List<Integer> adopted = new CopyOnWriteArrayList<>();
    private final Map<Integer, ExitStatus> earlyExits = new ConcurrentHashMap<>();
    private final List<Sent> signals = new CopyOnWriteArrayList<>();
    private final Map<String, AppChannels.Listener> channels = new ConcurrentHashMap<>();
    private final AtomicInteger nextChannel = new AtomicInteger();
    /** One thread for every fake launcher of the test JVM: nothing to shut down after each test. */
    private static final ScheduledExecutorService THREADS = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "fake-launcher");
        t.setDaemon(true);
        return t;
    });

    /** The spawns of app {@code name} (God's {@code name} variable) follow these scripts in turn. */
    public FakeLauncher forApp(String name, Script... inTurn) {
        return when(spawn -> name.equals(spawn.app()), inTurn);
    }

    /** The spawns {@code matches} accepts follow these scripts in turn; a later rule wins over an earlier one. */
    public FakeLauncher when(Predicate<Spawn> matches, Script... inTurn) {
        rules.add(0, new Rule(matches, List.of(inTurn), new AtomicInteger()));
        return this;
    }

    /** How many spawns wait on {@link #holdSpawnsUntil}'s latch now, each blocking a thread of God's. */
    public int waitingSpawns() {
        return waitingSpawns.get();
    }

    /** Each spawn from now on waits until {@code released} counts down, blocking the thread it runs on. */
    public FakeLauncher holdSpawnsUntil(CountDownLatch released) {
        spawnsHeld = released;
        return this;
    }

    @Override
    public Handle spawn(LaunchSpec spec, Listener listener) {
        CountDownLatch held = spawnsHeld;
        if (held != null) {
            waitingSpawns.incrementAndGet();
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waitingSpawns.decrementAndGet();
            }
        }
        int pid = nextPid.incrementAndGet();
        Spawn spawn = new Spawn(pid, spec.command(), spec.cwd(), spec.env());
        Script script = rules.stream()
                .filter(r -> r.matches().test(spawn))
                .findFirst()
                .map(Rule::next)
                .orElse(Script.runs());
        Child child = new Child(spawn, script, listener);
        spawns.add(spawn);
        alive.put(pid, child);
        // what the child does happens on the launcher's thread, after spawn has returned its pid
        THREADS.execute(() -> script.lines.forEach(line -> {
            if (!child.ended.get()) {
                listener.onOutput(line.err(), ByteBuffer.wrap((line.text() + "\n").getBytes(StandardCharsets.UTF_8)));
            }
        }));
        if (script.readyAfterMs >= 0) {
            THREADS.schedule(() -> sayReady(child), script.readyAfterMs, TimeUnit.MILLISECONDS);
        }
        if (script.exitCode != null) {
            THREADS.schedule(
                    () -> child.end(ExitStatus.code(script.exitCode)), script.exitAfterMs, TimeUnit.MILLISECONDS);
        }
        return () -> pid;
    }

    /**
     * Adopts a run "a previous daemon spawned": a child that runs until signalled or told ended
     * by {@link #adoptedExited}, as the keeper would. Not listed among the spawns.
     */
    @Override
    public Handle adopt(Adoption adoption, boolean treekill, Listener listener) {
        int pid = adoption.pid();
        Child child = new Child(new Spawn(pid, List.of(), null, Map.of()), Script.runs(), listener);
        alive.put(pid, child);
        adopted.add(pid);
        ExitStatus early = earlyExits.remove(pid);
        if (early != null) {
            THREADS.execute(() -> child.end(early));
        }
        return () -> pid;
    }

    /** As the real launcher: an exit told before its run is adopted is kept for the adoption. */
    @Override
    public void adoptedExited(int pid, ExitStatus status) {
        Child child = alive.get(pid);
        if (child != null) {
            THREADS.execute(() -> child.end(status));
        } else {
            earlyExits.put(pid, status);
        }
    }

    /** The pids adopted with {@link #adopt}, in order. */
    public List<Integer> adopted() {
        return List.copyOf(adopted);
    }

    @Override
    public boolean signalGroup(int pgid, Signal signal) {
        signals.add(new Sent(pgid, signal));
        Child child = alive.get(pgid);
        if (child == null) {
            return false;
        }
        if (!child.script.ignored.contains(signal)) {
            Integer code = child.script.exitsOn.get(signal);
            THREADS.execute(() -> child.end(code != null ? ExitStatus.code(code) : ExitStatus.killedBy(signal)));
        }
        return true;
    }

    /** The child exits with {@code code} now; its exit is reported on the calling thread. */
    public void exit(int pid, int code) {
        child(pid).end(ExitStatus.code(code));
    }

    /** The child is killed by {@code signal} from outside God (kill -9 by hand); reported on the calling thread. */
    public void kill(int pid, Signal signal) {
        child(pid).end(ExitStatus.killedBy(signal));
    }

    /** The child says it is ready now (READY=1), whatever its script; false when God opened it no channel. */
    public boolean ready(int pid) {
        return sayReady(child(pid));
    }

    private boolean sayReady(Child child) {
        AppChannels.Listener channel = channels.get(child.spawn.env().getOrDefault(CHANNEL_VARIABLE, ""));
        if (channel == null || child.ended.get()) {
            return false;
        }
        channel.ready("READY=1");
        return true;
    }

    private Child child(int pid) {
        Child child = alive.get(pid);
        if (child == null) {
            throw new AssertionError("no live child " + pid + "; alive: " + alive.keySet());
        }
        return child;
    }

    /** Every spawn so far, in order. */
    public List<Spawn> spawns() {
        return List.copyOf(spawns);
    }

    /** The spawns of app {@code name}, in order. */
    public List<Spawn> spawnsOf(String name) {
        return spawns.stream().filter(s -> name.equals(s.app())).toList();
    }

    /** Every signal sent so far, in order. */
    public List<Sent> signals() {
        return List.copyOf(signals);
    }

    /** The signals sent to {@code pid}, in order. */
    public List<Signal> signalsTo(int pid) {
        return signals.stream().filter(s -> s.pid() == pid).map(Sent::signal).toList();
    }

    /** The pids of the children that run now. */
    public Set<Integer> alive() {
        return Set.copyOf(alive.keySet());
    }

    /**
     * App channels for God to open: each run's is known to this launcher by a variable in its
     * environment, so a child scripted to say ready reaches it. One per JPM_HOME, like the daemon's.
     */
    public Function<Path, AppChannels> channels() {
        return home -> (node, pipe, listener) -> {
            String id = Integer.toString(nextChannel.incrementAndGet());
            channels.put(id, listener);
            return new AppChannels.Channel() {
                @Override
                public Map<String, String> env() {
                    return Map.of(CHANNEL_VARIABLE, id);
                }

                @Override
                public List<String> nodeArgs() {
                    return List.of();
                }

                @Override
                public boolean send(String message) {
                    return false;
                }

                @Override
                public void close() {
                    channels.remove(id);
                }
            };
        };
    }
}
