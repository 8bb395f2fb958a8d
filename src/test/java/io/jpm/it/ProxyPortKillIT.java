package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The public port of the HTTP and TCP modes across a SIGKILL of the daemon: the keeper holds the
 * socket, so a connection made while no daemon runs waits in its queue and the next daemon, which
 * listens on that same socket, answers it, and the app still learns who the client is
 * (X-Forwarded-For, PROXY v2). Regression: the port refused every connection from the kill until
 * the next daemon bound it again (0.5-1.6 s; bench/proxy-port-gap.sh).
 */
@WithoutTuning
class ProxyPortKillIT {
    /** Connections opened while no daemon runs. */
    private static final int DURING_THE_GAP = 5;

    private static JsonObject edgeApp(String name, int port, String balance, String mode) {
        return new JsonObject()
                .put("name", name)
                .put("script", Jpm.fixture("edge_server.py").toString())
                .put("instances", 2)
                .put("port", port)
                .put("balance", balance)
                .put("listen_timeout", 30_000)
                .put("env", new JsonObject().put("MODE", mode));
    }

    @Test
    void httpModeAnswersEveryConnectionMadeWhileNoDaemonRuns() throws Exception {
        try (Jpm jpm = new Jpm()) {
            int port = Ports.free();
            List<Socket> gap = acrossAKill(
                    jpm,
                    edgeApp("web", port, "http", "http"),
                    port,
                    "GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
            for (Socket client : gap) {
                try (client) {
                    String answer = readAll(client);
                    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                    JsonObject headers =
                            new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getJsonObject("headers");
                    assertEquals("127.0.0.1", headers.getString("x-forwarded-for"), answer);
                }
            }
            jpm.ok("delete", "web");
            awaitGivenBack(port);
        }
    }

    @Test
    void tcpModeAnswersEveryConnectionMadeWhileNoDaemonRunsWithItsProxyHeader() throws Exception {
        try (Jpm jpm = new Jpm()) {
            int port = Ports.free();
            List<Socket> gap =
                    acrossAKill(jpm, edgeApp("pp", port, "round-robin", "proxy").put("proxy_protocol", true), port, "");
            for (Socket client : gap) {
                try (client) {
                    assertEquals(
                            "client=127.0.0.1:" + client.getLocalPort(),
                            readAll(client).trim());
                }
            }
            jpm.ok("delete", "pp");
            awaitGivenBack(port);
        }
    }

    /**
     * {@code jpm update} hands the public ports to the next daemon through the keeper as a kill does,
     * and the leaving daemon lets its connections end first: no request fails, whether its client
     * opens a connection per request or keeps one alive (HTTP mode: an idle kept-alive connection is
     * closed, a busy one after its answer, and the client's next request waits in the port's queue).
     * Regressions: the ports refused connections until the new daemon listened; the requests in
     * flight on kept-alive connections died with the old daemon.
     */
    @Test
    void anUpdateFailsNoRequestInEitherMode() throws Exception {
        try (Jpm jpm = new Jpm()) {
            int http = Ports.free();
            int tcp = Ports.free();
            String hello = Jpm.fixture("hello_server.py").toString();
            jpm.ok(Jpm.balancedStart(hello, "web", 2, http, "--balance", "http").toArray(String[]::new));
            jpm.ok(Jpm.balancedStart(hello, "raw", 2, tcp, "--balance", "round-robin")
                    .toArray(String[]::new));
            ClusterIT.awaitReady(jpm, "web", 2);
            ClusterIT.awaitReady(jpm, "raw", 2);
            try (Load kept = Load.keptAliveWithoutRetry(http, 2);
                    Load web = new Load(http, false, 2);
                    Load raw = new Load(tcp, false, 2)) {
                List<Load> loads = List.of(kept, web, raw);
                for (Load load : loads) {
                    load.awaitMore(10);
                }
                int before = jpm.daemonPid();
                jpm.ok("update");
                assertTrue(jpm.daemonPid() != before, "a new daemon");
                for (Load load : loads) {
                    load.awaitMore(10);
                }
                for (Load load : loads) {
                    load.close();
                }
                assertEquals(
                        "0 0 0",
                        kept.failed + " " + web.failed + " " + raw.failed,
                        "failed: kept-alive HTTP, HTTP, TCP: " + kept.report() + "; " + web.report() + "; "
                                + raw.report());
            }
        }
    }

    /**
     * Starts the app, kills the daemon, opens {@link #DURING_THE_GAP} connections ({@code request}
     * sent on each) before the keeper's next daemon answers, and returns them once it does.
     */
    private static List<Socket> acrossAKill(Jpm jpm, JsonObject app, int port, String request) throws Exception {
        jpm.ok("start", jpm.ecosystem(app.getString("name") + ".json", app).toString());
        DaemonAway.awaitRecorded(jpm, ClusterIT.pids(ClusterIT.awaitReady(jpm, app.getString("name"), 2)));
        int daemon = DaemonAway.kill(jpm);
        List<Socket> gap = new ArrayList<>();
        for (int i = 0; i < DURING_THE_GAP; i++) {
            Socket client = new Socket();
            gap.add(client);
            client.connect(new InetSocketAddress("127.0.0.1", port), 10_000); // refused before the keeper held it
            client.setSoTimeout(60_000);
            client.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        }
        DaemonAway.awaitNewDaemon(jpm, daemon);
        return gap;
    }

    private static String readAll(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Neither the daemon nor its keeper holds the public port once its app is deleted. */
    private static void awaitGivenBack(int port) {
        Jpm.await("port " + port + " given back", () -> {
            try (ServerSocket again = new ServerSocket()) {
                again.setReuseAddress(true);
                again.bind(new InetSocketAddress("127.0.0.1", port));
                return true;
            } catch (IOException e) {
                return null;
            }
        });
    }
}
