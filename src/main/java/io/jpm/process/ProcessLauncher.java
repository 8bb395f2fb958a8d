package io.jpm.process;

import io.jpm.protocol.StreamJournal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The OS effects of supervision behind one interface: spawn an instance in its own process group,
 * signal that group, learn about output and exit. The real one is tested with real processes; the
 * state machine can be tested with a fake.
 */
public interface ProcessLauncher {

    /** Receives an instance's output and its end. Called from launcher threads, never an event loop. */
    interface Listener {
        /**
         * The stream's output journal, told once before its first bytes (null when it has none, as
         * without a keeper): the LogAggregator says there how far the stream is in its files.
         */
        default void journal(boolean err, StreamJournal journal) {}

        /** Bytes read from stdout ({@code err=false}) or stderr; the buffer is only valid during the call. */
        void onOutput(boolean err, ByteBuffer bytes);

        /**
         * Bytes read, from a launcher that can stop reading one stream: false when the stream takes
         * no more for now. The launcher then leaves that pipe unread (the app's writes block once
         * it is full) until {@code resume} runs, once, on any thread. By default the bytes are taken
         * as {@link #onOutput} takes them, which may wait.
         */
        default boolean offerOutput(boolean err, ByteBuffer bytes, Runnable resume) {
            onOutput(err, bytes);
            return true;
        }

        /** The stream has ended (the instance and every process that shared the pipe closed it). */
        void onOutputEnd(boolean err);

        /** The instance's main process {@code pid} has exited and been reaped. */
        void onExit(int pid, ExitStatus status);
    }

    /**
     * A process the instance started that had left its process group (setsid, setpgid: the group's
     * signals miss it) and still held the instance's stdout or stderr when the main process exited.
     *
     * @param command its command line, as /proc shows it
     * @param killed whether the launcher killed it (SIGKILL); false when it may not (another user's)
     */
    record Escaped(int pid, String command, boolean killed) {
        @Override
        public String toString() {
            return "pid " + pid + " (" + command + ")";
        }
    }

    /**
     * How a process ended: an exit code, or the number of the signal that killed it; and the
     * processes it left behind holding its output ({@link Escaped}), none as a rule.
     */
    record ExitStatus(Integer exitCode, Signal signal, List<Escaped> escaped) {
        public ExitStatus {
            escaped = escaped == null ? List.of() : List.copyOf(escaped);
        }

        public ExitStatus(Integer exitCode, Signal signal) {
            this(exitCode, signal, List.of());
        }

        public static ExitStatus code(int code) {
            return new ExitStatus(code, null);
        }

        public static ExitStatus killedBy(Signal signal) {
            return new ExitStatus(null, signal);
        }

        /** Decodes a status as waitpid(2) gives it (WIFEXITED/WEXITSTATUS, WTERMSIG). */
        public static ExitStatus ofWaitStatus(int waitStatus) {
            int termSignal = waitStatus & 0x7f;
            if (termSignal == 0) {
                return code((waitStatus >> 8) & 0xff);
            }
            Signal signal = Signal.ofNumber(termSignal);
            return signal != null ? killedBy(signal) : code(128 + termSignal);
        }

        /** The same exit, with the processes it left behind. */
        public ExitStatus leaving(List<Escaped> processes) {
            return new ExitStatus(exitCode, signal, processes);
        }

        @Override
        public String toString() {
            return signal != null ? "killed by " + signal : "exited with code " + exitCode;
        }
    }

    /** A spawned instance: its pid, which is also its process-group id. */
    interface Handle {
        int pid();
    }

    /**
     * Spawns the command in a process group of its own (in a session of its own unless
     * {@link LaunchSpec#ownSession} says otherwise), with default signal handling and
     * an empty signal mask, and the descriptors of {@link LaunchSpec#passed} at 3, 4, ... Blocks
     * briefly: call it from a worker thread.
     *
     * @throws java.io.IOException when the OS refuses to run it (a command or folder that does not
     *     exist, a file that may not be run), or when this launcher cannot pass descriptors
     */
    Handle spawn(LaunchSpec spec, Listener listener) throws IOException;

    /**
     * Finds exited main processes whose pipes something else still holds, so their exit is reported;
     * blocking, called about once a second off the event loop. Nothing to do for a launcher that
     * reaps on its own.
     */
    default void sweepZombies() {}

    /**
     * Whether {@link #sweepZombies} has anything to do now: asked on the event loop about once a
     * second, so that an idle daemon does not hand a worker a sweep of nothing every second.
     */
    default boolean sweepDue() {
        return true;
    }

    /**
     * Whether this launcher calls {@code due} (any thread) each time {@link #sweepDue} may have become
     * true (a main process exited with its pipes still held): then nothing need look for a due sweep
     * while children merely run, and an idle daemon with apps is not woken each second for it. False
     * when it cannot tell: its sweep is looked for about once a second while any child is held.
     */
    default boolean tellsWhenSweepDue(Runnable due) {
        return false;
    }

    /** What became of bytes offered to a child's stdin ({@link #writeStdin}). */
    enum StdinWrite {
        /** Queued behind what was given before; written in order as the app reads its stdin. */
        QUEUED,
        /** No running child with that pid (it has exited, or this launcher never spawned it). */
        NO_PROCESS,
        /** The child has closed its end of the pipe: nothing will read what is written. */
        CLOSED,
        /** The child has left too much unread already: refused, nothing queued. */
        FULL
    }

    /**
     * Queues {@code bytes} for the stdin of the running child {@code pid} (an open pipe, as pm2's
     * fork mode gives its apps; pm2's send and attach) and returns at once: the launcher's own threads
     * write them as the app reads, in the order they were given. A launcher that keeps no pipe to its
     * children reaches none.
     */
    default StdinWrite writeStdin(int pid, byte[] bytes) {
        return StdinWrite.NO_PROCESS;
    }

    /** Sends {@code signal} to the whole process group {@code pgid}; false when none is left. */
    boolean signalGroup(int pgid, Signal signal);

    /**
     * Sends {@code signal} to the whole group ({@code tree}) or to the main process only (pm2's
     * {@code treekill: false}); false when nothing received it.
     */
    default boolean signal(int pid, Signal signal, boolean tree) {
        return signalGroup(pid, signal);
    }

    /**
     * Where a launcher keeps duplicates of its children's pipe ends, so that they outlive the
     * daemon's JVM (its keeper, docs/ARCHITECTURE.md "The keeper"); {@link #NONE} keeps nothing.
     */
    interface DescriptorKeeper {
        DescriptorKeeper NONE = new DescriptorKeeper() {
            @Override
            public void hold(String key, int fd) {}

            @Override
            public void release(String key) {}
        };

        /** Keep a duplicate of {@code fd} under {@code key}. */
        void hold(String key, int fd);

        /** Let go of what is kept under {@code key}. */
        void release(String key);

        /** The key of a run's stream ({@code in}, {@code out}, {@code err}): its pid and start time say which run. */
        static String key(String stream, int pid, long startTicks) {
            return stream + ":" + pid + ":" + startTicks;
        }

        /** The key of a run's stream's output journal ({@code out} or {@code err}). */
        static String journalKey(String stream, int pid, long startTicks) {
            return key("j" + stream, pid, startTicks);
        }
    }

    /**
     * A run the previous daemon spawned, handed over by the keeper: its pid and /proc start time, and
     * this daemon's descriptors of its stdin (write end), stdout and stderr (read ends), and of its
     * streams' output journals (-1 when the keeper held none).
     */
    record Adoption(int pid, long startTicks, int stdin, int stdout, int stderr, int outJournal, int errJournal) {}

    /** From now on, keeps every child's pipe ends with {@code keeper} while the child runs. */
    default void keepDescriptorsWith(DescriptorKeeper keeper) {}

    /**
     * Adopts a run a previous daemon spawned: its output read from the descriptors handed over,
     * its exit told by {@link #adoptedExited} (it is not this process's child).
     *
     * @throws IOException when this launcher cannot adopt
     */
    default Handle adopt(Adoption adoption, boolean treekill, Listener listener) throws IOException {
        throw new IOException("this launcher cannot adopt a running process");
    }

    /** The keeper reaped an adopted run: how it ended (one not adopted yet is kept for its adoption). */
    default void adoptedExited(int pid, ExitStatus status) {}
}
