package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Eventually;
import io.jpm.testkit.Ports;
import io.jpm.testkit.StartedProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * jpm-listen.js, the preload that lets unmodified Node apps share one listening socket: their
 * listen() on the shared port takes the socket at fd 3, any other listen() is their own. The socket
 * is passed here by a small Python stand-in for the daemon (fixtures/share_socket.py), real Node
 * processes, real connections.
 */
class ListenShimTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    @RegisterExtension
    final StartedProcesses started = new StartedProcesses();

    @TempDir
    Path dir;

    private Path shim() throws IOException {
        Path file = dir.resolve("jpm-listen.js");
        try (InputStream in = getClass().getResourceAsStream("jpm-listen.js")) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private Process start(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        return started.start(builder);
    }

    /** The line that starts with {@code prefix}, read from the process's output (it blocks until then). */
    private static String awaitLine(Process process, String prefix) throws IOException {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.add(line);
        }
        throw new AssertionError("no '" + prefix + "' line; output: " + seen);
    }

    /** One request on a connection of its own: the answer's body (a pid), or null when refused. */
    private static String get(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return answer.substring(answer.indexOf("\r\n\r\n") + 4);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The stand-in daemon sharing a socket on {@code port} with {@code instances} Node runs of script
     * {@code app}, each with the listen shim preloaded.
     */
    private Process shareSocket(int port, int instances, Path app, Map<String, String> env) throws IOException {
        return start(
                List.of(
                        "python3",
                        FIXTURES.resolve("share_socket.py").toString(),
                        Integer.toString(port),
                        Integer.toString(instances),
                        "node",
                        "-r",
                        shim().toString(),
                        app.toString()),
                env);
    }

    @Test
    void twoUnmodifiedInstancesServeTheirListenPortFromTheOneSocket() throws Exception {
        int port = Ports.free();
        Process daemon =
                shareSocket(port, 2, FIXTURES.resolve("pid_server.js"), Map.of("APP_PORT", Integer.toString(port)));
        Set<String> pids =
                new HashSet<>(List.of(awaitLine(daemon, "ready ").substring(6).split(" ")));
        Set<String> answered = new HashSet<>();
        // the kernel picks the instance: ask until both have answered, each on a new connection
        Eventually.until(
                () -> "instances " + pids + " to answer on " + port + "; answered: " + answered,
                Eventually.TIMEOUT,
                () -> {
                    String pid = get(port);
                    if (pid != null) {
                        answered.add(pid.trim());
                    }
                    return answered.equals(pids);
                });
        assertEquals(pids, answered, "the instances that answered on " + port);
    }

    @Test
    void aListenOnAnotherPortIsTheAppsOwn() throws Exception {
        int port = Ports.free();
        int other = Ports.free();
        Process daemon = shareSocket(
                port,
                1,
                FIXTURES.resolve("pid_server.js"),
                Map.of("APP_PORT", Integer.toString(port), "OTHER_PORT", Integer.toString(other)));
        String pid = awaitLine(daemon, "ready ").substring(6).trim();
        awaitLine(daemon, "listening " + other);
        assertEquals(pid, get(other).trim(), "the app's second server listens where it asked");
        assertEquals(pid, get(port).trim());
    }

    @Test
    void withoutASocketFromJpmTheAppListensAsUsual() throws Exception {
        int port = Ports.free();
        // JPM_SHARED_PORT alone (no LISTEN_FDS): nothing was passed, the app binds the port itself
        Process app = start(
                List.of(
                        "node",
                        "-r",
                        shim().toString(),
                        FIXTURES.resolve("pid_server.js").toString()),
                Map.of("APP_PORT", Integer.toString(port), "JPM_SHARED_PORT", Integer.toString(port)));
        awaitLine(app, "listening " + port);
        assertEquals(Long.toString(app.pid()), get(port).trim());
    }

    @Test
    void theAppsChildrenDoNotInheritTheVariables() throws Exception {
        Path script = dir.resolve("env.js");
        Files.writeString(
                script,
                "console.log('env ' + ['LISTEN_FDS', 'LISTEN_PID', 'LISTEN_FDNAMES', 'JPM_SHARED_PORT']"
                        + ".filter(n => process.env[n] !== undefined).join(','))\n");
        Process app = shareSocket(Ports.free(), 1, script, Map.of());
        awaitLine(app, "ready ");
        assertTrue(awaitLine(app, "env").equals("env "), "the preload removes them from process.env");
    }
    /**
     * The channel path: a run whose daemon died before it answered the run's ask for a copy of the
     * socket asks again of the daemon that adopts it, once that one deals (fixtures/copy_dealer.js
     * plays both daemons). Before, the ask stayed pending for good: the run had no copy to accept on
     * when no daemon dealt (seen in a simulation: SocketModeWithoutDaemonIT's instance without one).
     */
    @Test
    void aCopyAskedOfADaemonThatDiedIsAskedAgainOfTheNext() throws Exception {
        Process dealer = start(
                List.of(
                        "node",
                        FIXTURES.resolve("copy_dealer.js").toString(),
                        shim().toString(),
                        Integer.toString(Ports.free())),
                Map.of());
        awaitLine(dealer, "copy asked 2");
        assertTrue(dealer.waitFor(10, TimeUnit.SECONDS), "the dealer ends after the second ask");
        assertEquals(0, dealer.exitValue());
    }
}
