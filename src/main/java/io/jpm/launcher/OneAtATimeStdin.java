package io.jpm.launcher;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child's stdin as NuProcess is fed it: one buffer at a time, what was written meanwhile joined
 * into the next one. NuProcess's pump copies its queued buffers into the pipe by calling itself
 * once per buffer for as long as the pipe takes them, so thousands of short lines queued at once
 * (a file piped into {@code jpm attach}) overflow the pump thread's stack and end it, and with it
 * every child it serves (seen in StdinWriteTest: StackOverflowError in BasePosixProcess.writeStdin).
 * Here NuProcess never holds more than one buffer of ours.
 *
 * <p>{@link StdinBacklog} measures what the app has not read from the positions of the buffers it
 * gave: a buffer waiting here, or joined into the buffer NuProcess holds, keeps its position until
 * that buffer is spent, so it counts as unread until then. Nothing tells when NuProcess has spent a
 * buffer: while bytes wait behind one, a check hands them on, after {@link #RECHECK_MS} ms, then
 * twice as long each time up to {@link #RECHECK_MAX_MS} (an app that reads nothing is not polled
 * every 5 ms for ever), and none once the child has exited ({@link #close}).
 */
final class OneAtATimeStdin implements StdinBacklog.Pipe {
    static final long RECHECK_MS = 5;
    static final long RECHECK_MAX_MS = 200;

    private final Consumer<ByteBuffer> nuProcess;
    private final ScheduledExecutorService timer;
    /** Buffers given to this pipe and not yet joined into one NuProcess holds, oldest first. */
    private final ArrayDeque<ByteBuffer> waiting = new ArrayDeque<>();
    /** The buffer NuProcess holds (null before the first), and the buffers given that it joins. */
    private ByteBuffer held;

    private List<ByteBuffer> heldParts = List.of();
    private boolean recheckArmed;
    private long recheckMs = RECHECK_MS;
    private boolean closed;

    /**
     * @param nuProcess NuProcess's writeStdin (throws IllegalStateException once stdin is closed)
     * @param timer where the recheck runs
     */
    OneAtATimeStdin(Consumer<ByteBuffer> nuProcess, ScheduledExecutorService timer) {
        this.nuProcess = nuProcess;
        this.timer = timer;
    }

    @Override
    public synchronized void write(ByteBuffer bytes) {
        if (closed) {
            throw new IllegalStateException("stdin is closed");
        }
        waiting.add(bytes);
        handOn();
        if (closed) {
            throw new IllegalStateException("stdin is closed"); // these very bytes could not be handed on
        }
    }

    /** The child has exited: what waits is dropped, and no recheck is armed again. */
    synchronized void close() {
        closed = true;
        waiting.clear();
    }

    /** Hands NuProcess what waits once it has spent what it holds; else checks again shortly. */
    private synchronized void handOn() {
        if (closed || waiting.isEmpty()) {
            return;
        }
        if (held != null && held.hasRemaining()) {
            if (!recheckArmed) {
                recheckArmed = true;
                timer.schedule(
                        () -> {
                            synchronized (this) {
                                recheckArmed = false;
                            }
                            handOn();
                        },
                        recheckMs,
                        TimeUnit.MILLISECONDS);
                recheckMs = Math.min(RECHECK_MAX_MS, recheckMs * 2);
            }
            return;
        }
        recheckMs = RECHECK_MS;
        heldParts.forEach(part -> part.position(part.limit())); // read by the app: StdinBacklog may forget them
        List<ByteBuffer> parts = new ArrayList<>(waiting);
        waiting.clear();
        ByteBuffer joined;
        if (parts.size() == 1) {
            joined = parts.get(0).duplicate();
        } else {
            int length = 0;
            for (ByteBuffer part : parts) {
                length += part.remaining();
            }
            joined = ByteBuffer.allocate(length);
            for (ByteBuffer part : parts) {
                joined.put(part.duplicate());
            }
            joined.flip();
        }
        held = joined;
        heldParts = parts;
        try {
            nuProcess.accept(joined);
        } catch (IllegalStateException e) {
            closed = true; // the next write is told, as StdinBacklog expects
            heldParts.forEach(part -> part.position(part.limit()));
        }
    }
}
