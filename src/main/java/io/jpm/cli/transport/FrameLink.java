package io.jpm.cli.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * One connection's frames, TCP or Unix: 4-byte big-endian length, then the JSON, both ways; what
 * has come and gone on it so far ({@link #answered}: whether its loss may be a {@link DaemonGone}).
 */
final class FrameLink implements AutoCloseable {
    /** Frames larger than this are refused rather than buffered. */
    private static final int MAX_FRAME = 64 * 1024 * 1024;
    /** The daemon's limit on a frame before the connection has shown a token (docs/PROTOCOL.md). */
    private static final int PRE_AUTH_FRAME = 64 * 1024;

    private final AutoCloseable connection;
    private final DataInputStream in;
    private final DataOutputStream out;
    /** Sets the read timeout of the connection. */
    private final IntConsumer readTimeout;

    private final String token;
    /** A frame read ahead (the answer to a ping, when not a pong), read again first. */
    private byte[] unread;
    /** Whether a frame with the token has gone out. */
    private boolean authenticated;
    /** Whether a frame has come from the daemon. */
    private boolean answered;

    FrameLink(AutoCloseable connection, InputStream in, OutputStream out, IntConsumer readTimeout, String token) {
        this.connection = connection;
        this.in = new DataInputStream(new BufferedInputStream(in));
        this.out = new DataOutputStream(new BufferedOutputStream(out));
        this.readTimeout = readTimeout;
        this.token = token;
    }

    void readTimeout(int ms) {
        readTimeout.accept(ms);
    }

    boolean answered() {
        return answered;
    }

    /** {@code frame} is read again first. */
    void putBack(byte[] frame) {
        unread = frame;
    }

    /** A ping with the token. */
    void ping() throws IOException {
        write(Map.of("type", "ping", "headers", Map.of("token", token)));
    }

    void write(Map<String, Object> frame) throws IOException {
        byte[] bytes = Json.write(frame);
        if (!authenticated && bytes.length > PRE_AUTH_FRAME) {
            // the daemon takes no frame this large before one with a token: a ping with it comes first
            byte[] ping = Json.write(Map.of("type", "ping", "headers", Map.of("token", token)));
            out.writeInt(ping.length);
            out.write(ping);
        }
        authenticated = true;
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    byte[] readFrame() throws IOException {
        if (unread != null) {
            byte[] frame = unread;
            unread = null;
            return frame;
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("bad frame length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        answered = true;
        return bytes;
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
