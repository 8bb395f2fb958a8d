package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The user's own key and certificate for the event bus (docs/CLUSTER.md, options key, cert, ca):
 * three daemons, each with its own key and a certificate signed by one CA (made here with
 * openssl), form the bus without cluster.p12; a bad file is refused in one line naming the
 * option; a member whose certificate another CA signed is never answered over the bus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WithoutTuning
class ClusterCertIT {
    private TestCerts certs;
    private ClusterHosts cluster;

    @BeforeAll
    void startThreeDaemonsWithTheirOwnCertificates() throws Exception {
        certs = new TestCerts();
        certs.selfSigned("ca");
        for (String node : ClusterHosts.NODES) {
            certs.signed(node, "ca", null);
        }
        cluster = new ClusterHosts(node -> keys(node, "ca"));
        cluster.awaitEveryHostListed(cluster.get("web-1"));
    }

    @AfterAll
    void killEveryDaemon() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void membersWithCertificatesOfOneCaActOnEachOther() throws IOException {
        String log = cluster.get("web-2")
                .readLog(cluster.get("web-2").home.resolve("daemon.log").toString());
        assertTrue(log.contains("with key " + certs.file("web-2.key")), log);
        long before = cluster.pidOn("web-3", "api");
        cluster.get("web-2").ok("restart", "api@web-3");
        assertNotEquals(
                before, cluster.get("web-3").awaitStatus("api", "online").get(0).getLong("pid"));
    }

    @Test
    @Order(2)
    void aFileThatIsNoCertificateIsRefusedNamingTheOption() throws Exception {
        Jpm bad = cluster.track(new Jpm());
        cluster.shareKeys(bad);
        Files.writeString(certs.file("not-a-cert.pem"), "hello\n");
        cluster.writeSettings(
                bad,
                "web-bad",
                Ports.free(),
                keys("web-1", "ca").put("cert", certs.file("not-a-cert.pem").toString()));
        assertRefusedInOneLine(
                bad, "cluster: option 'cert': " + certs.file("not-a-cert.pem") + " is not a PEM certificate");
    }

    /** Same secret, so Hazelcast takes it in; the bus's TLS does not, so it never answers. */
    @Test
    @Order(3)
    void aMemberWhoseCertificateAnotherCaSignedIsNeverAnswered() throws Exception {
        certs.selfSigned("other-ca");
        certs.signed("web-4", "other-ca", null);
        Jpm stranger = cluster.track(new Jpm());
        cluster.shareKeys(stranger);
        cluster.writeSettings(stranger, "web-4", Ports.free(), keys("web-4", "other-ca"));
        stranger.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "stranger-app");
        cluster.get("web-1")
                .awaitLog(cluster.get("web-1").home.resolve("daemon.log").toString(), "member web-4");
        // each waits timeout_ms for web-4's answer that never comes: both at once, not one after the other
        CompletableFuture<Jpm.Result> jlist =
                CompletableFuture.supplyAsync(() -> cluster.get("web-1").ok("jlist", "--all"));
        Jpm.Result ls = cluster.get("web-1").ok("ls", "--all");
        assertTrue(ls.out().contains("web-4: unreachable"), ls.toString());
        assertTrue(!ls.out().contains("stranger-app"), ls.toString());
        JsonArray all = new JsonArray(jlist.get().out());
        assertEquals(6, all.size(), all.encodePrettily());
        stranger.close();
    }

    /**
     * The cluster's own keystore (no key options), made by another {@code jpm cluster init} than the
     * secret: refused at the start in one line naming the file, not deep in a TLS context.
     */
    @Test
    @Order(4)
    void aKeystoreOfAnotherSecretIsRefusedNamingTheFile() throws Exception {
        Jpm other = cluster.track(new Jpm());
        other.ok("cluster", "init");
        Jpm mixed = cluster.track(new Jpm());
        cluster.shareKeys(mixed);
        Files.copy(
                other.home.resolve("cluster.p12"),
                mixed.home.resolve("cluster.p12"),
                StandardCopyOption.REPLACE_EXISTING);
        cluster.writeSettings(mixed, "web-mixed", Ports.free(), new JsonObject());
        assertRefusedInOneLine(
                mixed,
                "cluster: " + mixed.home.resolve("cluster.p12") + " cannot be read with the cluster secret's password");
    }

    /** {@code jpm ping} starts no daemon: the one line of daemon.log that says why holds {@code message}. */
    private static void assertRefusedInOneLine(Jpm jpm, String message) throws IOException {
        Jpm.Result refused = jpm.cli("ping");
        assertNotEquals(0, refused.exit(), refused.toString());
        String log = jpm.readLog(jpm.home.resolve("daemon.log").toString());
        List<String> lines =
                log.lines().filter(l -> l.contains("cannot join the cluster")).toList();
        assertEquals(1, lines.size(), log);
        assertTrue(lines.get(0).contains(message), log);
    }

    private JsonObject keys(String node, String ca) {
        return new JsonObject()
                .put("key", certs.file(node + ".key").toString())
                .put("cert", certs.file(node + ".crt").toString())
                .put("ca", certs.file(ca + ".crt").toString());
    }
}
