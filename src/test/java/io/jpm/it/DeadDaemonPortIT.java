package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A daemon that died leaves daemon.json naming its TCP port, which any local user may bind next. A
 * command that finds the daemon's jpm.sock refused (no one listens: the daemon is dead) starts the
 * next daemon; it never tries that port, where another user's listener would be handed the owner's
 * token.
 */
@WithoutTuning
class DeadDaemonPortIT {
    @Test
    void aCommandAfterTheDaemonDiedNeverSendsTheTokenToItsOldPort() throws Exception {
        try (Jpm jpm = new Jpm()) {
            // below the ephemeral range: once the daemon is dead, no outgoing connection takes its port
            // as a source port before the listener below binds it
            int port = Ports.free();
            Map<String, String> env = Map.of("JPM_KEEPER", "0", "JPM_BRIDGE_PORT", Integer.toString(port));
            assertEquals(0, jpm.cli(env, "ping").exit());
            JsonObject info = new JsonObject(Files.readString(jpm.home.resolve("daemon.json")));
            assertEquals(port, info.getInteger("bridgePort"));
            String token = Files.readString(jpm.home.resolve("token")).trim();
            long daemon = jpm.daemonPid();
            new ProcessBuilder("kill", "-KILL", Long.toString(daemon)).start().waitFor();
            Jpm.awaitGone(daemon);

            // another user's listener on the dead daemon's port: whatever reaches it is kept
            ByteArrayOutputStream heard = new ByteArrayOutputStream();
            try (ServerSocket squatter = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                Thread listening = new Thread(() -> keep(squatter, heard), "squatter");
                listening.setDaemon(true);
                listening.start();

                Jpm.Result ls = jpm.cli(Map.of("JPM_KEEPER", "0"), "ls");
                assertEquals(0, ls.exit(), ls.toString());
            }
            String received;
            synchronized (heard) {
                received = heard.toString(StandardCharsets.UTF_8);
            }
            assertEquals(false, received.contains(token), "the token went to the dead daemon's port: " + received);
            assertEquals("", received, "a command connected to the dead daemon's port");
        }
    }

    /** Accepts until the socket closes, keeping what each connection sends. */
    private static void keep(ServerSocket squatter, ByteArrayOutputStream heard) {
        while (true) {
            try (Socket s = squatter.accept()) {
                s.setSoTimeout(2_000);
                InputStream in = s.getInputStream();
                byte[] buffer = new byte[4096];
                int n;
                try {
                    while ((n = in.read(buffer)) > 0) {
                        synchronized (heard) {
                            heard.write(buffer, 0, n);
                        }
                    }
                } catch (SocketTimeoutException e) {
                    // the client waits for an answer that never comes: what it sent is kept
                }
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                return;
            }
        }
    }
}
