package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dealer's beat (socket mode without a daemon, docs/ARCHITECTURE.md, "The keeper"): a taker that
 * keeps a copy of the socket hears that the dealing goes on while it is dealt nothing, from the
 * dealer's own thread; a taker without a beat (an older preload) is only dealt connections.
 */
class ConnectionDealerBeatTest {
    @Test
    void aTakerWithABeatHearsItWhileIdleAndIsStillDealtConnections() throws Exception {
        int fd = ListeningSockets.open("127.0.0.1", 0, ListeningSockets.DEFAULT_BACKLOG);
        ConnectionDealer dealer = new ConnectionDealer();
        BlockingQueue<String> heard = new ArrayBlockingQueue<>(1000);
        try {
            dealer.join(fd, "kept", (c, patient) -> heard.offer("kept: connection") ? 1 : 1, () -> heard.offer("beat"));
            dealer.join(fd, "older", (c, patient) -> heard.offer("older: connection") ? 1 : 1);
            assertEquals("beat", heard.poll(30, TimeUnit.SECONDS), "a beat while idle");
            assertEquals(fd, dealer.socketOf("kept"));
            assertEquals(-1, dealer.socketOf("nobody"));

            try (Socket a = new Socket();
                    Socket b = new Socket()) {
                a.connect(new InetSocketAddress("127.0.0.1", ListeningSockets.boundPort(fd)));
                b.connect(new InetSocketAddress("127.0.0.1", ListeningSockets.boundPort(fd)));
                String first = nextConnection(heard);
                String second = nextConnection(heard);
                assertTrue(
                        first.startsWith("kept") != second.startsWith("kept"),
                        "dealt in turn: " + first + ", " + second);
            }
        } finally {
            dealer.forget(fd);
            dealer.leaveAll(owner -> true);
            ListeningSockets.close(fd);
        }
    }

    private static String nextConnection(BlockingQueue<String> heard) throws InterruptedException {
        while (true) {
            String next = heard.poll(30, TimeUnit.SECONDS);
            if (next == null || !next.equals("beat")) {
                return String.valueOf(next);
            }
        }
    }
}
