package io.jpm.cli.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.cli.CliException;
import io.jpm.protocol.JpmHome;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon this client spawned that exits at start while another daemon holds the home (its keeper's,
 * started again while the client looked for one: seen after `jpm update` on a loaded machine) is not a
 * failure: the client takes the daemon that holds the home.
 */
class DaemonSpawnTest {
    @TempDir
    Path dir;

    @Test
    void aSpawnThatLostTheHomeToAnotherDaemonConnectsToThatOne() throws Exception {
        JpmHome home = home();
        Process holder = holdLock(home);
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread door = new Thread(() -> answerPing(other));
            door.setDaemon(true);
            door.start();
            Process lost = new ProcessBuilder("sh", "-c", "exit 1").start();
            lost.waitFor(10, TimeUnit.SECONDS);
            try (BridgeClient client = new DaemonSpawn(home).awaitAnswer(lost, connectingTo(other))) {
                assertNotNull(client, "the client to the daemon that holds the home");
            }
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSpawnThatExitedWithTheHomeFreeFailsSayingSo() throws Exception {
        JpmHome home = home();
        Process failed = new ProcessBuilder("sh", "-c", "exit 1").start();
        failed.waitFor(10, TimeUnit.SECONDS);
        CliException e = assertThrows(CliException.class, () -> new DaemonSpawn(home).awaitAnswer(failed, () -> null));
        assertTrue(e.getMessage().startsWith("the daemon exited at start (code 1)"), e.getMessage());
    }

    /**
     * A keeper that runs the updated keeper script (jpm update) execs in its own process, and its command
     * line reads empty for a moment: looked at during its exec it is still this home's keeper. Regression:
     * taken for dead, the update's command spawned a daemon of its own, which restarted every app.
     */
    @Test
    void aKeeperInTheMiddleOfItsExecIsStillTheKeeper() throws Exception {
        JpmHome home = home();
        // a stand-in keeper: the home's keeper.pl execs itself again and again, as an update does once
        Files.writeString(home.keeperScript(), "my $n = shift; exit 0 if $n <= 0; exec { $^X } $^X, $0, $n - 1;\n");
        Process keeper = new ProcessBuilder("perl", home.keeperScript().toString(), "1000000").start();
        try {
            Files.writeString(home.keeperPid(), keeper.pid() + "\n");
            DaemonSpawn spawn = new DaemonSpawn(home);
            int missed = 0;
            for (int look = 0; look < 300; look++) {
                if (spawn.liveKeeper() == null) {
                    missed++;
                }
            }
            assertTrue(keeper.isAlive(), "the stand-in still execs");
            assertEquals(0, missed, "looks that took the keeper for dead, of 300");
        } finally {
            keeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private JpmHome home() throws IOException {
        Path root = Files.createDirectory(dir.resolve("home"));
        return new JpmHome(root);
    }

    /** Another process holding the home's lock as a daemon does (fcntl, as the JDK's FileLock): python's lockf. */
    private static Process holdLock(JpmHome home) throws Exception {
        Process holder = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import fcntl,sys,time\nf=open(sys.argv[1],'a')\nfcntl.lockf(f,fcntl.LOCK_EX)\n"
                                + "print('held',flush=True)\ntime.sleep(60)",
                        home.daemonLock().toString())
                .redirectErrorStream(true)
                .start();
        byte[] said = holder.getInputStream().readNBytes(5);
        assertTrue(new String(said, StandardCharsets.UTF_8).startsWith("held"), "the lock held");
        return holder;
    }

    /** The other daemon's door: it answers a client's ping (a frame: length, then JSON), as the bridge does. */
    private static void answerPing(ServerSocket other) {
        try (Socket client = other.accept()) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            in.readFully(new byte[in.readInt()]);
            byte[] pong = "{\"type\":\"pong\"}".getBytes(StandardCharsets.UTF_8);
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            out.writeInt(pong.length);
            out.write(pong);
            out.flush();
            in.read(); // until the client closes
        } catch (IOException e) {
            // the test's assertion says what went wrong
        }
    }

    private static Supplier<BridgeClient> connectingTo(ServerSocket other) {
        return () -> {
            try {
                return BridgeClient.connect("127.0.0.1", other.getLocalPort(), "t", 5000, 5000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
