package io.jpm.it;

import io.jpm.testkit.Deadline;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A bare bridge connection for tests: writes any frame, even a broken one, and reads frames back. */
final class RawBridge implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    RawBridge(Path home) throws IOException {
        JsonObject info = new JsonObject(Files.readString(home.resolve("daemon.json")));
        socket = new Socket(info.getString("bridgeHost"), info.getInteger("bridgePort"));
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    static String token(Path home, String file) throws IOException {
        return Files.readString(home.resolve(file)).trim();
    }

    private int replies;
    /**
     * The bridge's own frame that followed jpm's refusal of a frame on an authenticated connection
     * in older daemons (now each refusal is one frame: ConnectionAuthIT); still skipped, harmlessly.
     */
    static final String BRIDGE_NOTE = "blocked by bridgeEvent handler";

    /** A send frame with a reply address and, when not null, a token. */
    static JsonObject send(String address, JsonObject body, String token, String replyAddress) {
        JsonObject frame = new JsonObject()
                .put("type", "send")
                .put("address", address)
                .put("replyAddress", replyAddress)
                .put("body", body);
        if (token != null) {
            frame.put("headers", new JsonObject().put("token", token));
        }
        return frame;
    }

    void write(JsonObject frame) throws IOException {
        writeRaw(frame.encode().getBytes(StandardCharsets.UTF_8));
    }

    void writeRaw(byte[] payload) throws IOException {
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    /** Announces a frame of {@code length} bytes and sends none of them. */
    void writeLength(int length) throws IOException {
        out.writeInt(length);
        out.flush();
    }

    /** True once the daemon has closed the connection (end of stream within the timeout). */
    boolean closedByPeer(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** The next frame, or null when none comes within {@code timeoutMs}. */
    JsonObject read(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        try {
            int length = in.readInt();
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /**
     * Sends a request and returns the frame answering it: the reply or err frame for its reply
     * address, or an err frame with no address (the bridge's own refusal). Other frames (events, a
     * second refusal frame) are skipped. Null when nothing answers within 10 s.
     */
    JsonObject request(String address, JsonObject body, String token) throws IOException {
        String replyAddress = "test.reply." + (++replies);
        write(send(address, body, token, replyAddress));
        Deadline deadline = Deadline.in(Duration.ofSeconds(10));
        while (!deadline.passed()) {
            JsonObject frame = read(deadline.remainingMillis());
            if (frame == null) {
                return null;
            }
            String to = frame.getString("address");
            // an older daemon followed its refusal with the bridge's own address-less note
            boolean trailingNote = BRIDGE_NOTE.equals(frame.getString("message"));
            if (replyAddress.equals(to) || to == null && "err".equals(frame.getString("type")) && !trailingNote) {
                return frame;
            }
        }
        return null;
    }

    /** True once the daemon has closed the connection, whatever frames came first; false when it is open after the timeout. */
    boolean endsWithin(int timeoutMs) throws IOException {
        Deadline deadline = Deadline.in(Duration.ofMillis(timeoutMs));
        try {
            while (!deadline.passed()) {
                if (read(deadline.remainingMillis()) == null) {
                    return false;
                }
            }
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
