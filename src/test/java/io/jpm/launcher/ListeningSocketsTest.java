package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Socket mode's listening sockets: bound where asked, non-blocking, and refusals that say why. */
class ListeningSocketsTest {
    @Test
    void opensIpv4AndIpv6SocketsThatAcceptConnections() throws Exception {
        for (String host : new String[] {"127.0.0.1", "::1"}) {
            int fd = ListeningSockets.open(host, 0, 16);
            try {
                int port = ListeningSockets.boundPort(fd);
                assertTrue(port > 0, host);
                try (Socket client = new Socket(host, port)) {
                    assertTrue(client.isConnected());
                }
                assertEquals(
                        LibC.O_NONBLOCK,
                        LibC.fcntl(fd, 3 /* F_GETFL */, 0) & LibC.O_NONBLOCK,
                        "shared sockets are non-blocking");
            } finally {
                ListeningSockets.close(fd);
            }
        }
    }

    @Test
    void aPortInUseAndAnAddressOfNoInterfaceAreRefusedNamingThem() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            IOException inUse =
                    assertThrows(IOException.class, () -> ListeningSockets.open("127.0.0.1", taken.getLocalPort(), 16));
            assertEquals(
                    "port " + taken.getLocalPort() + " on 127.0.0.1 is already in use by another process",
                    inUse.getMessage());
        }
        IOException foreign = assertThrows(IOException.class, () -> ListeningSockets.open("192.0.2.1", 8080, 16));
        assertEquals("port 8080 on 192.0.2.1: 192.0.2.1 is not an address of this host", foreign.getMessage());
    }
}
