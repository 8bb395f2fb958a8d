package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP door over TLS (jpm.json's web.tls_key/tls_cert) against a real daemon: an HTTPS request
 * with the token is answered, one without is refused, plain HTTP gets no answer; and a door asked
 * to listen on 0.0.0.0 without TLS is refused with one line naming the settings, the daemon, its
 * bridge and its apps untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebTlsIT {
    private TestCerts certs;
    private Jpm jpm;
    private int port;

    @BeforeAll
    void daemonWithHttps() throws Exception {
        certs = new TestCerts();
        certs.selfSigned("web");
        jpm = new Jpm();
        jpm.settings(new JsonObject()
                .put(
                        "web",
                        new JsonObject()
                                .put("enabled", true)
                                .put("port", 0)
                                .put("tls_key", certs.file("web.key").toString())
                                .put("tls_cert", certs.file("web.crt").toString())));
        Jpm.Result web = jpm.ok("web");
        Matcher url = Pattern.compile("HTTP server on https://127\\.0\\.0\\.1:(\\d+) ")
                .matcher(web.out());
        assertTrue(url.find(), web.toString());
        port = Integer.parseInt(url.group(1));
    }

    @AfterAll
    void stopTheDaemon() throws IOException {
        if (jpm != null) {
            jpm.close();
        }
    }

    private HttpResponse<String> get(String scheme, String path, String token) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TestCerts.trusting(certs.file("web.crt")))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anHttpsRequestWithTheTokenIsAnswered() throws Exception {
        jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "seen");
        jpm.awaitStatus("seen", "online");
        try {
            HttpResponse<String> answer = get("https", "/api/processes", RawBridge.token(jpm.home, "token.readonly"));
            assertEquals(200, answer.statusCode(), answer.body());
            JsonArray processes = new JsonObject(answer.body()).getJsonArray("data");
            assertEquals("seen", processes.getJsonObject(0).getString("name"), answer.body());
            assertEquals(401, get("https", "/api/processes", null).statusCode());
        } finally {
            jpm.ok("delete", "all");
        }
    }

    @Test
    void plainHttpGetsNoAnswer() {
        assertThrows(
                IOException.class, () -> get("http", "/api/processes", RawBridge.token(jpm.home, "token.readonly")));
    }

    @Test
    void aDoorOnEveryAddressWithoutTlsIsRefusedAndNothingElseMoves() throws IOException {
        try (Jpm plain = new Jpm()) {
            plain.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "keep");
            long pid = plain.awaitStatus("keep", "online").get(0).getInteger("pid");
            Jpm.Result refused = plain.cli("web", "--host", "0.0.0.0", "--port", "0");
            assertNotEquals(0, refused.exit(), refused.toString());
            assertEquals(1, refused.err().strip().lines().count(), refused.toString());
            assertTrue(
                    refused.err()
                            .contains(
                                    "web: refusing to listen on 0.0.0.0 (not loopback) in plain text: set web.tls_key and"
                                            + " web.tls_cert in jpm.json, or web.insecure_no_tls true"),
                    refused.toString());
            assertEquals(
                    null, new JsonObject(Files.readString(plain.home.resolve("daemon.json"))).getValue("httpPort"));
            List<JsonObject> still = plain.named("keep");
            assertEquals(pid, (long) still.get(0).getInteger("pid"));
            assertEquals("online", Jpm.status(still.get(0)));
        }
    }
}
