package io.jpm.satan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.HealthCheck;
import io.jpm.testkit.Eventually;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each probe kind against real sockets and real commands: what passes, what fails, and why. */
@ExtendWith(VertxExtension.class)
class HealthProbesTest {
    @TempDir
    Path dir;

    /** Short, for the failures that must time out. */
    private static HealthCheck check(HealthCheck.Kind kind, String target) {
        return new HealthCheck(kind, target, 1000, 300, 3, 0);
    }

    /** Generous, for the passes: the first probe loads the client classes on a busy machine. */
    private static HealthCheck patient(HealthCheck.Kind kind, String target) {
        return new HealthCheck(kind, target, 20_000, 10_000, 3, 0);
    }

    private static HttpServer server(Vertx vertx) {
        return vertx.createHttpServer()
                .requestHandler(req -> {
                    switch (req.path()) {
                        case "/ok" -> req.response().end("ok");
                        case "/moved" -> req.response()
                                .setStatusCode(302)
                                .putHeader("location", "/ok")
                                .end();
                        case "/broken" -> req.response().setStatusCode(503).end();
                        default -> {} // never answered: a hung app
                    }
                })
                .listen(0, "127.0.0.1")
                .await();
    }

    @Test
    void httpPassesOn2xxAnd3xxOnThePortOrAFullUrl(Vertx vertx, VertxTestContext test) {
        int port = server(vertx).actualPort();
        HealthProbes probes = new HealthProbes(vertx);
        probes.probe(patient(HealthCheck.Kind.HTTP, "/ok"), port, "/", Map.of())
                .compose(v -> probes.probe(patient(HealthCheck.Kind.HTTP, "/moved"), port, "/", Map.of()))
                .compose(v -> probes.probe(
                        patient(HealthCheck.Kind.HTTP, "http://127.0.0.1:" + port + "/ok"), null, "/", Map.of()))
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void httpFailsOn5xxAndOnSilenceAndWithoutPort(Vertx vertx, VertxTestContext test) {
        int port = server(vertx).actualPort();
        HealthProbes probes = new HealthProbes(vertx);
        probes.probe(patient(HealthCheck.Kind.HTTP, "/broken"), port, "/", Map.of())
                .recover(e -> {
                    test.verify(() -> assertEquals("answered HTTP 503", e.getMessage()));
                    return probes.probe(check(HealthCheck.Kind.HTTP, "/hang"), port, "/", Map.of());
                })
                .recover(e -> {
                    test.verify(() -> assertEquals("timed out after 300 ms", e.getMessage()));
                    return probes.probe(check(HealthCheck.Kind.HTTP, "/ok"), null, "/", Map.of());
                })
                .onComplete(ar -> test.verify(() -> {
                    assertTrue(ar.failed() && ar.cause().getMessage().contains("no PORT"), String.valueOf(ar.cause()));
                    test.completeNow();
                }));
    }

    @Test
    void tcpPassesOnConnectAndFailsOnAClosedPort(Vertx vertx, VertxTestContext test) throws Exception {
        NetServer server = vertx.createNetServer()
                .connectHandler(socket -> socket.close())
                .listen(0, "127.0.0.1")
                .await();
        // bound but never listening: a connect is refused, and no other process can take the port
        // meanwhile, as it could a port closed a moment ago
        Socket refusing = new Socket();
        refusing.bind(new InetSocketAddress("127.0.0.1", 0));
        int refusingPort = refusing.getLocalPort();
        HealthProbes probes = new HealthProbes(vertx);
        probes.probe(patient(HealthCheck.Kind.TCP, "PORT"), server.actualPort(), "/", Map.of())
                .compose(v -> probes.probe(
                        patient(HealthCheck.Kind.TCP, "127.0.0.1:" + server.actualPort()), null, "/", Map.of()))
                .onComplete(test.succeeding(v -> probes.probe(
                                check(HealthCheck.Kind.TCP, Integer.toString(refusingPort)), null, "/", Map.of())
                        .onComplete(ar -> test.verify(() -> {
                            refusing.close();
                            assertTrue(ar.failed(), "a port nobody listens on fails");
                            test.completeNow();
                        }))));
    }

    @Test
    void execPassesOnExitZeroFailsWithTheCodeAndIsKilledAtItsTimeout(Vertx vertx, VertxTestContext test)
            throws Exception {
        Path pidFile = dir.resolve("probe.pid");
        HealthProbes probes = new HealthProbes(vertx);
        probes.probe(
                        patient(HealthCheck.Kind.EXEC, "test \"$WHO\" = satan"),
                        null,
                        dir.toString(),
                        Map.of("WHO", "satan"))
                .compose(v -> probes.probe(patient(HealthCheck.Kind.EXEC, "exit 4"), null, dir.toString(), Map.of()))
                .recover(e -> {
                    test.verify(() -> assertEquals("exited with code 4", e.getMessage()));
                    return probes.probe(
                            check(HealthCheck.Kind.EXEC, "echo $$ > " + pidFile + "; sleep 30; true"),
                            null,
                            dir.toString(),
                            Map.of());
                })
                .onComplete(ar -> test.verify(() -> {
                    assertEquals("timed out after 300 ms (killed)", ar.cause().getMessage());
                    long pid = Long.parseLong(Files.readString(pidFile).trim());
                    Eventually.until(
                            "the probe's shell to be killed",
                            Duration.ofSeconds(10),
                            () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
                    test.completeNow();
                }));
    }
}
