package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The owner's Unix socket, JPM_HOME/jpm.sock, named in daemon.json's "socket":
 * mode 0600, admin without any token (the file permissions are the credential), a wrong token still
 * refused, removed at a clean stop, a stale file at its path replaced at the next start.
 */
@ExtendWith(JpmExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OwnerSocketIT {

    /** A blocking connection to a Unix socket; the class timeout bounds a read that never ends. */
    private static final class UnixBridge implements AutoCloseable {
        private final SocketChannel channel;
        private final DataInputStream in;

        UnixBridge(Path socket) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            in = new DataInputStream(Channels.newInputStream(channel));
        }

        void write(JsonObject frame) throws IOException {
            byte[] payload = frame.encode().getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.allocate(4 + payload.length)
                    .putInt(payload.length)
                    .put(payload);
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        JsonObject read() throws IOException {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        }

        /** The next frame addressed to {@code address}, skipping events. */
        JsonObject answerTo(String address) throws IOException {
            while (true) {
                JsonObject frame = read();
                if (address.equals(frame.getString("address"))) {
                    return frame;
                }
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static JsonObject send(String address, JsonObject body, String replyAddress) {
        return new JsonObject()
                .put("type", "send")
                .put("address", address)
                .put("replyAddress", replyAddress)
                .put("body", body);
    }

    private static Path socketOf(Jpm jpm) throws IOException {
        JsonObject info = new JsonObject(Files.readString(jpm.home.resolve("daemon.json")));
        return Path.of(info.getString("socket"));
    }

    @Test
    void theOwnersSocketIsAdminWithoutAToken(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", "tick");
        Path socket = socketOf(jpm);
        assertEquals(jpm.home.resolve("jpm.sock"), socket);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        try (UnixBridge bridge = new UnixBridge(socket)) {
            bridge.write(new JsonObject().put("type", "register").put("address", "jpm.events.process"));
            bridge.write(send("jpm.query.list", new JsonObject(), "r.list"));
            JsonObject list = bridge.answerTo("r.list");
            assertEquals("message", list.getString("type"), list.encode());
            assertEquals(
                    "tick",
                    list.getJsonObject("body")
                            .getJsonArray("data")
                            .getJsonObject(0)
                            .getString("name"));
            bridge.write(
                    send("jpm.cmd.restart", new JsonObject().put("targets", new JsonArray().add("tick")), "r.restart"));
            // the events of the restart come before its reply (it answers once the app is online again)
            JsonObject event = bridge.answerTo("jpm.events.process");
            assertEquals("tick", event.getJsonObject("body").getString("app"), event.encode());
            JsonObject restart = bridge.answerTo("r.restart");
            assertEquals("message", restart.getString("type"), restart.encode());
            // a frame that shows a token is still checked
            bridge.write(send("jpm.query.list", new JsonObject(), "r.guess")
                    .put("headers", new JsonObject().put("token", "guess")));
            JsonObject refused = bridge.answerTo("r.guess");
            assertEquals("access denied: wrong token", refused.getString("message"), refused.encode());
        }
    }

    @Test
    void removedAtACleanStopAndAStaleOneReplaced(Jpm jpm) throws IOException {
        jpm.ok("ls");
        Path socket = socketOf(jpm);
        jpm.ok("kill");
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "jpm.sock left after a clean stop");
        // what a daemon killed with SIGKILL leaves: something at the path
        Files.writeString(socket, "stale");
        jpm.ok("ls");
        assertTrue(
                Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .isOther(),
                "the stale file was not replaced by the socket");
        try (UnixBridge bridge = new UnixBridge(socket)) {
            bridge.write(send("jpm.query.ping", new JsonObject(), "r.ping"));
            assertEquals("message", bridge.answerTo("r.ping").getString("type"));
        }
    }
}
