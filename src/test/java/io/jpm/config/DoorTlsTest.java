package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doors' TLS options in jpm.json: their checks, and the rule for a door off loopback. */
class DoorTlsTest {
    private static String fails(String json) {
        return assertThrows(JpmException.class, () -> DaemonSettings.parse("jpm.json", json))
                .getMessage();
    }

    @Test
    void bridgeSectionReadsEveryOptionAndTheEnvironmentWinsForHostAndPort() {
        JsonObject section = new JsonObject()
                .put("host", "0.0.0.0")
                .put("port", 9700)
                .put("tls_key", "b.key")
                .put("tls_cert", "b.crt")
                .put("tls_ca", "ca.crt")
                .put("insecure_no_tls", false);
        BridgeSettings settings = BridgeSettings.parse("jpm.json", section);
        assertEquals(
                new BridgeSettings(
                        "0.0.0.0", 9700, new DoorTls("b.key", "b.crt", "ca.crt", false), DoorLimits.DEFAULTS),
                settings);
        assertEquals(BridgeSettings.DEFAULTS, BridgeSettings.parse("jpm.json", new JsonObject()));
        BridgeSettings env =
                settings.withEnvironment(Map.of("JPM_BRIDGE_HOST", "127.0.0.1", "JPM_BRIDGE_PORT", "9800"));
        assertEquals("127.0.0.1", env.host());
        assertEquals(9800, env.port());
        assertEquals("0.0.0.0", settings.withEnvironment(Map.of()).host());
    }

    @Test
    void theBridgePortIsTheDefaultUnlessToldAndZeroMeansAFreeOne() {
        assertEquals(9620, BridgeSettings.parse("jpm.json", new JsonObject()).port());
        assertEquals(
                9620,
                BridgeSettings.DEFAULTS
                        .withEnvironment(Map.of("JPM_BRIDGE_PORT", ""))
                        .port());
        assertEquals(
                0,
                BridgeSettings.DEFAULTS
                        .withEnvironment(Map.of("JPM_BRIDGE_PORT", "0"))
                        .port());
        assertEquals(
                0,
                BridgeSettings.parse("jpm.json", new JsonObject().put("port", 0))
                        .port());
    }

    @Test
    void badOptionsAreRefusedNamingThem() {
        assertTrue(
                fails("{\"bridge\":{\"tls_key\":\"k\"}}").contains("jpm.json: bridge: option 'tls_cert' is missing"));
        assertTrue(fails("{\"web\":{\"tls_cert\":\"c\"}}").contains("jpm.json: web: option 'tls_key' is missing"));
        assertTrue(fails("{\"web\":{\"tls_key\":\"k\",\"tls_cert\":\"c\",\"tls_ca\":\"a\"}}")
                .contains("web: option 'tls_ca' is not a known option"));
        assertTrue(fails("{\"bridge\":{\"tls_ca\":\"a\"}}")
                .contains("bridge: option 'tls_ca' needs tls_key and tls_cert"));
        assertTrue(fails("{\"bridge\":{\"tls_key\":1,\"tls_cert\":\"c\"}}")
                .contains("bridge: option 'tls_key' must be the path of a PEM file, got 1"));
        assertTrue(fails("{\"bridge\":{\"insecure_no_tls\":\"yes\"}}")
                .contains("bridge: option 'insecure_no_tls' must be true or false, got yes"));
        assertTrue(fails("{\"bridge\":{\"tls_crt\":\"c\"}}")
                .contains("bridge: option 'tls_crt' is not a known option (did you mean 'tls_cert'?)"));
        assertTrue(fails("{\"bridge\":{\"port\":70000}}")
                .contains("bridge: option 'port' must be a port number from 0 to 65535, got 70000"));
    }

    @Test
    void offLoopbackAPlainDoorIsRefusedUnlessTheUserSaysSo() {
        assertNull(DoorTls.NONE.refusal("web", "127.0.0.1"));
        assertNull(DoorTls.NONE.refusal("web", "::1"));
        assertNull(DoorTls.NONE.refusal("web", "localhost"));
        String refusal = DoorTls.NONE.refusal("web", "0.0.0.0");
        assertEquals(
                "web: refusing to listen on 0.0.0.0 (not loopback) in plain text: set web.tls_key and web.tls_cert in jpm.json,"
                        + " or web.insecure_no_tls true when a TLS terminator of your own stands in front",
                refusal);
        assertFalse(DoorTls.NONE.refusal("bridge", "::") == null);
        assertNull(new DoorTls(null, null, null, true).refusal("bridge", "0.0.0.0"));
        assertNull(new DoorTls("k", "c", null, false).refusal("bridge", "0.0.0.0"));
    }

    @Test
    void filesAreCheckedAtUseNamingTheOption(@TempDir Path home) throws IOException {
        Files.writeString(home.resolve("not-a-key.pem"), "hello\n");
        Files.writeString(home.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n");
        String missing = assertThrows(JpmException.class, () -> new DoorTls("none.pem", "c.pem", null, false)
                        .resolved(home, "bridge"))
                .getMessage();
        assertEquals("bridge: option 'tls_key': no readable file " + home.resolve("none.pem"), missing);
        String noKey = assertThrows(JpmException.class, () -> new DoorTls("not-a-key.pem", "c.pem", null, false)
                        .resolved(home, "web"))
                .getMessage();
        assertTrue(
                noKey.startsWith(
                        "web: option 'tls_key': " + home.resolve("not-a-key.pem") + " holds no PEM private key"),
                noKey);
        String noCert = assertThrows(JpmException.class, () -> new DoorTls("key.pem", "not-a-key.pem", null, false)
                        .resolved(home, "web"))
                .getMessage();
        assertTrue(noCert.startsWith("web: option 'tls_cert': " + home.resolve("not-a-key.pem")), noCert);
        assertEquals(DoorTls.NONE, DoorTls.NONE.resolved(home, "web"));
    }
}
