package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
class ClusterCertIT {
    private Path pki;
    private ClusterHosts cluster;

    @BeforeAll
    void startThreeDaemonsWithTheirOwnCertificates() throws Exception {
        pki = Files.createTempDirectory("jpm-it-pki-");
        authority("ca");
        for (String node : ClusterHosts.NODES) {
            member(node, "ca");
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
        assertTrue(log.contains("with key " + pki.resolve("web-2.key")), log);
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
        Files.writeString(pki.resolve("not-a-cert.pem"), "hello\n");
        cluster.writeSettings(
                bad,
                "web-bad",
                Ports.free(),
                keys("web-1", "ca").put("cert", pki.resolve("not-a-cert.pem").toString()));
        Jpm.Result refused = bad.cli("ping");
        assertNotEquals(0, refused.exit(), refused.toString());
        String log = bad.readLog(bad.home.resolve("daemon.log").toString());
        List<String> lines =
                log.lines().filter(l -> l.contains("cannot join the cluster")).toList();
        assertEquals(1, lines.size(), log);
        assertTrue(
                lines.get(0)
                        .contains("cluster: option 'cert': " + pki.resolve("not-a-cert.pem")
                                + " is not a PEM certificate"),
                log);
    }

    /** Same secret, so Hazelcast takes it in; the bus's TLS does not, so it never answers. */
    @Test
    @Order(3)
    void aMemberWhoseCertificateAnotherCaSignedIsNeverAnswered() throws Exception {
        authority("other-ca");
        member("web-4", "other-ca");
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

    private JsonObject keys(String node, String ca) {
        return new JsonObject()
                .put("key", pki.resolve(node + ".key").toString())
                .put("cert", pki.resolve(node + ".crt").toString())
                .put("ca", pki.resolve(ca + ".crt").toString());
    }

    private void authority(String name) throws Exception {
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + name,
                "-keyout",
                name + ".key",
                "-out",
                name + ".crt");
    }

    private void member(String node, String ca) throws Exception {
        openssl(
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-subj",
                "/CN=" + node,
                "-keyout",
                node + ".key",
                "-out",
                node + ".csr");
        openssl(
                "x509",
                "-req",
                "-in",
                node + ".csr",
                "-CA",
                ca + ".crt",
                "-CAkey",
                ca + ".key",
                "-CAcreateserial",
                "-days",
                "2",
                "-out",
                node + ".crt");
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(pki.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }
}
