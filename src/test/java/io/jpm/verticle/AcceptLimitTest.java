package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Eventually;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A limited server takes no more connections than its limit while they stay open (the
 * rest wait in the kernel's queue, not in the daemon), and takes the next ones as those close.
 */
class AcceptLimitTest {
    private static final int LIMIT = 4;
    private static final int CLIENTS = 40;

    private Vertx vertx;
    private final List<Socket> clients = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (Socket client : clients) {
            client.close();
        }
        if (vertx != null) {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /**
     * With epoll (the daemon's transport, DaemonMain) and NIO (JPM_NATIVE_TRANSPORT=0) alike: the limit,
     * or one more when a close lets the listening channel read again twice at once (its event and the
     * read it schedules each accept one before the limit is seen).
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aLimitedServerHoldsItsLimitAndTakesMoreAsConnectionsClose(boolean epoll) throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(epoll));
        int most = LIMIT + 1;
        ConcurrentLinkedQueue<NetSocket> held = new ConcurrentLinkedQueue<>();
        NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1"))
                .connectHandler(held::add);
        server.listen(0).await(10, TimeUnit.SECONDS);
        assertTrue(AcceptLimit.apply(server, LIMIT, "test"), "the listening channel of this Vert.x was not found");
        for (int i = 0; i < CLIENTS; i++) {
            Socket client = new Socket();
            // the kernel completes the handshake: connected, whether the server took it or not
            client.connect(new InetSocketAddress("127.0.0.1", server.actualPort()), 5000);
            clients.add(client);
        }
        for (int closed = 0; closed < CLIENTS; closed++) {
            int expected = Math.min(LIMIT, CLIENTS - closed);
            Eventually.until("the server to take " + expected + " connections", () -> held.size() >= expected);
            assertTrue(held.size() <= most, held.size() + " connections taken at once, above " + most);
            assertTrue(openOn(server) <= most, openOn(server) + " connections accepted, above " + most);
            held.poll().close().await(5, TimeUnit.SECONDS);
        }
        Eventually.until("every connection counted off", () -> openOn(server) == 0);
    }

    private static int openOn(NetServer server) {
        try {
            return AcceptLimit.open(server);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aServerThatIsNotListeningIsLeftAsItIs() {
        vertx = Vertx.vertx();
        NetServer server = vertx.createNetServer();
        assertFalse(AcceptLimit.apply(server, LIMIT, "test"));
    }
}
