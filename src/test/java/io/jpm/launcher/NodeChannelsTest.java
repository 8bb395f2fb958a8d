package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Deadline;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's end of jpm-ipc.js's channel, over a real Unix socket: the daemon calls a Node run online
 * at its spawn, so a stop can come before node has run the preload; its 'shutdown' must wait for the
 * connection (it was refused then, and the app got the kill signal instead: DifferentialIT's
 * PM2_KILL_USE_MESSAGE case failed so under load).
 */
class NodeChannelsTest {
    private static final String TOKEN = "00ff";

    @TempDir
    Path dir;

    private NodeChannels channels;

    @AfterEach
    void shut() {
        if (channels != null) {
            channels.shutdown();
        }
    }

    @Test
    void messagesSentBeforeThePreloadConnectsReachItInOrderOnceItDoes() throws Exception {
        channels = new NodeChannels(dir.resolve("ipc.sock"));
        Path socket = channels.start();
        NodeChannels.Run run = channels.register(TOKEN, line -> {});

        assertTrue(run.send("\"shutdown\""), "taken before the app connected");
        assertTrue(run.send("{\"type\":\"second\"}"));

        try (SocketChannel app = connect(socket)) {
            BufferedReader in = reader(app);
            assertEquals("\"shutdown\"", in.readLine());
            assertEquals("{\"type\":\"second\"}", in.readLine());
            assertTrue(run.send("\"third\""), "and after");
            assertEquals("\"third\"", in.readLine());
        }
    }

    @Test
    void theAppsLinesReachTheDaemon() throws Exception {
        channels = new NodeChannels(dir.resolve("ipc.sock"));
        Path socket = channels.start();
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        channels.register(TOKEN, heard::add);

        try (SocketChannel app = connect(socket)) {
            OutputStream out = Channels.newOutputStream(app);
            out.write("\"ready\"\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals("\"ready\"", heard.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anEndedRunTakesNothingAndItsWaitingLinesAreDropped() throws Exception {
        channels = new NodeChannels(dir.resolve("ipc.sock"));
        channels.start();
        NodeChannels.Run run = channels.register(TOKEN, line -> {});
        assertTrue(run.send("\"shutdown\""));

        channels.unregister(TOKEN);

        assertFalse(run.send("\"shutdown\""), "nobody will connect for an ended run: the caller signals instead");
    }

    @Test
    void anUnknownTokenIsHungUpOnAndAnEndedRunsConnectionIsClosed() throws Exception {
        channels = new NodeChannels(dir.resolve("ipc.sock"));
        Path socket = channels.start();
        try (SocketChannel stranger = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            stranger.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(stranger);
            out.write("{\"token\":\"abcd\"}\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals(null, reader(stranger).readLine(), "closed: end of file");
        }
        NodeChannels.Run run = channels.register(TOKEN, line -> {});
        try (SocketChannel app = connect(socket)) {
            BufferedReader in = reader(app);
            assertTrue(run.send("\"hello\""));
            assertEquals("\"hello\"", in.readLine());
            channels.unregister(TOKEN);
            assertEquals(null, in.readLine(), "the ended run's connection is closed");
        }
    }

    @Test
    void aConnectionTheAppClosedTakesNothingMore() throws Exception {
        channels = new NodeChannels(dir.resolve("ipc.sock"));
        Path socket = channels.start();
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        NodeChannels.Run run = channels.register(TOKEN, heard::add);
        try (SocketChannel app = connect(socket)) {
            OutputStream out = Channels.newOutputStream(app);
            out.write("\"ready\"\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals("\"ready\"", heard.poll(10, TimeUnit.SECONDS), "connected");
        }
        Deadline deadline = Deadline.in(Duration.ofSeconds(10));
        boolean taken = true;
        while (taken && !deadline.passed()) {
            taken = run.send("\"shutdown\"");
            Thread.sleep(10); // polling the daemon's side with a deadline
        }
        assertFalse(taken, "the app's close is seen: the caller signals instead");
    }

    @Test
    void aRunThatNeverConnectsHoldsOnlyAFewLines() throws Exception {
        channels = new NodeChannels(dir.resolve("ipc.sock"));
        channels.start();
        NodeChannels.Run run = channels.register(TOKEN, line -> {});
        int taken = 0;
        while (run.send("\"message " + taken + "\"") && taken < 1_000) {
            taken++;
        }
        assertEquals(64, taken);
    }

    private static SocketChannel connect(Path socket) throws Exception {
        SocketChannel app = SocketChannel.open(StandardProtocolFamily.UNIX);
        app.connect(UnixDomainSocketAddress.of(socket));
        OutputStream out = Channels.newOutputStream(app);
        out.write(("{\"token\":\"" + TOKEN + "\"}\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return app;
    }

    private static BufferedReader reader(SocketChannel app) {
        return new BufferedReader(new InputStreamReader(Channels.newInputStream(app), StandardCharsets.UTF_8));
    }
}
