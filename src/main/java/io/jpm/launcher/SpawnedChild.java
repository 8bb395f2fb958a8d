package io.jpm.launcher;

import io.jpm.process.ProcessLauncher.DescriptorKeeper;
import io.jpm.process.ProcessLauncher.Escaped;
import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.process.ProcessLauncher.Listener;
import io.jpm.process.Signal;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One child of {@link PosixSpawnLauncher} on its {@link PipePump}: its stdout and stderr read to
 * their end, its pidfd telling when it exits, its exit reported once.
 *
 * <p>The exit is reported once the main process has exited <em>and</em> both streams have ended,
 * so the last line an app writes is handed on before its exit, as with NuProcess. The child is
 * reaped only then: until it is, its pid stays a zombie's and cannot be reused, so the SIGKILL to
 * its group (treekill) can never reach a new process that happens to get the same number. When
 * something else still holds the pipes after the main process exited (a grandchild), the
 * launcher's sweep (about once a second) decides as NuProcess's launcher did: the group is killed
 * (treekill) or the exit reported while the grandchild lives on. What holds them outside the group
 * had left it ({@link PipeHolders}): with treekill it is killed too, and named with the exit.
 */
final class SpawnedChild {
    final int pid;
    private final boolean treekill;
    private final Listener listener;
    private final PipePump pump;
    private final Runnable forget;
    /** Tells the launcher's user that a sweep has work (God's sweep then looks until it has none). */
    private final Runnable sweepDueHook;

    private final Stream out;
    private final Stream err;
    final StdinPipe stdin;
    /** What the app has left unread of its stdin, bounded. */
    final StdinBacklog backlog = new StdinBacklog();

    /**
     * -1 for a child adopted from a previous daemon whose keeper is its parent: its exit comes from the
     * keeper ({@link #adoptedExited}). An adopted run that fell to init has one, and its status is unknown.
     */
    private final int pidfd;

    private final long pidToken = PipePump.token();
    /** Where its pipe ends are kept across a restart of the daemon; the run's key tail (pid:ticks). */
    private final DescriptorKeeper keeper;

    private final long startTicks;
    /** An adopted child's status, as the keeper reaped it. */
    private ExitStatus adoptedStatus;
    /** Guarded by this. */
    private int openStreams = 2;
    /** Streams not read for now, their output budget spent (guarded by this): the sweep waits for them. */
    private int pausedStreams;

    /** The pipes of stdout and stderr as /proc names them: how a process that holds them is found. */
    private final Set<String> pipes = new HashSet<>();

    private boolean exited;
    private boolean reported;
    /** A sweep has found the main process exited and the pipes still held (guarded by this). */
    private boolean swept;
    /** What the sweep found holding the pipes outside the group (and killed); reported with the exit. */
    private List<Escaped> escaped = List.of();

    /**
     * @param fds the parent's ends: stdin (write), stdout, stderr (read), and the child's pidfd
     * @param forget called once the exit is reported (the launcher drops the child from its table)
     * @param sweepDue called (on the pump) when {@link #sweepDue} may have become true: the main
     *     process exited, or a paused stream was resumed after it did
     * @param keeper holds the pipe ends while they are open (released at their end)
     * @param startTicks the child's /proc start time, which keys its descriptors with the keeper
     * @param outJournal stdout's output journal, null without a keeper (errJournal: stderr's)
     */
    SpawnedChild(
            int pid,
            boolean treekill,
            Listener listener,
            PipePump pump,
            int[] fds,
            int pidfd,
            Runnable forget,
            Runnable sweepDue,
            DescriptorKeeper keeper,
            long startTicks,
            OutputJournal outJournal,
            OutputJournal errJournal) {
        this.keeper = keeper;
        this.startTicks = startTicks;
        this.pid = pid;
        this.treekill = treekill;
        this.listener = listener;
        this.pump = pump;
        this.forget = forget;
        this.sweepDueHook = sweepDue;
        this.stdin = new StdinPipe(pump, fds[0]);
        this.out = new Stream(fds[1], false, outJournal);
        this.err = new Stream(fds[2], true, errJournal);
        this.pidfd = pidfd;
        for (int fd : new int[] {fds[1], fds[2]}) {
            String pipe = PipeHolders.pipeOf(fd);
            if (pipe != null) {
                pipes.add(pipe);
            }
        }
    }

    /** Starts reading (the launcher has the child in its table by now: a fast exit finds it there). */
    void start() {
        listener.journal(false, out.journal);
        listener.journal(true, err.journal);
        if (out.replaying() || err.replaying()) {
            // what a killed daemon read and did not write goes first, from the pump's thread (the
            // listener may wait there for room), and the pipes are read only after it
            pump.run(() -> {
                out.replay();
                err.replay();
                watchStreams();
            });
        } else {
            watchStreams();
        }
        if (pidfd < 0) {
            return; // adopted: the keeper tells its exit
        }
        pump.watch(pidfd, Epoll.EPOLLIN, pidToken, events -> {
            pump.unwatch(pidfd, pidToken);
            LibC.close(pidfd);
            synchronized (this) {
                exited = true;
            }
            finishIfDone();
            tellIfSweepDue();
        });
    }

    private void watchStreams() {
        pump.watch(out.fd, Epoll.EPOLLIN, out.token, out);
        pump.watch(err.fd, Epoll.EPOLLIN, err.token, err);
    }

    /**
     * One stream: read while epoll says there is something, ended at end of file. With a journal,
     * read through it ({@link OutputJournal}): no byte leaves the pipe without being in it.
     */
    private final class Stream implements PipePump.Watch {
        final int fd;
        final boolean isErr;
        final OutputJournal journal;
        final long token = PipePump.token();
        private final long[] rc = new long[1];
        private boolean tried;
        private boolean grown;
        /** Hands the stream back to the pump once its budget frees (any thread). */
        private final Runnable resume = () -> pump.run(this::resume);

        Stream(int fd, boolean isErr, OutputJournal journal) {
            this.fd = fd;
            this.isErr = isErr;
            this.journal = journal;
        }

        boolean replaying() {
            return journal != null && journal.hasUnwritten();
        }

        /** Hands on what the previous daemon's journal holds and its log files do not. */
        void replay() {
            if (journal != null) {
                for (byte[] chunk : journal.unwritten()) {
                    listener.onOutput(isErr, ByteBuffer.wrap(chunk));
                }
            }
        }

        @Override
        public void ready(int events) {
            ByteBuffer bytes = journal != null ? pump.read(fd, journal, rc) : pump.read(fd, rc);
            if (bytes != null) {
                if (bytes.remaining() >= PipeSizer.OUTRUN_READ && !tried) {
                    // the app writes faster than we read: let it run ahead (once per stream)
                    tried = true;
                    grown = PipeSizer.grow(fd);
                }
                if (!listener.offerOutput(isErr, bytes, resume)) {
                    pump.pause(fd);
                    synchronized (SpawnedChild.this) {
                        pausedStreams++;
                    }
                }
            } else if (rc[0] != -LibC.EAGAIN && rc[0] != -LibC.EINTR) {
                // end of file: every writer closed it, and the pipe is empty (a grown one too: epoll
                // reports it readable until a read returns 0, however much it held at the hang-up)
                pump.unwatch(fd, token);
                LibC.close(fd);
                keeper.release(DescriptorKeeper.key(isErr ? "err" : "out", pid, startTicks));
                if (journal != null) {
                    journal.ended();
                }
                if (grown) {
                    PipeSizer.release();
                }
                listener.onOutputEnd(isErr);
                synchronized (SpawnedChild.this) {
                    openStreams--;
                }
                finishIfDone();
            }
        }

        /** On the pump thread, after the {@link #ready} that paused it. */
        private void resume() {
            synchronized (SpawnedChild.this) {
                pausedStreams--;
            }
            pump.resume(fd, Epoll.EPOLLIN, token);
            tellIfSweepDue();
        }
    }

    /**
     * The keeper reaped this adopted child: reported once its streams have ended too. Ignored for a
     * child of this daemon's own (its pidfd tells its exit): the keeper's pid was a recycled one.
     */
    void adoptedExited(ExitStatus status) {
        if (pidfd >= 0) {
            return;
        }
        synchronized (this) {
            adoptedStatus = status;
            exited = true;
        }
        finishIfDone();
        tellIfSweepDue();
    }

    private void finishIfDone() {
        synchronized (this) {
            if (!exited || openStreams > 0 || reported) {
                return;
            }
        }
        finish();
    }

    /**
     * The sweep's part: the main process has exited but its pipes are still held. With treekill its
     * group is killed, and what holds the pipes outside the group (it had left it: setsid) too; the
     * pipes then close and the exit follows. Should they still be held at the next sweep (a holder
     * not ours to kill), the exit is reported then, so a stop never waits for an end of file that
     * may not come. Without treekill the exit is reported at once.
     */
    /** The main process has exited and something still holds its pipes: {@link #sweep} has work. */
    synchronized boolean sweepDue() {
        return exited && openStreams > 0 && pausedStreams == 0 && !reported;
    }

    private void tellIfSweepDue() {
        if (sweepDue()) {
            sweepDueHook.run();
        }
    }

    void sweep() {
        boolean firstSweep;
        synchronized (this) {
            if (!exited || openStreams == 0 || pausedStreams > 0 || reported) {
                return; // a paused stream is the daemon's to read, not a holder's
            }
            firstSweep = !swept;
            swept = true;
        }
        if (!treekill) {
            finish();
            return;
        }
        if (firstSweep) {
            LibC.kill(-pid, Signal.SIGKILL.number());
        }
        synchronized (this) {
            // under the lock: the end of file the kills bring must find them noted when it finishes
            escaped = PipeHolders.killEscaped(pipes, pid, escaped);
        }
        if (!firstSweep) {
            finish();
        }
    }

    /** Ends the group (treekill), reaps the zombie and reports its status, once. */
    private void finish() {
        List<Escaped> left;
        synchronized (this) {
            if (reported) {
                return;
            }
            reported = true;
            left = escaped;
        }
        if (treekill) {
            // no orphan outlives the instance; the zombie still holds the group's number
            LibC.kill(-pid, Signal.SIGKILL.number());
        }
        ExitStatus ended;
        if (pidfd < 0) {
            synchronized (this) {
                ended = adoptedStatus; // the keeper reaped it
            }
        } else {
            int[] status = new int[1];
            int rc;
            do {
                rc = LibC.waitpid(pid, status, 0);
            } while (rc < 0 && LibC.errno() == LibC.EINTR);
            // 127, as NuProcess's launcher said, for a status nobody can know (reaped by someone else)
            ended = rc == pid ? ExitStatus.ofWaitStatus(status[0]) : ExitStatus.code(127);
        }
        stdin.close();
        keeper.release(DescriptorKeeper.key("in", pid, startTicks));
        forget.run();
        listener.onExit(pid, ended.leaving(left));
    }
}
