package io.jpm.launcher;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Node's own IPC channel, the one {@code child_process.fork} gives and pm2 gives every Node app:
 * a Unix socket pair whose child end the app inherits, named by {@code NODE_CHANNEL_FD}, carrying
 * JSON lines ({@code NODE_CHANNEL_SERIALIZATION_MODE=json}). Node itself sets up
 * {@code process.send}, {@code process.on('message')} and {@code process.connected} from it.
 *
 * <p>jpm needs the real channel (not jpm-ipc.js's connection to a Unix socket file) where it must
 * hand a descriptor to a running app: socket mode's shared listening socket, asked for by
 * jpm-listen.js when the app calls listen(). Node takes a descriptor that arrives (SCM_RIGHTS) with a
 * {@code {"cmd":"NODE_HANDLE","type":"net.Server","msg":...}} line as a listening server and emits
 * {@code msg} with it, as a cluster worker gets its server from the primary.
 *
 * <p>Reads run on a {@link PipePump}; sends from any thread, one at a time.
 */
final class NodeIpcChannel {
    private static final Logger LOG = Logger.getLogger("jpm.launcher");
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    /** A line longer than this is no message jpm reads: it is skipped up to its end. */
    private static final int MAX_LINE = 1024 * 1024;
    /** How long a send waits for an app that does not read its channel before giving up. */
    private static final long SEND_PATIENCE_NANOS = 1_000_000_000L;

    private final int parentEnd;
    private final int childEnd;
    private final PipePump pump;
    private final long token = PipePump.token();
    private final Consumer<String> lines;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean skipping;
    private volatile boolean closed;
    private boolean childEndClosed;

    private NodeIpcChannel(int parentEnd, int childEnd, PipePump pump, Consumer<String> lines) {
        this.parentEnd = parentEnd;
        this.childEnd = childEnd;
        this.pump = pump;
        this.lines = lines;
    }

    /** A new pair; {@code lines} hears each line the app sends (its JSON), on the pump's thread. */
    static NodeIpcChannel open(PipePump pump, Consumer<String> lines) throws IOException {
        if (!Platform.is64Bit()) {
            throw new IOException("Node's IPC channel: only 64-bit systems are supported");
        }
        int[] fds = new int[2];
        if (LibC.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
            throw new IOException("socketpair: " + LibC.strerror(Native.getLastError()));
        }
        LibC.fcntl(fds[0], LibC.F_SETFL, LibC.O_NONBLOCK);
        NodeIpcChannel channel = new NodeIpcChannel(fds[0], fds[1], pump, lines);
        pump.watch(fds[0], Epoll.EPOLLIN, channel.token, channel::readable);
        return channel;
    }

    /**
     * The daemon's end of a run's pipe that a previous daemon opened, handed over by the keeper (the
     * run is adopted): read and written as one this daemon opened, made close-on-exec again.
     */
    static NodeIpcChannel adopt(PipePump pump, int daemonEnd, Consumer<String> lines) throws IOException {
        if (!Platform.is64Bit()) {
            throw new IOException("Node's IPC channel: only 64-bit systems are supported");
        }
        if (LibC.fcntl(daemonEnd, LibC.F_SETFL, LibC.O_NONBLOCK) != 0
                || LibC.fcntl(daemonEnd, LibC.F_SETFD, LibC.FD_CLOEXEC) != 0) {
            throw new IOException(
                    "Node's IPC channel: descriptor " + daemonEnd + ": " + LibC.strerror(Native.getLastError()));
        }
        NodeIpcChannel channel = new NodeIpcChannel(daemonEnd, -1, pump, lines);
        channel.childEndClosed = true;
        pump.watch(daemonEnd, Epoll.EPOLLIN, channel.token, channel::readable);
        return channel;
    }

    /** The daemon's end, which the keeper holds a duplicate of while the run lives (it outlives the daemon). */
    int daemonEnd() {
        return parentEnd;
    }

    /** The end the app inherits (posix_spawn dup2s it; close-on-exec keeps it from anyone else). */
    int childEnd() {
        return childEnd;
    }

    /** The app has its copy: the daemon's goes, so that the app's exit ends the channel. */
    synchronized void childSpawned() {
        if (!childEndClosed) {
            childEndClosed = true;
            LibC.close(childEnd);
        }
    }

    /** Sends one JSON value as a line; false when the channel is closed or the app does not read it. */
    boolean send(String json) {
        return sendLine(json, -1);
    }

    /** Sends one JSON value as a line unless the app's pipe is full now: 1 sent, 0 full (nothing sent), -1 closed. */
    int offer(String json) {
        return sendLine(json, -1, false);
    }

    /**
     * Sends {@code fd} as a listening server with {@code json} as the message the app's
     * {@code process.on('message', (msg, server))} gets; the app gets its own copy of the descriptor.
     */
    boolean sendServer(String json, int fd) {
        return sendLine("{\"cmd\":\"NODE_HANDLE\",\"type\":\"net.Server\",\"msg\":" + json + "}", fd);
    }

    /**
     * Sends an accepted connection, which Node turns into a TCP handle and gives the app with
     * {@code json} ({@code net.Native}: the raw handle, as the cluster module's primary deals them).
     * Without {@code patient}, an app whose pipe is full now (it is busy) is not waited for: 0, and
     * nothing was sent.
     *
     * @return 1 sent, 0 busy (only when not patient), -1 the channel is closed or failed
     */
    int offerConnection(String json, int fd, boolean patient) {
        return sendLine("{\"cmd\":\"NODE_HANDLE\",\"type\":\"net.Native\",\"msg\":" + json + "}", fd, patient);
    }

    private boolean sendLine(String json, int fd) {
        return sendLine(json, fd, true) > 0;
    }

    private synchronized int sendLine(String json, int fd, boolean patient) {
        if (closed) {
            return -1;
        }
        byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
        Memory buffer = new Memory(bytes.length);
        buffer.write(0, bytes, 0, bytes.length);
        long sent = 0;
        long deadline = System.nanoTime() + SEND_PATIENCE_NANOS;
        while (sent < bytes.length) {
            // the descriptor rides with the first byte, so Node finds it with the line's first chunk
            long n = sent == 0 && fd >= 0
                    ? sendWithDescriptor(buffer, bytes.length, fd)
                    : LibC.send(parentEnd, buffer.share(sent), bytes.length - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n > 0) {
                sent += n;
                continue;
            }
            int errno = Native.getLastError();
            if (n < 0 && errno == LibC.EAGAIN && sent == 0 && !patient) {
                return 0;
            }
            if (n < 0 && (errno == LibC.EAGAIN || errno == LibC.EINTR) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                continue;
            }
            if (sent > 0) {
                // half a line would garble every later one: the channel is of no more use
                LOG.warning(() -> "Node IPC channel: the app stopped reading in the middle of a message; closing it");
                close();
            }
            return -1;
        }
        return 1;
    }

    /** sendmsg(2) with one SCM_RIGHTS descriptor (struct layouts of 64-bit Linux). */
    private long sendWithDescriptor(Memory buffer, int length, int fd) {
        Memory iov = new Memory(16);
        iov.setPointer(0, buffer);
        iov.setLong(8, length);
        Memory control = new Memory(24);
        control.clear();
        control.setLong(0, 20); // CMSG_LEN(sizeof(int))
        control.setInt(8, SOL_SOCKET);
        control.setInt(12, SCM_RIGHTS);
        control.setInt(16, fd);
        Memory message = new Memory(56);
        message.clear();
        message.setPointer(16, iov);
        message.setLong(24, 1);
        message.setPointer(32, control);
        message.setLong(40, 24); // CMSG_SPACE(sizeof(int))
        return LibC.sendmsg(parentEnd, message, MSG_DONTWAIT | MSG_NOSIGNAL);
    }

    private void readable(int events) {
        long[] rc = new long[1];
        ByteBuffer bytes;
        while ((bytes = pump.read(parentEnd, rc)) != null) {
            take(bytes);
        }
        if (rc[0] != -LibC.EAGAIN && rc[0] != -LibC.EINTR) {
            close(); // end of file (the app exited or closed its channel) or an error
        }
    }

    private void take(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b != '\n') {
                if (!skipping) {
                    pending.write(b);
                    if (pending.size() > MAX_LINE) {
                        skipping = true;
                        pending.reset();
                    }
                }
                continue;
            }
            if (!skipping) {
                String line = pending.toString(StandardCharsets.UTF_8);
                try {
                    lines.accept(line);
                } catch (RuntimeException e) {
                    LOG.warning(() -> "Node IPC channel: a message's handler failed: " + e);
                }
            }
            skipping = false;
            pending.reset();
        }
    }

    /** Closes the daemon's ends; the app sees its channel disconnect. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pump.unwatch(parentEnd, token);
        LibC.close(parentEnd);
        childSpawned();
    }
}
