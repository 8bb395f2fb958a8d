package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Eventually;
import io.jpm.testkit.Ports;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Servers sharing one port, each replaced by the next on the other event loop while clients connect
 * all along (as a redeployed balancer replaces a hung one): every connection is answered, and the
 * port closes once the last one goes (the shared socket's bookkeeping stays right).
 */
class SharedPortExitTest {

    /** A server on {@code port} that answers "ok" and leaves the port with the stepped exit. */
    private static final class Generation extends VerticleBase {
        private final int port;
        NetServer server;

        Generation(int port) {
            this.port = port;
        }

        @Override
        public Future<?> start() {
            server = vertx.createNetServer(new NetServerOptions()
                            .setHost("127.0.0.1")
                            .setPort(port)
                            .setReuseAddress(true))
                    .connectHandler(s -> s.end(Buffer.buffer("ok")));
            return server.listen();
        }

        @Override
        public Future<?> stop() {
            return SharedPortExit.shutdown(vertx, server, () -> server.shutdown(5, TimeUnit.SECONDS));
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String fetch(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(20_000);
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void replacedServersLeaveASharedPortWithoutClosingAClientUnanswered() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            int port = Ports.free(); // a fixed port, as a balanced app's public one (port 0 is never shared)
            Generation first = new Generation(port);
            String id = await(vertx.deployVerticle(first));
            AtomicLong ok = new AtomicLong();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            List<Thread> clients = new ArrayList<>();
            AtomicLong running = new AtomicLong(1);
            for (int i = 0; i < 2; i++) {
                Thread t = new Thread(() -> {
                    while (running.get() == 1) {
                        try {
                            String answer = fetch(port);
                            if (answer.equals("ok")) {
                                ok.incrementAndGet();
                            } else {
                                failures.add("answer '" + answer + "'");
                            }
                        } catch (IOException e) {
                            failures.add(e.toString());
                        }
                    }
                });
                t.setDaemon(true);
                clients.add(t);
                t.start();
            }
            Generation current = first;
            for (int k = 0; k < 50; k++) {
                long before = ok.get();
                Generation next = new Generation(port);
                String nextId = await(vertx.deployVerticle(next, new DeploymentOptions()));
                assertTrue(SharedPortExit.stepwise(current.server), "the stepped exit applies to this Vert.x");
                await(vertx.undeploy(id));
                id = nextId;
                current = next;
                // the clients get some answers between two replacements
                int replacement = k;
                Eventually.until(
                        () -> "answers after replacement " + replacement + ": " + (ok.get() - before),
                        Duration.ofSeconds(30),
                        () -> ok.get() >= before + 10 || !failures.isEmpty());
            }
            running.set(0);
            for (Thread t : clients) {
                t.join(30_000);
            }
            assertEquals(List.of(), failures, "every connection answered (" + ok.get() + " were)");
            await(vertx.undeploy(id));
            // the port closes with its last server: a connect that races the close may still be
            // accepted by the closing socket and reset; soon every connect is refused
            Eventually.until("the port to close with its last server", Duration.ofSeconds(10), () -> {
                try {
                    fetch(port);
                    return false;
                } catch (ConnectException refused) {
                    return true;
                } catch (IOException reset) {
                    return false; // accepted by the closing socket, then reset: try again
                }
            });
        } finally {
            await(vertx.close());
        }
    }
}
