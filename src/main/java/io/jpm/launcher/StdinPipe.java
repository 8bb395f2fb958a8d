package io.jpm.launcher;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The daemon's end of one child's stdin pipe (non-blocking), as {@link PosixSpawnLauncher} keeps
 * it: what is given is queued and written by the child's pump as the app reads, in order, never
 * blocking the caller. The pipe is watched for room only while something waits: a watched pipe
 * whose reader has gone would be reported at every turn of the loop.
 *
 * <p>Each buffer's position moves as its bytes go into the pipe, which is how {@link StdinBacklog}
 * measures what the app has left unread.
 */
final class StdinPipe implements StdinBacklog.Pipe, PipePump.Watch {
    private final PipePump pump;
    private final int fd;
    private final long token = PipePump.token();
    /** Guarded by this. */
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();

    private boolean watched;
    private boolean closed;

    StdinPipe(PipePump pump, int fd) {
        this.pump = pump;
        this.fd = fd;
    }

    /** Queues the bytes; throws IllegalStateException once the pipe is closed (as NuProcess's queue did). */
    @Override
    public synchronized void write(ByteBuffer bytes) {
        if (closed) {
            throw new IllegalStateException("stdin is closed");
        }
        queue.add(bytes);
        if (!watched) {
            watched = true;
            pump.watch(fd, Epoll.EPOLLOUT, token, this);
        }
    }

    /** Room in the pipe (or its reader gone): writes until it is full or nothing is left. */
    @Override
    public synchronized void ready(int events) {
        while (!queue.isEmpty() && !closed) {
            ByteBuffer head = queue.peek();
            long n = pump.write(fd, head);
            if (n == -LibC.EAGAIN || n == -LibC.EINTR) {
                return; // full: epoll says when there is room again
            }
            if (n < 0) {
                closeLocked(); // EPIPE: the app closed its stdin, nothing will read what is queued
                return;
            }
            if (!head.hasRemaining()) {
                queue.poll();
            }
        }
        if (watched && !closed) {
            watched = false;
            pump.unwatch(fd, token);
        }
    }

    /** Closes the pipe (the child has exited, or its reader went); later writes are refused. */
    synchronized void close() {
        closeLocked();
    }

    private void closeLocked() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        if (watched) {
            watched = false;
            pump.unwatch(fd, token);
        }
        LibC.close(fd);
    }
}
