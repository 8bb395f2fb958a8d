package io.jpm.launcher;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
 * launcher closes every one above 2) could not give. The first line names the run by a random token given in its environment; a
 * connection with an unknown token is closed. One selector thread serves every connection.
 */
final class NodeChannels {
    private static final Logger LOG = Logger.getLogger("jpm.launcher");
    /** A line longer than this is no message of ours: the connection is closed. */
    private static final int MAX_LINE = 64 * 1024;

    /** One run's end: who hears its messages, and its connection once the preload has said who it is. */
    static final class Run {
        /** Lines held for a preload that has not connected yet: a few messages, not a stream. */
        private static final int MAX_WAITING = 64;

        private final Consumer<String> receiver;
        private final List<ByteBuffer> waiting = new ArrayList<>();
        private SocketChannel connection;
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
            ByteBuffer line = StandardCharsets.UTF_8.encode(json + "\n");
            if (connection == null) {
                if (closed || waiting.size() >= MAX_WAITING) {
                    return false;
                }
                waiting.add(line);
                return true;
            }
            return write(connection, line);
        }

        /** The preload said who it is: the lines that waited for it go first. */
        private synchronized void connected(SocketChannel c) {
            connection = c;
            for (ByteBuffer line : waiting) {
                if (!write(c, line)) {
                    break;
                }
            }
            waiting.clear();
        }

        /** The run ended: nothing waits for it, and nothing sent from now on is taken. */
        private synchronized SocketChannel close() {
            closed = true;
            waiting.clear();
            return connection;
        }

        private static boolean write(SocketChannel c, ByteBuffer line) {
            if (!c.isOpen()) {
                return false;
            }
            try {
                // non-blocking: a message this small fits the socket's buffer unless the app stopped
                // reading, and then it would not act on it anyway
                c.write(line);
                return !line.hasRemaining();
            } catch (IOException e) {
                return false;
            }
        }
    }

    private final Path socketFile;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private ServerSocketChannel server;
    private Selector selector;

    NodeChannels(Path socketFile) {
        this.socketFile = socketFile;
    }

    /** The socket's path, opening it on first use. */
    synchronized Path start() throws IOException {
        if (server == null) {
            Files.createDirectories(socketFile.getParent());
            Files.deleteIfExists(socketFile);
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(socketFile));
            s.configureBlocking(false);
            selector = Selector.open();
            s.register(selector, SelectionKey.OP_ACCEPT);
            server = s;
            Thread thread = new Thread(this::serve, "jpm-ipc");
            thread.setDaemon(true);
            thread.start();
        }
        return socketFile;
    }

    /** Registers a run under {@code token}; its messages (JSON text) go to {@code receiver}. */
    Run register(String token, Consumer<String> receiver) {
        Run run = new Run(receiver);
        runs.put(token, run);
        return run;
    }

    /** Forgets a run and closes its connection. */
    void unregister(String token) {
        Run run = runs.remove(token);
        SocketChannel connection = run == null ? null : run.close();
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                LOG.fine(() -> "closing an app's IPC connection: " + e.getMessage());
            }
        }
    }

    synchronized void shutdown() {
        if (server != null) {
            try {
                selector.close();
                server.close();
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                LOG.fine(() -> "closing the IPC socket: " + e.getMessage());
            }
        }
    }

    /** A connection's state on the selector thread: bytes of a partial line, and its run once known. */
    private static final class Conn {
        final ByteBuffer pending = ByteBuffer.allocate(MAX_LINE);
        Run run;
    }

    private void serve() {
        try {
            while (selector.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel c = server.accept();
                        if (c != null) {
                            c.configureBlocking(false);
                            c.register(selector, SelectionKey.OP_READ, new Conn());
                        }
                    } else if (key.isReadable()) {
                        read(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            LOG.fine(() -> "IPC socket closed: " + e.getMessage());
        }
    }

    private void read(SelectionKey key) {
        SocketChannel c = (SocketChannel) key.channel();
        Conn conn = (Conn) key.attachment();
        try {
            if (c.read(conn.pending) < 0) {
                c.close();
                return;
            }
            conn.pending.flip();
            int start = 0;
            for (int i = 0; i < conn.pending.limit(); i++) {
                if (conn.pending.get(i) == '\n') {
                    byte[] line = new byte[i - start];
                    conn.pending.get(start, line);
                    line(c, conn, new String(line, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            conn.pending.position(start);
            conn.pending.compact();
            if (!conn.pending.hasRemaining()) {
                LOG.warning("an app's IPC message is longer than " + MAX_LINE + " bytes: its connection is closed");
                c.close();
            }
        } catch (IOException e) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }

    private void line(SocketChannel c, Conn conn, String line) throws IOException {
        if (conn.run == null) {
            // the first line is {"token":"<hex>"}, written by jpm-ipc.js; hex needs no JSON parser
            String token = line.replaceAll("^\\{\"token\":\"([0-9a-f]+)\"}$", "$1");
            Run run = token.equals(line) ? null : runs.get(token);
            if (run == null) {
                c.close();
                return;
            }
            conn.run = run;
            run.connected(c);
            return;
        }
        conn.run.receiver.accept(line);
    }
}
