package io.jpm.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 that forwards every connection to a target port and keeps a copy of
 * every byte it carries, both ways: what a network observer between two members would see.
 */
final class RecordingRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    RecordingRelay(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "relay-accept-" + target);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Every byte carried so far, both directions interleaved. */
    byte[] seen() {
        synchronized (seen) {
            return seen.toByteArray();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(in);
                sockets.add(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[8192];
                    try (InputStream input = from.getInputStream();
                            OutputStream output = to.getOutputStream()) {
                        int n;
                        while ((n = input.read(buffer)) >= 0) {
                            synchronized (seen) {
                                seen.write(buffer, 0, n);
                            }
                            output.write(buffer, 0, n);
                            output.flush();
                        }
                    } catch (IOException e) {
                        // one side closed: the other follows
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(RecordingRelay::closeQuietly);
    }
}
