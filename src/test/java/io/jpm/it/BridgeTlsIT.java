package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The bridge over TLS (jpm.json's bridge.tls_key/tls_cert, docs/SECURITY.md "TLS at the doors"),
 * against real daemons: one on 0.0.0.0 with a self-signed certificate answers {@code jpm ls} and a
 * raw TLS client's frame, gives a plain-text client nothing, and a CLI that trusts another
 * certificate refuses to talk to it (one line, non-zero exit, no second daemon started); a CA's
 * certificate is checked with the host name; a bridge off loopback without TLS stops the daemon's
 * start with one line naming the settings, unless bridge.insecure_no_tls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithoutTuning
class BridgeTlsIT {
    private TestCerts certs;
    /** A daemon whose bridge listens on 0.0.0.0 with TLS, its own certificate pinned. */
    private Jpm jpm;

    @BeforeAll
    void daemonWithTlsOnEveryAddress() throws Exception {
        certs = new TestCerts();
        certs.selfSigned("bridge");
        certs.selfSigned("other");
        jpm = new Jpm();
        Files.createDirectories(jpm.home);
        Files.copy(certs.file("bridge.key"), jpm.home.resolve("bridge.key"));
        // a relative path (from JPM_HOME) for the key, an absolute one for the cert: both are taken
        settings(
                jpm,
                new JsonObject()
                        .put("host", "0.0.0.0")
                        .put("tls_key", "bridge.key")
                        .put("tls_cert", certs.file("bridge.crt").toString()));
        jpm.ok("ping");
    }

    @AfterAll
    void stopTheDaemon() throws IOException {
        if (jpm != null) {
            jpm.close();
        }
    }

    private static void settings(Jpm jpm, JsonObject bridge) throws IOException {
        jpm.settings(new JsonObject().put("bridge", bridge));
    }

    private static JsonObject daemonJson(Jpm jpm) throws IOException {
        return new JsonObject(Files.readString(jpm.home.resolve("daemon.json")));
    }

    @Test
    void jpmLsAnswersOverTls() throws IOException {
        JsonObject daemon = daemonJson(jpm);
        assertEquals("0.0.0.0", daemon.getString("bridgeHost"));
        assertNotNull(daemon.getJsonObject("bridgeTls"), daemon.encodePrettily());
        assertFalse(daemon.getJsonObject("bridgeTls").getBoolean("checkHostName"));
        Jpm.Result ls = jpm.ok("ls");
        assertTrue(ls.out().contains("│ id │ name"), ls.toString());
        jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "over-tls");
        jpm.awaitStatus("over-tls", "online");
        jpm.ok("delete", "all");
    }

    @Test
    void aRawTlsClientsFrameIsAnswered() throws Exception {
        int port = daemonJson(jpm).getInteger("bridgePort");
        try (SSLSocket socket = (SSLSocket)
                TestCerts.trusting(certs.file("bridge.crt")).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            writeFrame(socket, ping());
            JsonObject reply = new JsonObject(new String(readFrame(socket.getInputStream()), StandardCharsets.UTF_8));
            assertEquals("message", reply.getString("type"), reply.encode());
            assertEquals("tls.reply.1", reply.getString("address"));
            assertTrue(reply.getJsonObject("body").getJsonObject("data").getBoolean("pong"), reply.encode());
        }
    }

    @Test
    void aPlainTextClientGetsNothing() throws IOException {
        int port = daemonJson(jpm).getInteger("bridgePort");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            writeFrame(socket, ping());
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean closed = false;
            try {
                InputStream in = socket.getInputStream();
                for (int b = in.read(); b >= 0; b = in.read()) {
                    got.write(b);
                }
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true; // reset by the daemon
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            assertTrue(closed, "the daemon should close a plain-text connection; got " + text);
            assertFalse(text.contains("pong") || text.contains("\"type\""), "a plain-text client got a frame: " + text);
        }
    }

    @Test
    void aCliTrustingAnotherCertificateRefusesToTalk() throws IOException {
        long pid = jpm.daemonPid();
        Jpm.Result refused =
                jpm.cli(Map.of("JPM_BRIDGE_CA", certs.file("other.crt").toString()), "ls");
        assertNotEquals(0, refused.exit(), refused.toString());
        assertEquals(1, refused.err().strip().lines().count(), refused.toString());
        assertTrue(
                refused.err().contains("failed the TLS check against JPM_BRIDGE_CA (" + certs.file("other.crt") + ")"),
                refused.toString());
        assertTrue(refused.err().contains("never falls back to plain text"), refused.toString());
        assertFalse(refused.out().contains("│ id │"), refused.toString());
        assertFalse(refused.err().contains("Spawning"), refused.toString());
        assertEquals(pid, jpm.daemonPid());
        // the right file in the same variable is taken
        jpm.ok("ping");
        assertEquals(
                0,
                jpm.cli(Map.of("JPM_BRIDGE_CA", certs.file("bridge.crt").toString()), "ping")
                        .exit());
    }

    /** Another process on the bridge's port (or in the way) that shows another certificate is not talked to. */
    @Test
    void aBridgeShowingAnotherCertificateThanDaemonJsonSaysIsRefused() throws IOException {
        Path file = jpm.home.resolve("daemon.json");
        String kept = Files.readString(file);
        JsonObject daemon = new JsonObject(kept);
        daemon.getJsonObject("bridgeTls").put("certificates", Files.readString(certs.file("other.crt")));
        Files.writeString(file, daemon.encodePrettily());
        // the CLI's own Unix socket (jpm.sock) needs no TLS: set aside, the CLI takes the TLS port
        Path socket = jpm.home.resolve("jpm.sock");
        Path aside = jpm.home.resolve("jpm.sock.aside");
        Files.move(socket, aside);
        try {
            Jpm.Result refused = jpm.cli("ls");
            assertNotEquals(0, refused.exit(), refused.toString());
            assertTrue(
                    refused.err().contains("failed the TLS check against daemon.json's bridgeTls"), refused.toString());
            assertFalse(refused.err().contains("Spawning"), refused.toString());
        } finally {
            Files.writeString(file, kept);
            Files.move(aside, socket);
        }
    }

    @Test
    void aBridgeOffLoopbackWithoutTlsStopsTheStartWithOneLine() throws IOException {
        try (Jpm plain = new Jpm()) {
            Map<String, String> everywhere = Map.of("JPM_BRIDGE_HOST", "0.0.0.0");
            Jpm.Result refused = plain.cli(everywhere, "ls");
            assertNotEquals(0, refused.exit(), refused.toString());
            assertTrue(
                    refused.err()
                            .contains(
                                    "bridge: refusing to listen on 0.0.0.0 (not loopback) in plain text: set bridge.tls_key and"
                                            + " bridge.tls_cert in jpm.json, or bridge.insecure_no_tls true"),
                    refused.toString());
            assertFalse(Files.exists(plain.home.resolve("daemon.json")));
            assertFalse(Files.exists(plain.home.resolve("jpm.pid")));
            // the user's own TLS terminator in front: said in so many words
            settings(plain, new JsonObject().put("insecure_no_tls", true));
            plain.cli(everywhere, "ping");
            Jpm.Result ls = plain.cli(everywhere, "ls");
            assertEquals(0, ls.exit(), ls.toString());
            assertEquals("0.0.0.0", daemonJson(plain).getString("bridgeHost"));
            assertFalse(daemonJson(plain).containsKey("bridgeTls"));
        }
    }

    @Test
    void aCasCertificateMustNameTheHostTheCliConnectsTo() throws IOException {
        certs.selfSigned("ca");
        certs.signed("named", "ca", "IP:127.0.0.1");
        certs.signed("unnamed", "ca", "DNS:elsewhere.example");
        for (String cert : new String[] {"named", "unnamed"}) {
            try (Jpm other = new Jpm()) {
                settings(
                        other,
                        new JsonObject()
                                .put("tls_key", certs.file(cert + ".key").toString())
                                .put("tls_cert", certs.file(cert + ".crt").toString())
                                .put("tls_ca", certs.file("ca.crt").toString()));
                // JPM_BRIDGE_CA asks for the TLS port (not jpm.sock) and trusts the CA, host name checked as
                // daemon.json says
                Jpm.Result ls =
                        other.cli(Map.of("JPM_BRIDGE_CA", certs.file("ca.crt").toString()), "ls");
                if (cert.equals("named")) {
                    assertEquals(0, ls.exit(), ls.toString());
                    assertTrue(daemonJson(other).getJsonObject("bridgeTls").getBoolean("checkHostName"));
                } else {
                    assertNotEquals(0, ls.exit(), ls.toString());
                    assertTrue(ls.err().contains("(with its host name)"), ls.toString());
                    assertTrue(ls.err().contains("127.0.0.1"), ls.toString());
                }
            }
        }
    }

    @Test
    void aBadKeyFileIsNamedAtStart() throws IOException {
        try (Jpm bad = new Jpm()) {
            settings(
                    bad,
                    new JsonObject()
                            .put("tls_key", certs.file("bridge.crt").toString())
                            .put("tls_cert", certs.file("bridge.crt").toString()));
            Jpm.Result refused = bad.cli("ls");
            assertNotEquals(0, refused.exit(), refused.toString());
            assertTrue(
                    refused.err()
                            .contains("bridge: option 'tls_key': " + certs.file("bridge.crt")
                                    + " holds no PEM private key"),
                    refused.toString());
        }
    }

    private static JsonObject ping() throws IOException {
        return new JsonObject()
                .put("type", "send")
                .put("address", "jpm.query.ping")
                .put("replyAddress", "tls.reply.1")
                .put("body", new JsonObject())
                .put("headers", new JsonObject().put("token", "PLACEHOLDER"));
    }

    private void writeFrame(Socket socket, JsonObject frame) throws IOException {
        frame.getJsonObject("headers").put("token", RawBridge.token(jpm.home, "token.readonly"));
        byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    private static byte[] readFrame(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }
}
