package io.jpm.launcher;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The daemon's end of the IPC channel Node apps get from pm2 ({@code process.send},
 * {@code process.on('message')}). pm2 forks Node with a real IPC pipe; jpm's preload shipped in
 * the jar (jpm-ipc.js, {@code node -r}) connects to this Unix socket instead and carries the same
 * messages as JSON lines. It needs no inherited descriptor, which NuProcessLauncher (the JDK's
 * launcher closes every one above 2) could not give. The first line names the run by a random token
 * given in its environment; a connection with an unknown token is closed. The socket and its
 * connections are libc's, watched by the daemon's first pump ({@link PumpPool}): no thread of their
 * own, so the daemon's thread count does not grow with its Node apps. A connection is read and
 * closed on the pump's thread only; a run's writes and its connection's close are ordered by the
 * run's lock, so a write never reaches a descriptor number that was closed and given to another.
 */
final class NodeChannels {
    private static final Logger LOG = Logger.getLogger("jpm.launcher");
    /** A line longer than this is no message of ours: the connection is closed. */
    private static final int MAX_LINE = 64 * 1024;

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int BACKLOG = 128;

    /** One run's end: who hears its messages, and its connection once the preload has said who it is. */
    static final class Run {
        /** Lines held for a preload that has not connected yet: a few messages, not a stream. */
        private static final int MAX_WAITING = 64;

        private final Consumer<String> receiver;
        private final List<byte[]> waiting = new ArrayList<>();
        private Conn connection;
        private boolean closed;

        private Run(Consumer<String> receiver) {
            this.receiver = receiver;
        }

        /**
         * Writes one JSON line to the app; false when its connection is gone or does not take the line at
         * once. Before jpm-ipc.js has connected (node still starting: the daemon calls a run online at its
         * spawn), the line waits for the connection, as a message waits in the pipe of pm2's Node channel
         * until the app reads it: a stop right after a start is still heard as 'shutdown'.
         */
        synchronized boolean send(String json) {
            byte[] line = (json + "\n").getBytes(StandardCharsets.UTF_8);
            if (closed) {
                return false;
            }
            if (connection == null) {
                if (waiting.size() >= MAX_WAITING) {
                    return false;
                }
                waiting.add(line);
                return true;
            }
            return write(connection, line);
        }

        /** The preload said who it is (pump thread): the lines that waited for it go first. */
        private synchronized boolean connected(Conn c) {
            if (closed) {
                return false;
            }
            connection = c;
            for (byte[] line : waiting) {
                if (!write(c, line)) {
                    break;
                }
            }
            waiting.clear();
            return true;
        }

        /** Its connection ended (pump thread, before the descriptor is closed): nothing is written to it any more. */
        private synchronized void disconnected(Conn c) {
            if (connection == c) {
                connection = null;
                closed = true;
            }
        }

        /** The run ended: nothing waits for it, and nothing sent from now on is taken. */
        private synchronized Conn close() {
            closed = true;
            waiting.clear();
            return connection;
        }

        /**
         * Non-blocking: a message this small fits the socket's buffer unless the app stopped reading, and
         * then it would not act on it anyway.
         */
        private static boolean write(Conn c, byte[] line) {
            return LibC.write(c.fd, line, line.length) == line.length;
        }
    }

    /** A connection (pump thread): its descriptor, the bytes of a partial line, and its run once known. */
    private static final class Conn {
        final int fd;
        final long token = PipePump.token();
        final ByteBuffer pending = ByteBuffer.allocate(MAX_LINE);
        Run run;
        boolean open = true;

        Conn(int fd) {
            this.fd = fd;
        }
    }

    private final Path socketFile;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private int server = -1;
    private long serverToken;
    /** Accepting stopped after an error (out of descriptors): the next run registered starts it again. */
    private volatile boolean acceptPaused;

    NodeChannels(Path socketFile) {
        this.socketFile = socketFile;
    }

    /** The daemon's first pump, started with the socket (not with the daemon). */
    private static PipePump pump() {
        return PumpPool.first();
    }

    /** The socket's path, opening it on first use. */
    synchronized Path start() throws IOException {
        if (server < 0) {
            Files.deleteIfExists(socketFile);
            int fd = LibC.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("cannot make the IPC socket: " + LibC.strerror(Native.getLastError()));
            }
            byte[] path = socketFile.toString().getBytes(StandardCharsets.UTF_8);
            byte[] address = NotifySockets.address(path);
            Memory sockaddr = new Memory(address.length);
            sockaddr.write(0, address, 0, address.length);
            // owner-only whatever the umask: a connection must still name its run's random token
            if (LibC.fchmod(fd, LibC.OWNER_ONLY_SOCKET) != 0
                    || LibC.bind(fd, sockaddr, 2 + path.length + 1) != 0
                    || LibC.listen(fd, BACKLOG) != 0) {
                String error = LibC.strerror(Native.getLastError());
                LibC.close(fd);
                throw new IOException("cannot listen on " + socketFile + ": " + error);
            }
            long token = PipePump.token();
            try {
                pump().watch(fd, Epoll.EPOLLIN, token, events -> acceptAll());
            } catch (IllegalStateException e) {
                LibC.close(fd);
                throw new IOException("cannot watch the IPC socket: " + e.getMessage(), e);
            }
            server = fd;
            serverToken = token;
        }
        return socketFile;
    }

    /** Registers a run under {@code token}; its messages (JSON text) go to {@code receiver}. */
    Run register(String token, Consumer<String> receiver) {
        Run run = new Run(receiver);
        runs.put(token, run);
        if (acceptPaused) {
            resumeAccepting();
        }
        return run;
    }

    /** Forgets a run and closes its connection. */
    void unregister(String token) {
        Run run = runs.remove(token);
        Conn connection = run == null ? null : run.close();
        if (connection != null) {
            pump().run(() -> drop(connection));
        }
    }

    synchronized void shutdown() {
        if (server >= 0) {
            int fd = server;
            long token = serverToken;
            server = -1;
            pump().run(() -> {
                pump().unwatch(fd, token);
                LibC.close(fd);
            });
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                LOG.fine(() -> "removing the IPC socket: " + e.getMessage());
            }
        }
    }

    /** On the pump's thread: takes every connection that waits. */
    private void acceptAll() {
        while (true) {
            int fd;
            synchronized (this) {
                if (server < 0) {
                    return;
                }
                fd = LibC.accept4(server, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC);
            }
            if (fd < 0) {
                int errno = Native.getLastError();
                if (errno != LibC.EAGAIN && errno != LibC.EINTR) {
                    // out of descriptors, most likely: the socket stays readable, and a level-triggered
                    // watch would spin; it is watched again when the next run registers
                    LOG.warning("the IPC socket cannot accept (" + LibC.strerror(errno)
                            + "): Node apps started from now on get no channel until the next start");
                    pauseAccepting();
                }
                return;
            }
            Conn conn = new Conn(fd);
            try {
                pump().watch(fd, Epoll.EPOLLIN, conn.token, events -> read(conn));
            } catch (IllegalStateException e) {
                LibC.close(fd);
            }
        }
    }

    private synchronized void pauseAccepting() {
        if (server >= 0 && !acceptPaused) {
            acceptPaused = true;
            pump().pause(server);
        }
    }

    private synchronized void resumeAccepting() {
        if (server >= 0 && acceptPaused) {
            acceptPaused = false;
            int fd = server;
            long token = serverToken;
            pump().run(() -> pump().resume(fd, Epoll.EPOLLIN, token));
        }
    }

    /** On the pump's thread: what the app wrote, line by line. */
    private void read(Conn conn) {
        long[] rc = new long[1];
        ByteBuffer in = pump().read(conn.fd, rc);
        if (in == null) {
            if (rc[0] == 0 || -rc[0] != LibC.EAGAIN) {
                drop(conn); // end of file, or a broken connection
            }
            return;
        }
        if (in.remaining() > conn.pending.remaining()) {
            LOG.warning("an app's IPC message is longer than " + MAX_LINE + " bytes: its connection is closed");
            drop(conn);
            return;
        }
        conn.pending.put(in);
        conn.pending.flip();
        int start = 0;
        for (int i = 0; i < conn.pending.limit() && conn.open; i++) {
            if (conn.pending.get(i) == '\n') {
                byte[] line = new byte[i - start];
                conn.pending.get(start, line);
                line(conn, new String(line, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (!conn.open) {
            return;
        }
        conn.pending.position(start);
        conn.pending.compact();
        if (!conn.pending.hasRemaining()) {
            LOG.warning("an app's IPC message is longer than " + MAX_LINE + " bytes: its connection is closed");
            drop(conn);
        }
    }

    private void line(Conn conn, String line) {
        if (conn.run == null) {
            // the first line is {"token":"<hex>"}, written by jpm-ipc.js; hex needs no JSON parser
            String token = line.replaceAll("^\\{\"token\":\"([0-9a-f]+)\"}$", "$1");
            Run run = token.equals(line) ? null : runs.get(token);
            if (run == null || !run.connected(conn)) {
                drop(conn);
                return;
            }
            conn.run = run;
            return;
        }
        conn.run.receiver.accept(line);
    }

    /** On the pump's thread: the connection ends; its run writes no more to it before its number is freed. */
    private void drop(Conn conn) {
        if (!conn.open) {
            return;
        }
        conn.open = false;
        pump().unwatch(conn.fd, conn.token);
        if (conn.run != null) {
            conn.run.disconnected(conn);
        }
        LibC.close(conn.fd);
    }
}
