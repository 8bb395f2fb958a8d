package io.jpm.cli.transport;

import io.jpm.cli.CliException;
import io.jpm.cli.startup.DaemonArchive;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.PrivateFiles;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds the daemon through JPM_HOME/daemon.json and the token file; starts one, like pm2, when none
 * answers: detached in its own session, output to daemon.log, then waits until it answers.
 */
public final class DaemonConnector {
    private static final int CONNECT_TIMEOUT_MS = 1000;
    private static final long START_DEADLINE_MS = 30_000;
    private static final long POLL_MS = 25;
    /** A daemon that is stopping waits for its apps at most 60 s (DaemonMain), then exits and frees its lock. */
    private static final long STOPPING_DEADLINE_MS = 70_000;
    /**
     * Daemon JVM flags: a small heap that gives memory back after a burst, the two JIT tiers with
     * the fewest compiler threads (2: one C1, one C2), a modest code cache, the native heap trimmed
     * every few seconds (glibc keeps freed memory otherwise), all measured in docs/BENCHMARKS.md
     * (DESIGN section 9). C2 was left out (TieredStopAtLevel=1) until the balancer's HTTP mode was
     * measured against nginx: C2 cuts the daemon's CPU per proxied request by about a third for
     * ~4 MB of idle RSS (61 -> 65 MB, BENCHMARKS "HTTP mode against nginx"); C2 compiles only hot
     * code, so a daemon that proxies nothing pays little for it. An older JDK 17 without
     * TrimNativeHeapInterval ignores it rather than refusing to start. The CDS flags come from
     * {@link DaemonArchive}. The caps (heap 256 MB, metaspace 192 MB) and the JDK internals opened at
     * the end are what Hazelcast needs once jpm.json has a cluster section, which may be added to a
     * running daemon (it warns and runs slower without them); caps reserve nothing, and with these the
     * idle RSS and start of an unclustered daemon were measured unchanged (BENCHMARKS, "Several hosts
     * as one").
     */
    public static final List<String> DAEMON_JVM_FLAGS = List.of(
            "-Xms4m",
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=20",
            "-Xss512k",
            "-XX:CICompilerCount=2",
            "-XX:MaxMetaspaceSize=192m",
            "-XX:ReservedCodeCacheSize=32m",
            "-XX:+IgnoreUnrecognizedVMOptions",
            "-XX:TrimNativeHeapInterval=5000",
            "--add-modules",
            "java.se",
            "--add-exports",
            "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--add-opens",
            "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens",
            "java.management/sun.management=ALL-UNNAMED",
            "--add-opens",
            "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    /** The daemon's system property that ties its life to its stdin (DaemonMain reads it; no import of it here). */
    static final String FOREGROUND_PROPERTY = "jpm.exitWithStdin";

    private final JpmHome home;
    /** daemon.log's size when this client last spawned a daemon: its lines start there. */
    private long logOffset;

    public DaemonConnector(JpmHome home) {
        this.home = home;
    }

    /**
     * A client to the running daemon, or null when none answers.
     *
     * @throws CliException when the bridge speaks TLS (daemon.json's {@code bridgeTls}) and fails
     *     its check, or JPM_BRIDGE_CA asks for TLS that the bridge does not speak: never null then,
     *     which would start a daemon, and never plain text
     */
    public BridgeClient connectIfRunning() {
        try {
            trustHome();
            if (!Files.isRegularFile(home.daemonJson()) || !Files.isRegularFile(home.token())) {
                return null;
            }
            trustFile(home.daemonJson());
            trustFile(home.token());
            Json.Value info = Json.parse(PrivateFiles.read(home.daemonJson()).getBytes(StandardCharsets.UTF_8));
            String token = PrivateFiles.read(home.token()).trim();
            String host = info.path("bridgeHost").asText("127.0.0.1");
            int port = info.path("bridgePort").asInt();
            Json.Value tls = info.path("bridgeTls");
            String ownCa = System.getenv(BRIDGE_CA_VARIABLE);
            boolean caAsked = ownCa != null && !ownCa.isBlank();
            if (tls.isNull() && caAsked) {
                throw new CliException(
                        JpmError.UNAVAILABLE,
                        BRIDGE_CA_VARIABLE + " is set but the daemon's bridge at " + host + ":" + port
                                + " speaks plain text (daemon.json has no bridgeTls); not connecting");
            }
            // JPM_HOME/jpm.sock first: only this user can open it, and a flood of the TCP port does not
            // reach it. JPM_BRIDGE_CA asks for the TLS port and its check, so it skips the socket.
            Path own = home.cliSocket();
            if (!caAsked && own != null && Files.exists(own)) {
                try {
                    return BridgeClient.connect(own, token);
                } catch (IOException | RuntimeException e) {
                    // not ours to open (another user's jpm with a copy of the token), or left by a dead daemon: TCP
                    // then
                }
            }
            if (tls.isNull()) {
                return BridgeClient.connect(host, port, token, CONNECT_TIMEOUT_MS);
            }
            return BridgeClient.over(connectTls(loopbackFor(host), port, tls, ownCa), token);
        } catch (IOException e) {
            return null;
        }
    }

    /** JPM_BRIDGE_CA: a PEM file the CLI trusts instead of daemon.json's certificates (docs/SECURITY.md). */
    static final String BRIDGE_CA_VARIABLE = "JPM_BRIDGE_CA";

    /** TLS to the bridge, trusting JPM_BRIDGE_CA's certificates when set, else daemon.json's. */
    private static Socket connectTls(String host, int port, Json.Value tls, String ownCa) throws IOException {
        String certificates = tls.path("certificates").asText("");
        String source = "daemon.json's bridgeTls";
        if (ownCa != null && !ownCa.isBlank()) {
            try {
                certificates = Files.readString(Path.of(ownCa));
            } catch (IOException e) {
                throw new CliException(
                        JpmError.INVALID_CONFIG, BRIDGE_CA_VARIABLE + ": cannot read " + ownCa + ": " + e.getMessage());
            }
            source = BRIDGE_CA_VARIABLE + " (" + ownCa + ")";
        }
        return TlsBridgeSocket.connect(
                host, port, certificates, tls.path("checkHostName").asBoolean(), source, CONNECT_TIMEOUT_MS);
    }

    /** A bridge bound to every address (0.0.0.0, ::) is reached, and its certificate checked, at loopback. */
    private static String loopbackFor(String host) {
        return switch (host) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]", "0:0:0:0:0:0:0:0" -> "::1";
            default -> host;
        };
    }

    /** A client to the daemon, starting one first when none answers. */
    public BridgeClient connectOrStart() {
        BridgeClient client = connectIfRunning();
        if (client != null) {
            return client;
        }
        try {
            makeHome();
            try (FileChannel lockFile = PrivateFiles.openAppend(home.startLock());
                    FileLock lock = lockFile.lock()) {
                client = connectIfRunning(); // another client may have started it meanwhile
                return client != null ? client : startConfiguredDaemon();
            }
        } catch (IOException e) {
            throw new CliException(
                    JpmError.UNAVAILABLE, "cannot start the daemon in " + home.root() + ": " + e.getMessage());
        }
    }

    /**
     * Starts the daemon with JPM_DAEMON_OPTS when set (taken as they are), else with the daemon's
     * flags and its AppCDS archive, which is recorded in the background when missing.
     */
    private BridgeClient startConfiguredDaemon() throws IOException {
        DaemonArchive archive = archiveUnlessCustomFlags();
        BridgeClient client = startDaemon(configuredFlags(archive), true);
        if (archive != null) {
            archive.recordInBackground(daemonLog(home));
        }
        return client;
    }

    private static DaemonArchive archiveUnlessCustomFlags() {
        String extra = System.getenv("JPM_DAEMON_OPTS");
        return extra != null && !extra.isBlank() ? null : DaemonArchive.forClasspath(ownJar());
    }

    /** JPM_DAEMON_OPTS when set (taken as they are), else the daemon's flags and its archive's. */
    private static List<String> configuredFlags(DaemonArchive archive) {
        String extra = System.getenv("JPM_DAEMON_OPTS");
        if (extra != null && !extra.isBlank()) {
            return List.of(extra.trim().split("\\s+"));
        }
        List<String> flags = new ArrayList<>(DAEMON_JVM_FLAGS);
        flags.addAll(archive != null ? archive.jvmFlags() : List.of("-Xshare:auto"));
        return flags;
    }

    /** A daemon run in the foreground, and a client to it. */
    public record Foreground(Process process, BridgeClient client) {}

    /**
     * Starts a daemon as a child of this process (jpm-runtime, start --no-daemon), in its process
     * group, not a session of its own: the caller waits for it and stops it. Its stdin is a pipe from
     * here: when this process dies, even by SIGKILL, the daemon reads end of file, stops its apps
     * and exits ({@link #FOREGROUND_PROPERTY}), so no daemon is left behind. No archive is recorded in the
     * background: nothing outlives the runtime. The home's start lock is held until it answers, so a
     * client run meanwhile ({@code jpm ls} in another terminal) waits for it rather than starting a
     * daemon of its own there. Null when a daemon already answers in the home.
     */
    public Foreground startForeground() throws IOException {
        makeHome();
        try (FileChannel lockFile = PrivateFiles.openAppend(home.startLock());
                FileLock lock = lockFile.lock()) {
            try (BridgeClient running = connectIfRunning()) {
                if (running != null) {
                    return null;
                }
            }
            Process daemon = spawn(configuredFlags(archiveUnlessCustomFlags()), true);
            return new Foreground(daemon, awaitAnswer(daemon));
        }
    }

    /** Starts a daemon JVM with these flags and waits until it answers; {@code announce} says so on stderr. */
    public BridgeClient startDaemon(List<String> jvmFlags, boolean announce) throws IOException {
        Process daemon = spawn(jvmFlags, false);
        if (announce) {
            System.err.println("[jpm] Spawning jpm daemon with JPM_HOME=" + home.root());
        }
        BridgeClient client = awaitAnswer(daemon);
        if (announce) {
            System.err.println("[jpm] jpm daemon started");
        }
        return client;
    }

    private Process spawn(List<String> jvmFlags, boolean foreground) throws IOException {
        makeHome();
        awaitStoppingDaemon();
        Files.deleteIfExists(home.daemonJson());
        List<String> command = new ArrayList<>();
        if (!foreground) {
            command.add("setsid");
        }
        command.add(javaBinary());
        command.addAll(jvmFlags);
        if (foreground) {
            command.add("-D" + FOREGROUND_PROPERTY + "=true");
        }
        command.add("-cp");
        command.add(ownJar());
        command.add("io.jpm.daemon.DaemonMain");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(
                        foreground ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(daemonLog(home)))
                .redirectErrorStream(true);
        builder.environment().put("JPM_HOME", home.root().toString());
        logOffset = Files.isRegularFile(home.daemonLog()) ? Files.size(home.daemonLog()) : 0;
        return builder.start();
    }

    /**
     * Waits while a daemon that is stopping (SIGTERM, a crash of its JVM) still holds the home's lock:
     * it removed daemon.json first, so no client sees it any more, but a new daemon could not start
     * there yet and would exit at once (pm2's e2e pm2-dev.sh kills the daemon with pkill, then starts
     * again at once). The caller holds the start lock, so no other client spawns meanwhile.
     */
    private void awaitStoppingDaemon() throws IOException {
        long deadline = System.currentTimeMillis() + STOPPING_DEADLINE_MS;
        boolean told = false;
        try (FileChannel channel = FileChannel.open(
                home.daemonLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            for (FileLock free = channel.tryLock(); free == null; free = channel.tryLock()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new CliException(
                            JpmError.UNAVAILABLE,
                            "a daemon still holds " + home.daemonLock() + " after " + STOPPING_DEADLINE_MS / 1000
                                    + " s without answering: see " + home.daemonLog());
                }
                if (!told) {
                    System.err.println("[jpm] waiting for the daemon that is stopping in " + home.root());
                    told = true;
                }
                pause();
            }
        }
    }

    /** JPM_HOME made when missing and refused unless it is the user's (docs/SECURITY.md), before anything is read or written there. */
    private void makeHome() throws IOException {
        try {
            PrivateFiles.makeHome(home);
        } catch (JpmException e) {
            throw new CliException(e.error(), e.getMessage());
        }
    }

    /** JPM_HOME refused unless it is the user's; a missing one is left to the start of a daemon. */
    private void trustHome() throws IOException {
        try {
            PrivateFiles.checkHome(home);
        } catch (JpmException e) {
            throw new CliException(e.error(), e.getMessage());
        }
    }

    /** A token or daemon.json that is not the user's own regular file is never read: its writer would get the token. */
    private static void trustFile(Path file) throws IOException {
        try {
            PrivateFiles.checkHomeFile(file);
        } catch (JpmException e) {
            throw new CliException(e.error(), e.getMessage());
        }
    }

    /**
     * daemon.log, which the daemon's output is appended to: created 0600 and opened first without
     * following a symbolic link (a link planted there fails here, and its target is never written),
     * then handed to the JVM's redirect, which can only open it by name. The home is the user's and
     * no one else may write it, so nothing can swap the file in between.
     */
    public static File daemonLog(JpmHome home) throws IOException {
        try (FileChannel log = PrivateFiles.openAppend(home.daemonLog())) {
            PrivateFiles.checkHomeFile(home.daemonLog());
        } catch (JpmException e) {
            throw new CliException(e.error(), e.getMessage());
        } catch (IOException e) {
            // a link there fails with ELOOP, which the JDK reports as a bare IOException
            throw new CliException(
                    JpmError.FORBIDDEN,
                    home.daemonLog() + " cannot be opened without following a link (" + e.getMessage()
                            + "): jpm does not write through one; remove it if it is a link");
        }
        return home.daemonLog().toFile();
    }

    /** Waits until the daemon answers a ping; stops it when it does not within the deadline. */
    private BridgeClient awaitAnswer(Process daemon) throws IOException {
        long deadline = System.currentTimeMillis() + START_DEADLINE_MS;
        while (System.currentTimeMillis() < deadline) {
            if (Files.isRegularFile(home.daemonJson())) {
                BridgeClient client = connectIfRunning();
                if (client != null) {
                    client.request(Addresses.QUERY_PING, Json.object(), 5000);
                    return client;
                }
            }
            if (!daemon.isAlive()) {
                throw new CliException(
                        JpmError.UNAVAILABLE,
                        "the daemon exited at start (code " + daemon.exitValue() + ")" + whyItFailed() + "; see "
                                + home.daemonLog());
            }
            pause();
        }
        // not left half-started behind the failed command: nothing else would ever stop it. SIGTERM
        // first, which stops whatever it started; SIGKILL if it does not end
        daemon.destroy();
        try {
            if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            daemon.destroyForcibly();
        }
        throw new CliException(
                JpmError.UNAVAILABLE, "the daemon did not answer within 30 s (stopped it); see " + home.daemonLog());
    }

    /**
     * The daemon's own line for a refused start ({@code daemon failed to start: <why>}), written to
     * daemon.log since this client spawned it, as {@code ": <why>"}; empty when it wrote none.
     */
    private String whyItFailed() {
        try (RandomAccessFile log = new RandomAccessFile(home.daemonLog().toFile(), "r")) {
            log.seek(Math.min(logOffset, log.length()));
            String why = "";
            for (String line = log.readLine(); line != null; line = log.readLine()) {
                int at = line.indexOf(FAILED_TO_START);
                if (at >= 0) {
                    why = ": "
                            + new String(
                                    line.substring(at + FAILED_TO_START.length())
                                            .getBytes(StandardCharsets.ISO_8859_1),
                                    StandardCharsets.UTF_8);
                }
            }
            return why;
        } catch (IOException e) {
            return "";
        }
    }

    /** What DaemonMain logs before it exits on a start it refuses. */
    private static final String FAILED_TO_START = "daemon failed to start: ";

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(JpmError.UNAVAILABLE, "interrupted while waiting for the daemon");
        }
    }

    /** The java this client runs on: the daemon (and the archive's recorder) run on the same. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The jar (or classes folder) this client runs from: the daemon runs from the same. */
    public static String ownJar() {
        try {
            return Path.of(DaemonConnector.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new CliException(JpmError.INTERNAL, "cannot locate the jpm jar: " + e.getMessage());
        }
    }
}
