package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SocketConnectionsTest {
    private static final int SELF = (int) ProcessHandle.current().pid();
    /** Above Linux's pid_max (2^22): no process has it. */
    private static final int NOBODY = 4_999_999;

    @Test
    void theEstablishedConnectionsOnTheSharedPortAreCounted() throws Exception {
        try (ServerSocket shared = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), shared.getLocalPort());
                Socket accepted = shared.accept();
                Socket another = new Socket(InetAddress.getLoopbackAddress(), shared.getLocalPort());
                Socket acceptedToo = shared.accept()) {
            Map<Integer, Long> counts = SocketConnections.countAll(Map.of(
                    SELF, Set.of(shared.getLocalPort()),
                    NOBODY, Set.of(shared.getLocalPort())));
            // the accepted ends: local port the shared one, established; the listener and the clients' ends are not
            assertEquals(2L, counts.get(SELF));
            assertEquals(-1L, counts.get(NOBODY), "/proc cannot tell");
            assertEquals(0L, SocketConnections.countAll(Map.of(SELF, Set.of())).get(SELF), "no shared port");
        }
    }

    @Test
    void aListWaitsOnlyForARunNotCountedYetThenServesTheLastCount() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (ServerSocket shared = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            SocketConnections connections = new SocketConnections(vertx);
            Map<Integer, Set<Integer>> all = Map.of(SELF, Set.of(shared.getLocalPort()));
            assertNull(connections.of(SELF));
            connections
                    .fresh(all, List.of(SELF))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals(0L, connections.of(SELF), "counted before the list goes on");
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), shared.getLocalPort());
                    Socket accepted = shared.accept()) {
                // a fresh count is served as it is: the new connection shows at a later list
                connections
                        .fresh(all, List.of(SELF))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                assertEquals(0L, connections.of(SELF));
            }
            connections
                    .fresh(Map.of(), List.of())
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertNull(connections.of(SELF), "the counts of runs gone are dropped");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
