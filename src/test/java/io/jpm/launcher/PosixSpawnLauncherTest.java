package io.jpm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.process.Signal;
import io.jpm.testkit.Eventually;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The posix_spawn launcher with real processes: what an app inherits (its session, default signals,
 * an empty mask, its pipes, a passed socket at fd 3 with systemd's variables, nothing else), how it
 * is found and run, and how its exit is told.
 */
class PosixSpawnLauncherTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures").toAbsolutePath();
    static final Map<String, String> PATH = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin");

    @TempDir
    Path dir;

    private final PosixSpawnLauncher launcher = new PosixSpawnLauncher();
    private final List<Integer> groups = new ArrayList<>();

    @AfterEach
    void noneLeft() {
        groups.forEach(pid -> launcher.signalGroup(pid, Signal.SIGKILL));
    }

    private int spawn(LaunchSpec spec, Recorder recorder) throws IOException {
        int pid = launcher.spawn(spec, recorder).pid();
        groups.add(pid);
        return pid;
    }

    private LaunchSpec sh(String script) {
        return new LaunchSpec(List.of("sh", "-c", script), dir, PATH);
    }

    @Test
    void aListeningSocketIsInheritedAtFd3WithSystemdsVariablesAndAccepts() throws Exception {
        Path python = Path.of(ExecPath.resolve("python3", System.getenv("PATH"), dir));
        try (ListeningSocket socket = new ListeningSocket()) {
            LaunchSpec spec = new LaunchSpec(
                            List.of(
                                    python.toString(),
                                    FIXTURES.resolve("socket_activated.py").toString()),
                            dir,
                            Map.of("PATH", "/usr/bin:/bin", "LISTEN_FDS", "7"))
                    .passing(List.of(new LaunchSpec.Passed(socket.fd, "web")));
            Recorder app = new Recorder();
            int pid = spawn(spec, app);
            Eventually.until("the app to listen", () -> app.out().contains("listening on") || app.hasExited());
            assertEquals(
                    "LISTEN_PID=" + pid + " LISTEN_FDS=1 LISTEN_FDNAMES=web pid=" + pid,
                    app.out().lines().findFirst().orElseThrow(),
                    "the variables, LISTEN_PID the app's own pid (err: " + app.err() + ")");
            assertEquals(
                    "listening on 127.0.0.1:" + socket.port,
                    app.out().lines().skip(1).findFirst().orElseThrow());
            for (int i = 0; i < 3; i++) {
                try (Socket client = new Socket("127.0.0.1", socket.port);
                        BufferedReader in = new BufferedReader(
                                new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))) {
                    assertEquals("hello from " + pid, in.readLine());
                }
            }
            // the app closes each accepted connection just after its line: the client may read it first
            Eventually.until("the app to close its last connection", () -> {
                try {
                    return descriptors(pid).size() <= 4;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertEquals(List.of("0", "1", "2", "3"), descriptors(pid), "its pipes and the socket, nothing else");
            assertEquals(
                    Files.readSymbolicLink(Path.of("/proc/self/fd/" + socket.fd)),
                    Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/3")),
                    "fd 3 is the daemon's socket");
        }
    }

    @Test
    void descriptorsArePassedInOrderEvenFromTheNumbersTheyGoTo() throws Exception {
        try (ListeningSocket a = new ListeningSocket();
                ListeningSocket b = new ListeningSocket()) {
            LaunchSpec spec = new LaunchSpec(List.of("sleep", "1000"), dir, PATH)
                    .passing(List.of(new LaunchSpec.Passed(b.fd, "second"), new LaunchSpec.Passed(a.fd, "first")));
            int pid = spawn(spec, new Recorder());
            Eventually.until("sleep to run", () -> command(pid).startsWith("sleep"));
            awaitDescriptors(pid, List.of("0", "1", "2", "3", "4"));
            assertEquals(
                    Files.readSymbolicLink(Path.of("/proc/self/fd/" + b.fd)),
                    Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/3")));
            assertEquals(
                    Files.readSymbolicLink(Path.of("/proc/self/fd/" + a.fd)),
                    Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/4")));
            String environ = Files.readString(Path.of("/proc/" + pid + "/environ"));
            assertTrue(environ.contains("\0LISTEN_FDS=2\0") || environ.startsWith("LISTEN_FDS=2\0"), environ);
            assertTrue(environ.contains("LISTEN_FDNAMES=second:first\0"), environ);
            assertTrue(environ.contains("LISTEN_PID=" + pid + "\0"), environ);
            // python ignores SIGPIPE itself: sleep shows what the shell that sets LISTEN_PID hands over
            assertSessionLeaderWithDefaultSignals(pid);
        }
    }

    /** Regression of what the JDK's launcher did for us: the JVM's files and sockets lack close-on-exec. */
    @Test
    void noDescriptorOfTheDaemonLeaksIntoAnApp() throws Exception {
        Files.writeString(dir.resolve("open.txt"), "x");
        try (FileInputStream file = new FileInputStream(dir.resolve("open.txt").toFile());
                ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            int pid = spawn(new LaunchSpec(List.of("sleep", "1000"), dir, PATH), new Recorder());
            Eventually.until("sleep to run", () -> command(pid).startsWith("sleep"));
            awaitDescriptors(pid, List.of("0", "1", "2"));
            assertTrue(file.getFD().valid());
        }
    }

    /**
     * What a daemon started from a background job has: an ignored SIGHUP (it survives exec) and a
     * spawning thread that blocks signals. The app gets neither.
     */
    @Test
    void anAppLeadsItsOwnSessionWithDefaultSignalsAndAnEmptyMask() throws Exception {
        Memory block = new Memory(128);
        block.setMemory(0, 128, (byte) 0);
        block.setByte(0, (byte) ((1 << (Signal.SIGUSR1.number() - 1)) | (1 << (Signal.SIGHUP.number() - 1))));
        Memory old = new Memory(128);
        Pointer before = Signals.signal(Signal.SIGHUP.number(), new Pointer(1)); // SIG_IGN
        LibC.pthread_sigmask(0 /* SIG_BLOCK */, block, old);
        try {
            assertTrue(
                    (mask(ProcessHandle.current().pid(), "SigIgn") & (1L << (Signal.SIGHUP.number() - 1))) != 0,
                    "precondition");
            int pid = spawn(new LaunchSpec(List.of("sleep", "1000"), dir, PATH), new Recorder());
            Eventually.until("sleep to run", () -> command(pid).startsWith("sleep"));
            assertSessionLeaderWithDefaultSignals(pid);
        } finally {
            LibC.pthread_sigmask(2 /* SIG_SETMASK */, old, null);
            Signals.signal(Signal.SIGHUP.number(), before);
        }
    }

    /**
     * A cluster-mode instance leads a process group of its own inside the daemon's session (as pm2's
     * cluster workers are in its God's): one scheduling group under autogroup, and a group of its
     * own for every signal jpm sends, which reaches the processes it forks.
     */
    @Test
    void aClusterInstanceLeadsAGroupInTheDaemonsSession() throws Exception {
        Path pids = dir.resolve("child.pid");
        int pid = spawn(
                new LaunchSpec(List.of("sh", "-c", "sleep 1000 & echo $! > " + pids + "; wait"), dir, PATH)
                        .inOwnSession(false),
                new Recorder());
        long child = Eventually.await("the forked child", () -> {
            try {
                String text = Files.exists(pids) ? Files.readString(pids) : "";
                return text.endsWith("\n") ? Long.valueOf(text.trim()) : null; // echo's one write, whole
            } catch (IOException | NumberFormatException e) {
                return null;
            }
        });
        String[] f = stat(pid);
        assertEquals(Integer.toString(pid), f[2], "process group = pid");
        assertEquals(stat((int) ProcessHandle.current().pid())[3], f[3], "the daemon's session");
        assertEquals(0L, mask(pid, "SigIgn"), "no signal ignored");
        assertTrue(launcher.signalGroup(pid, Signal.SIGTERM), "the group is signalled");
        Eventually.until(
                "the forked child to end with its group",
                () -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    private static String[] stat(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** signal(2), for the test above. */
    static final class Signals {
        static {
            Native.register("c");
        }

        static native Pointer signal(int signal, Pointer handler);
    }

    @Test
    void everyLineOfSeveralFloodingAppsIsCapturedInOrder() throws Exception {
        int apps = 4;
        int lines = 200_000;
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < apps; i++) {
            Recorder r = new Recorder();
            recorders.add(r);
            spawn(sh("seq 1 " + lines + "; seq 1 " + lines / 2 + " >&2"), r);
        }
        String out = numbers(lines);
        String err = numbers(lines / 2);
        for (Recorder r : recorders) {
            assertEquals(ExitStatus.code(0), r.awaitExit());
            assertEquals(out.length(), r.out().length());
            assertEquals(out, r.out(), "stdout, line by line");
            assertEquals(err, r.err(), "stderr, line by line");
            assertEquals("exit", r.events().get(2), "both streams end before the exit: " + r.events());
        }
    }

    private static String numbers(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            b.append(i).append('\n');
        }
        return b.toString();
    }

    @Test
    void anExitCodeAndADeathBySignalAreToldApart() throws Exception {
        Recorder code = new Recorder();
        spawn(sh("echo bye; exit 3"), code);
        Recorder killed = new Recorder();
        spawn(sh("kill -TERM $$"), killed);
        assertEquals(ExitStatus.code(3), code.awaitExit());
        assertEquals("bye\n", code.out());
        assertEquals(ExitStatus.killedBy(Signal.SIGTERM), killed.awaitExit());
    }

    @Test
    void treekillEndsAGrandchildThatStillHoldsThePipes() throws Exception {
        Recorder app = new Recorder();
        spawn(sh("sleep 1000 & echo $!; exit 0"), app);
        int grandchild = Integer.parseInt(Eventually.await(
                "the grandchild's pid",
                () -> app.out().endsWith("\n") ? app.out().strip() : null));
        Eventually.until("the exit, once the sweep killed the group", () -> {
            launcher.sweepZombies();
            return app.hasExited();
        });
        assertEquals(ExitStatus.code(0), app.awaitExit());
        Eventually.until("the grandchild to be gone", () -> !alive(grandchild));
    }

    @Test
    void withoutTreekillTheExitIsToldWhileTheGrandchildLivesOn() throws Exception {
        Recorder app = new Recorder();
        spawn(new LaunchSpec(List.of("sh", "-c", "sleep 1000 & echo $!; exit 4"), dir, PATH, false), app);
        int grandchild = Integer.parseInt(Eventually.await(
                "the grandchild's pid",
                () -> app.out().endsWith("\n") ? app.out().strip() : null));
        Eventually.until("the exit, from the sweep", () -> {
            launcher.sweepZombies();
            return app.hasExited();
        });
        assertEquals(ExitStatus.code(4), app.awaitExit());
        assertTrue(alive(grandchild), "treekill false leaves what it forked");
        assertEquals(List.of("exit"), app.events(), "its pipes are still open");
    }

    @Test
    void aCommandIsFoundInTheAppsOwnPath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path hello = bin.resolve("hello-jpm");
        Files.writeString(hello, "#!/bin/sh\necho \"hello from $(pwd)\"\n");
        Files.setPosixFilePermissions(hello, PosixFilePermissions.fromString("rwxr-xr-x"));
        Recorder app = new Recorder();
        spawn(new LaunchSpec(List.of("hello-jpm"), dir, Map.of("PATH", bin + ":/usr/bin:/bin")), app);
        assertEquals(ExitStatus.code(0), app.awaitExit());
        assertEquals("hello from " + dir.toRealPath() + "\n", app.out());

        IOException missing = assertThrows(
                IOException.class,
                () -> launcher.spawn(new LaunchSpec(List.of("hello-jpm"), dir, PATH), new Recorder()));
        assertTrue(
                missing.getMessage().startsWith("cannot run hello-jpm: No such file or directory"),
                missing.getMessage());
        IOException noFolder = assertThrows(
                IOException.class,
                () -> launcher.spawn(new LaunchSpec(List.of("true"), dir.resolve("gone"), PATH), new Recorder()));
        assertTrue(noFolder.getMessage().contains("is not a folder"), noFolder.getMessage());
    }

    /** execvp's rule, which env applied before: a file the kernel cannot run is a shell script. */
    @Test
    void anExecutableWithoutAShebangRunsUnderTheShell() throws Exception {
        Path plain = dir.resolve("plain");
        Files.writeString(plain, "echo \"plain $1\"\n");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rwxr-xr-x"));
        Recorder app = new Recorder();
        spawn(new LaunchSpec(List.of(plain.toString(), "arg"), dir, PATH), app);
        assertEquals(ExitStatus.code(0), app.awaitExit());
        assertEquals("plain arg\n", app.out());
    }

    @Test
    void theEnvironmentIsExactlyTheSpecs() throws Exception {
        Recorder app = new Recorder();
        spawn(new LaunchSpec(List.of("env"), dir, Map.of("PATH", "/usr/bin:/bin", "JPM_X", "é ü")), app);
        assertEquals(ExitStatus.code(0), app.awaitExit());
        assertEquals(
                new TreeSet<>(List.of("PATH=/usr/bin:/bin", "JPM_X=é ü")),
                new TreeSet<>(app.out().lines().toList()));
    }

    static void assertSessionLeaderWithDefaultSignals(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertEquals(Integer.toString(pid), f[2], "process group = pid");
        assertEquals(Integer.toString(pid), f[3], "session = pid");
        assertEquals(0L, mask(pid, "SigBlk"), "no signal blocked");
        assertEquals(0L, mask(pid, "SigIgn"), "no signal ignored");
    }

    static long mask(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseUnsignedLong(line.substring(field.length() + 1).trim(), 16);
            }
        }
        throw new AssertionError(field + " not in /proc/" + pid + "/status");
    }

    /**
     * Waits until {@code pid} has exactly {@code expected} open: just after its exec, the dynamic
     * loader still has the libraries it reads open for a moment. A leaked descriptor stays: the wait
     * then fails naming what is open.
     */
    static void awaitDescriptors(int pid, List<String> expected) {
        Eventually.until(
                () -> "descriptors " + expected + " in " + pid + ", not " + descriptorsOrNone(pid),
                Eventually.TIMEOUT,
                () -> expected.equals(descriptorsOrNone(pid)));
    }

    private static List<String> descriptorsOrNone(int pid) {
        try {
            return descriptors(pid);
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<String> descriptors(int pid) throws IOException {
        try (var files = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return files.map(p -> p.getFileName().toString())
                    .sorted((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)))
                    .toList();
        }
    }

    /** The command line of a running process, "" once it is gone. */
    static String command(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    static boolean alive(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void theLauncherIsAvailableHere() {
        assertFalse(
                PosixSpawn.unavailable() != null,
                "this machine should have glibc 2.34+ and Linux 5.3+: " + PosixSpawn.unavailable());
    }
}
