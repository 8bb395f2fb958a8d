package io.jpm.launcher;

import io.jpm.process.ProcessLauncher.StdinWrite;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One child's stdin as the daemon feeds it. Each write is handed to the launcher's queue
 * ({@link StdinPipe}, or NuProcess's {@code writeStdin} through {@link OneAtATimeStdin}), which a pump thread empties into the pipe
 * whenever the app has read enough to make room, in the order given; nothing here blocks or waits
 * for the app.
 *
 * <p>What the pump has not yet copied out of a buffer is what the app has left unread (beyond the
 * pipe's own 64 KiB): the pump thread moves a buffer's position as it copies, so the buffers given
 * and not yet spent measure the backlog. An app that never reads its stdin must not make the daemon
 * hold every line sent to it: past {@link #LIMIT} unread bytes a write is refused.
 *
 * <p>NuProcess's other way (wantWrite, then filling its buffer in {@code onStdinReady}) is not used:
 * its "wants more" flag is set from our answer after the call returns, so a write that comes in
 * between would be forgotten until the next one.
 */
final class StdinBacklog {
    /** Unread bytes a child may be left with before more are refused: 1 MiB, thousands of lines. */
    static final int LIMIT = 1 << 20;

    /** Where the bytes go: the launcher's queue; throws IllegalStateException once stdin is closed. */
    interface Pipe {
        void write(ByteBuffer bytes);
    }

    /** Buffers handed to the pipe that still held bytes when last looked at, oldest first. */
    private final ArrayDeque<ByteBuffer> given = new ArrayDeque<>();

    /**
     * Queues the bytes, or refuses them when the backlog is full; a write larger than the limit
     * still goes through once the app has read everything before it.
     */
    synchronized StdinWrite write(Pipe pipe, byte[] bytes) {
        long unread = unread();
        if (unread > 0 && unread + bytes.length > LIMIT) {
            return StdinWrite.FULL;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            pipe.write(buffer);
        } catch (IllegalStateException closed) {
            given.clear();
            return StdinWrite.CLOSED;
        }
        given.add(buffer);
        return StdinWrite.QUEUED;
    }

    /**
     * Bytes given and not yet copied into the pipe. The positions are moved by the pump thread and
     * read here without its lock: a stale one only makes the backlog look larger for a moment.
     */
    synchronized long unread() {
        given.removeIf(buffer -> !buffer.hasRemaining());
        long unread = 0;
        for (ByteBuffer buffer : given) {
            unread += buffer.remaining();
        }
        return unread;
    }
}
