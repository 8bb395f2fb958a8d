package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A command that meets a dying daemon: a daemon killed a moment before still has its door open
 * while its last threads exit, so a connection is accepted and then closed with no answer ("lost
 * the daemon: Connection reset", seen in CI right after a kill -9). Here a stand-in door in the
 * home's jpm.sock takes the first connections and closes each after reading one frame, then goes:
 * the command must run on the next daemon it starts, and a command must not have been sent to the
 * one that never answered (it could have been carried out there).
 */
@WithoutTuning
class DyingDaemonIT {
    private static final int DROPPED = 3;

    @Test
    void aQueryMetByADyingDaemonAnswersFromTheNextOne() throws Exception {
        try (Jpm jpm = new Jpm();
                DyingDoor door = DyingDoor.in(jpm.home)) {
            Jpm.Result ls = jpm.cli("ls");
            assertEquals(0, ls.exit(), ls.toString());
            assertEquals(DROPPED, door.firstFrames.size(), door.firstFrames.toString());
            assertNotEquals(door.pid, new JsonObject(Files.readString(jpm.home.resolve("daemon.json"))).getLong("pid"));
        }
    }

    @Test
    void aCommandIsNotSentBeforeTheDaemonAnswered() throws Exception {
        try (Jpm jpm = new Jpm();
                DyingDoor door = DyingDoor.in(jpm.home)) {
            Jpm.Result start = jpm.cli("start", Jpm.fixture("idle.sh").toString(), "--name", "app");
            assertEquals(0, start.exit(), start.toString());
            assertEquals(DROPPED, door.firstFrames.size(), door.firstFrames.toString());
            for (JsonObject frame : door.firstFrames) {
                assertEquals("ping", frame.getString("type"), "only a ping before any answer: " + frame);
            }
            List<JsonObject> app = jpm.awaitStatus("app", "online");
            assertEquals(1, app.size());
            assertEquals(0, app.get(0).getJsonObject("pm2_env").getInteger("restart_time"));
        }
    }

    /**
     * jpm.sock of a daemon that is dying: daemon.json and the token name it, its door accepts
     * {@link #DROPPED} connections, reads one frame of each and closes it, then the door is gone.
     */
    private static final class DyingDoor implements AutoCloseable {
        final List<JsonObject> firstFrames = new CopyOnWriteArrayList<>();
        final long pid;
        private final ServerSocketChannel server;
        private final Path socket;
        private final Thread thread;

        private DyingDoor(Path home, long pid) throws IOException {
            this.pid = pid;
            this.socket = home.resolve("jpm.sock");
            this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = new Thread(this::serve, "dying-door");
            thread.setDaemon(true);
            thread.start();
        }

        static DyingDoor in(Path home) throws Exception {
            Files.createDirectories(home);
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            Process gone = new ProcessBuilder("true").start();
            gone.waitFor();
            DyingDoor door = new DyingDoor(home, gone.pid());
            JsonObject info = new JsonObject()
                    .put("pid", gone.pid())
                    .put("bridgeHost", "127.0.0.1")
                    .put("bridgePort", Ports.free()) // nothing listens there: the door is jpm.sock
                    .put("socket", door.socket.toString());
            writePrivate(home.resolve("daemon.json"), info.encodePrettily());
            writePrivate(home.resolve("token"), "a-token-of-the-dying-daemon");
            return door;
        }

        private static void writePrivate(Path file, String text) throws IOException {
            Files.writeString(file, text);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }

        private void serve() {
            try {
                for (int i = 0; i < DROPPED; i++) {
                    try (SocketChannel connection = server.accept()) {
                        firstFrames.add(readFrame(connection));
                    }
                }
                server.close();
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                // closed by the test's end
            }
        }

        private static JsonObject readFrame(SocketChannel connection) throws IOException {
            ByteBuffer length = ByteBuffer.allocate(4);
            readFully(connection, length);
            ByteBuffer frame = ByteBuffer.allocate(length.flip().getInt());
            readFully(connection, frame);
            return new JsonObject(new String(frame.array(), StandardCharsets.UTF_8));
        }

        private static void readFully(SocketChannel connection, ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                if (connection.read(buffer) < 0) {
                    throw new IOException("closed");
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            Files.deleteIfExists(socket);
        }
    }
}
