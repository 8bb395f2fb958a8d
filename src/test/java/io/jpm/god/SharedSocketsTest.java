package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.launcher.ListeningSockets;
import io.jpm.process.ProcessLauncher.DescriptorKeeper;
import io.jpm.testkit.Ports;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Socket mode's registry: one listening socket per address and port, whichever
 * apps ask for it, closed only when the last app on it lets go. Real sockets.
 */
class SharedSocketsTest {
    private final SharedSockets sockets = new SharedSockets();

    @AfterEach
    void closeEverything() {
        sockets.apps().forEach(sockets::release);
    }

    /** Whether a process of ours could listen on the port's every address now. */
    private static boolean free(int port) {
        return Ports.bindable("0.0.0.0", port);
    }

    @Test
    void twoAppsOnOneAddressShareOneSocketThatOutlivesEitherOfThem() throws Exception {
        int port = Ports.free();
        SharedSockets.Open a = sockets.open("a", null, port, ListeningSockets.DEFAULT_BACKLOG);
        SharedSockets.Open b = sockets.open("b", null, port, ListeningSockets.DEFAULT_BACKLOG);
        assertEquals(a, b, "one socket for both apps");
        assertEquals(List.of("b"), sockets.of("a").sharedWith());
        assertEquals(List.of(a), sockets.of("b").open());

        sockets.release("a");
        assertEquals(List.of(), sockets.of("a").open());
        assertEquals(List.of(), sockets.of("b").sharedWith());
        assertTrue(!free(port), "still open for b");
        sockets.release("b");
        assertTrue(free(port), "closed once no app is on it");
    }

    @Test
    void everyAddressIsOneAddressWhicheverWayItIsAskedFor() throws Exception {
        int port = Ports.free();
        SharedSockets.Open v4 = sockets.open("v4", "0.0.0.0", port, ListeningSockets.DEFAULT_BACKLOG);
        assertEquals(v4, sockets.open("any", null, port, ListeningSockets.DEFAULT_BACKLOG));
        int other = Ports.free();
        SharedSockets.Open any = sockets.open("any", null, other, ListeningSockets.DEFAULT_BACKLOG);
        assertEquals("::", any.host());
        assertEquals(any, sockets.open("v4", "0.0.0.0", other, ListeningSockets.DEFAULT_BACKLOG));
    }

    @Test
    void anOverlappingAddressIsRefusedNamingTheAppThatHoldsThePort() throws Exception {
        int port = Ports.free();
        sockets.open("everywhere", null, port, ListeningSockets.DEFAULT_BACKLOG);
        IOException e = assertThrows(
                IOException.class, () -> sockets.open("local", "127.0.0.1", port, ListeningSockets.DEFAULT_BACKLOG));
        assertEquals(
                "port " + port + " on 127.0.0.1 is already in use by the shared socket [::]:" + port
                        + " of app 'everywhere'" + " (apps share one address, not one port on two addresses)",
                e.getMessage());
        assertEquals(List.of(), sockets.of("local").open());
    }

    @Test
    void aPortPickedByTheKernelIsTheAskingAppsAlone() throws Exception {
        SharedSockets.Open a = sockets.open("a", "127.0.0.1", 0, ListeningSockets.DEFAULT_BACKLOG);
        assertEquals(
                a, sockets.open("a", "127.0.0.1", 0, ListeningSockets.DEFAULT_BACKLOG), "the app's instances share it");
        assertNotEquals(
                a.port(),
                sockets.open("b", "127.0.0.1", 0, ListeningSockets.DEFAULT_BACKLOG)
                        .port());
    }

    /** What a keeper was asked: "hold <key>" (the descriptor is this process's) and "release <key>". */
    private static final class RecordingKeeper implements DescriptorKeeper {
        final List<String> asked = new ArrayList<>();

        @Override
        public void hold(String key, int fd) {
            asked.add("hold " + key);
        }

        @Override
        public void release(String key) {
            asked.add("release " + key);
        }
    }

    @Test
    void theKeeperHoldsEachSocketAndTheNextDaemonTakesItInsteadOfBindingThePortAgain() throws Exception {
        int port = Ports.free();
        String key = "listen:127.0.0.1|" + port;
        RecordingKeeper keeper = new RecordingKeeper();
        SharedSockets killed = new SharedSockets(keeper, Map.of());
        int fd = killed.open("web", "127.0.0.1", port, ListeningSockets.DEFAULT_BACKLOG)
                .fd();
        assertEquals(List.of("hold " + key), keeper.asked);

        // the next daemon inherits the same socket; binding the port would fail while it listens
        RecordingKeeper next = new RecordingKeeper();
        SharedSockets again = new SharedSockets(next, Map.of(key, fd));
        SharedSockets.Open taken = again.open("web", "127.0.0.1", port, ListeningSockets.DEFAULT_BACKLOG);
        assertEquals(fd, taken.fd());
        assertEquals(port, taken.port());
        again.closeUnclaimed();
        assertTrue(!free(port), "taken, so not closed as unclaimed");
        again.release("web");
        assertEquals(List.of("release " + key), next.asked);
        assertTrue(free(port), "closed once no app is on it");
    }

    @Test
    void aSocketTheKeeperHandedOverThatNoRunTakesIsClosedAndReleased() throws Exception {
        int port = Ports.free();
        String key = "listen:127.0.0.1|" + port;
        int fd = new SharedSockets(new RecordingKeeper(), Map.of())
                .open("gone", "127.0.0.1", port, ListeningSockets.DEFAULT_BACKLOG)
                .fd();
        RecordingKeeper next = new RecordingKeeper();
        SharedSockets again = new SharedSockets(next, Map.of(key, fd));
        again.closeUnclaimed();
        assertEquals(List.of("release " + key), next.asked);
        assertTrue(free(port));
    }
}
