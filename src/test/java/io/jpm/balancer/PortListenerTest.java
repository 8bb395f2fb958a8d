package io.jpm.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who listens on a port, read from the real /proc with real sockets and processes. */
class PortListenerTest {
    private final PortListener listeners = new PortListener();
    private final int self = (int) ProcessHandle.current().pid();

    @Test
    void theProcessThatListensHoldsIt() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            assertEquals(PortListener.Holder.INSTANCE, listeners.holderOf(server.getLocalPort(), self));
        }
    }

    @Test
    void aProcessThatDoesNotListenThereDoesNotHoldIt() throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            assertEquals(PortListener.Holder.ANOTHER, listeners.holderOf(server.getLocalPort(), (int) other.pid()));
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void aChildInTheSessionOfTheInstanceHoldsItForTheInstance() throws Exception {
        // setsid makes bash a session leader, as jpm starts an app; bash forks python (the "; true")
        String listen = "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen();"
                + " print(s.getsockname()[1], flush=True); time.sleep(60)";
        Process leader = new ProcessBuilder(List.of("setsid", "bash", "-c", "python3 -c \"" + listen + "\"; true"))
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(leader.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(out.readLine().trim());
            assertEquals(PortListener.Holder.INSTANCE, listeners.holderOf(port, (int) leader.pid()));
            assertEquals(PortListener.Holder.ANOTHER, listeners.holderOf(port, self));
        } finally {
            leader.descendants().forEach(ProcessHandle::destroyForcibly);
            leader.destroyForcibly().waitFor();
        }
    }

    @Test
    void noListenerOnThePortIsNotKnown() throws Exception {
        int port;
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            port = server.getLocalPort();
        }
        // bound and closed: nothing listens there now (another network namespace would look the same)
        assertEquals(PortListener.Holder.UNKNOWN, listeners.holderOf(port, self));
    }
}
