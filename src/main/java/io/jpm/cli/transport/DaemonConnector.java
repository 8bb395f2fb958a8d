package io.jpm.cli.transport;

import io.jpm.cli.CliException;
import io.jpm.cli.startup.DaemonArchive;
import io.jpm.keeper.KeeperScript;
import io.jpm.protocol.Build;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.PrivateFiles;
import io.jpm.protocol.Reasons;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Finds the daemon through JPM_HOME/daemon.json and the token file (over jpm.sock, plain TCP or
 * TLS); starts one, like pm2, when none answers, under the home's start lock: the JVM and its flags
 * are {@link DaemonJvm}'s, the spawn and the wait for its first answer {@link DaemonSpawn}'s.
 */
public final class DaemonConnector {
    private final JpmHome home;
    private final DaemonSpawn spawn;
    private boolean startedOne;
    /** The daemon.json of the daemon last connected to: its pid and build. */
    private Json.Value daemonInfo = new Json.Value(null);

    public DaemonConnector(JpmHome home) {
        this.home = home;
        this.spawn = new DaemonSpawn(home);
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
            if (!Files.isRegularFile(home.daemonJson())) {
                return null;
            }
            if (!Files.exists(home.token(), LinkOption.NOFOLLOW_LINKS)) {
                return lostToken();
            }
            trustFile(home.daemonJson());
            trustFile(home.token());
            Json.Value info = Json.parse(PrivateFiles.read(home.daemonJson()).getBytes(StandardCharsets.UTF_8));
            daemonInfo = info;
            String token = PrivateFiles.read(home.token()).trim();
            if (token.isEmpty()) {
                return lostToken();
            }
            String host = info.path("bridgeHost").asText("127.0.0.1");
            int port = info.path("bridgePort").asInt();
            Json.Value tls = info.path("bridgeTls");
            String ownCa = JpmEnv.BRIDGE_CA.value();
            boolean caAsked = ownCa != null && !ownCa.isBlank();
            if (tls.isNull() && caAsked) {
                throw new CliException(
                        JpmError.UNAVAILABLE,
                        JpmEnv.BRIDGE_CA.variable + " is set but the daemon's bridge at " + host + ":" + port
                                + " speaks plain text (daemon.json has no bridgeTls); not connecting");
            }
            // jpm.sock first (daemon.json's socket: in JPM_HOME, or in the daemon's private folder when the home
            // is too deep for a socket path): only this user can open it, and a flood of the TCP port does
            // not reach it. JPM_BRIDGE_CA asks for the TLS port and its check, so it skips the socket.
            String socket = info.path("socket").asText(null);
            Path own = socket == null || socket.isEmpty() ? null : Path.of(socket);
            if (!caAsked && own != null && Files.exists(own)) {
                try {
                    return BridgeClient.connect(own, token);
                } catch (ConnectException e) {
                    // refused: the socket is there and no one listens, so its daemon is dead. Its TCP port may
                    // be anyone's by now (another local user's listener would get the token): no daemon, then
                    return null;
                } catch (IOException | RuntimeException e) {
                    // not ours to open (another user's jpm with a copy of the token): TCP then
                }
            }
            String tlsHost = loopbackFor(host);
            return TcpConnect.connect(
                    host + ":" + port,
                    (connectTimeout, answerTimeout) -> tls.isNull()
                            ? BridgeClient.connect(host, port, token, connectTimeout, answerTimeout)
                            : BridgeClient.over(
                                    connectTls(tlsHost, port, tls, ownCa, connectTimeout), token, answerTimeout));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The token file is empty or gone: a daemon that still runs with the token it lost is named, with
     * the way out ({@link LostToken}); else null, and the daemon started next writes a new token.
     */
    private BridgeClient lostToken() {
        OptionalLong shutOut = LostToken.shutOutDaemon(home);
        if (shutOut.isPresent()) {
            throw new CliException(JpmError.UNAVAILABLE, LostToken.problem(home, shutOut.getAsLong()));
        }
        return null;
    }

    /** TLS to the bridge, trusting JPM_BRIDGE_CA's certificates when set, else daemon.json's. */
    private static Socket connectTls(String host, int port, Json.Value tls, String ownCa, int connectTimeoutMs)
            throws IOException {
        String certificates = tls.path("certificates").asText("");
        String source = "daemon.json's bridgeTls";
        if (ownCa != null && !ownCa.isBlank()) {
            try {
                certificates = Files.readString(Path.of(ownCa));
            } catch (IOException e) {
                throw new CliException(
                        JpmError.INVALID_CONFIG,
                        JpmEnv.BRIDGE_CA.variable + ": cannot read " + ownCa + ": " + e.getMessage());
            }
            source = JpmEnv.BRIDGE_CA.variable + " (" + ownCa + ")";
        }
        return TlsBridgeSocket.connect(
                host, port, certificates, tls.path("checkHostName").asBoolean(), source, connectTimeoutMs);
    }

    /** A bridge bound to every address (0.0.0.0, ::) is reached, and its certificate checked, at loopback. */
    private static String loopbackFor(String host) {
        return switch (host) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]", "0:0:0:0:0:0:0:0" -> "::1";
            default -> host;
        };
    }

    /**
     * A client to the daemon that runs, or to the one its keeper is starting again (jpm kill right
     * after a crash stops that one, rather than saying no daemon runs); null when neither.
     */
    public BridgeClient connectIfRunningOrKept() {
        BridgeClient client = connectIfRunning();
        return client != null ? client : spawn.awaitKeepersDaemon(this::connectIfRunning);
    }

    /** A client to the daemon, starting one first when none answers. */
    public BridgeClient connectOrStart() {
        BridgeClient client = connectIfRunning();
        if (client != null) {
            return client;
        }
        try {
            DaemonSpawn.makeHome(home);
            try (FileChannel lockFile = PrivateFiles.openAppend(home.startLock());
                    FileLock lock = lockFile.lock()) {
                client = connectIfRunning(); // another client may have started it meanwhile
                if (client == null) {
                    // a keeper that lives is starting its daemon again: wait for that one, not a second
                    client = spawn.awaitKeepersDaemon(this::connectIfRunning);
                }
                if (client == null) {
                    // a daemon whose keeper died too may still be starting (it adopts the apps): wait for it
                    client = spawn.awaitLockHolder(this::connectIfRunning);
                }
                return client != null ? client : startConfiguredDaemon();
            }
        } catch (IOException e) {
            throw new CliException(
                    JpmError.UNAVAILABLE, "cannot start the daemon in " + home.root() + ": " + Reasons.of(e));
        }
    }

    /**
     * Starts the daemon with JPM_DAEMON_OPTS when set (taken as they are), else with the daemon's
     * flags and its AppCDS archive, which is recorded in the background when missing.
     */
    private BridgeClient startConfiguredDaemon() throws IOException {
        DaemonArchive archive = DaemonJvm.archiveUnlessCustomFlags();
        BridgeClient client = startDaemon(DaemonJvm.configuredFlags(archive, home), true);
        if (archive != null) {
            archive.recordInBackground(DaemonSpawn.daemonLog(home), daemonPid());
        }
        return client;
    }

    /** The pid the daemon just started wrote, or -1 when it cannot be read. */
    private long daemonPid() {
        try {
            return Long.parseLong(Files.readString(home.pidFile()).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * What a keeper runs to start this client's daemon ({@code jpm update}): the keeper script, written
     * into JPM_HOME from this jar, and the daemon's command; empty when no keeper may run here
     * (JPM_KEEPER=0, no perl).
     */
    public record KeeperStart(String script, List<String> daemon) {}

    public Optional<KeeperStart> keeperStart() throws IOException {
        DaemonSpawn.makeHome(home);
        List<String> daemon =
                DaemonSpawn.daemonCommand(DaemonJvm.configuredFlags(DaemonJvm.archiveUnlessCustomFlags(), home), false);
        // [perl, script, daemon...]
        return KeeperScript.wrap(home, daemon).map(command -> new KeeperStart(command.get(1), daemon));
    }

    /**
     * The line saying the daemon last connected to runs another build than this CLI's, or null
     * (the same build, or a daemon this client started itself).
     */
    public String otherBuildLine() {
        return startedOne || daemonInfo.isNull() ? null : OtherBuild.line(daemonInfo, Build.jarStamp());
    }

    /** Whether this client started a daemon in the background (its first command tells what it found). */
    public boolean startedOne() {
        return startedOne || spawn.askedKeeper();
    }

    /** A daemon run in the foreground, and a client to it. */
    public record Foreground(Process process, BridgeClient client) {}

    /**
     * Starts a daemon as a child of this process (jpm-runtime, start --no-daemon), in its process
     * group, not a session of its own: the caller waits for it and stops it. Its stdin is a pipe from
     * here: when this process dies, even by SIGKILL, the daemon reads end of file, stops its apps
     * and exits ({@link DaemonJvm#FOREGROUND_PROPERTY}), so no daemon is left behind. No archive is recorded in the
     * background: nothing outlives the runtime. The home's start lock is held until it answers, so a
     * client run meanwhile ({@code jpm ls} in another terminal) waits for it rather than starting a
     * daemon of its own there. Null when a daemon already answers in the home.
     */
    public Foreground startForeground() throws IOException {
        DaemonSpawn.makeHome(home);
        try (FileChannel lockFile = PrivateFiles.openAppend(home.startLock());
                FileLock lock = lockFile.lock()) {
            try (BridgeClient running = connectIfRunning()) {
                if (running != null) {
                    return null;
                }
            }
            Process daemon = spawn.start(DaemonJvm.configuredFlags(DaemonJvm.archiveUnlessCustomFlags(), home), true);
            return new Foreground(daemon, spawn.awaitAnswer(daemon, this::connectIfRunning));
        }
    }

    /** Starts a daemon JVM with these flags and waits until it answers; {@code announce} says so on stderr. */
    public BridgeClient startDaemon(List<String> jvmFlags, boolean announce) throws IOException {
        return answering(spawn.start(jvmFlags, false), announce);
    }

    /** A daemon no keeper starts again: one that is killed when done (the archive's training daemon). */
    public BridgeClient startDaemonWithoutKeeper(List<String> jvmFlags) throws IOException {
        return answering(spawn.startWithoutKeeper(jvmFlags), false);
    }

    private BridgeClient answering(Process daemon, boolean announce) throws IOException {
        startedOne = true;
        if (announce) {
            System.err.println("[jpm] Spawning jpm daemon with JPM_HOME=" + home.root());
        }
        BridgeClient client = spawn.awaitAnswer(daemon, this::connectIfRunning);
        if (announce) {
            System.err.println("[jpm] jpm daemon started");
        }
        return client;
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
}
