package io.jpm.launcher;

import io.jpm.process.AppChannels;
import io.jpm.process.LaunchSpec;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.KernelRandom;
import io.jpm.protocol.PrivateFiles;
import io.jpm.protocol.SocketFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@link AppChannels} over Unix sockets in JPM_HOME/run (or the daemon's private socket folder when the
 * home is too deep for socket paths): a notify socket per run ({@link NotifySockets})
 * and, for Node, the preload jpm-ipc.js with the daemon's IPC socket ({@link NodeChannels}). Every
 * Node app also gets jpm-errors.js, channels or not, and one with a channel jpm-metrics.js unless its
 * pmx is false; a traced one jpm-otel.js. The preloads are copied out of the jar into
 * JPM_HOME/lib, since node loads only files.
 */
public final class UnixAppChannels implements AppChannels {
    /** lib/, where the preloads are written: the owner's only, as JPM_HOME (docs/SECURITY.md). */
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");

    static final String PRELOAD = "jpm-ipc.js";
    /** Socket mode's preload: a Node app's listen() asks for the shared socket over its IPC pipe. */
    static final String LISTEN_PRELOAD = "jpm-listen.js";
    /** Every Node app's preload: an unhandled rejection or uncaught exception logged as pm2 does. */
    static final String ERRORS_PRELOAD = "jpm-errors.js";
    /** A Node app's code metrics (pm2's pmx), sent over its channel. */
    static final String METRICS_PRELOAD = "jpm-metrics.js";
    /** A traced Node app's preload: OpenTelemetry's Node SDK from JPM_HOME/otel (the folder beside lib). */
    static final String TRACE_PRELOAD = "jpm-otel.js";

    private final Path home;
    /** Made with the first run's channels, in the daemon's socket folder (SocketFolder): set once, then read by any thread. */
    private volatile NotifySockets notify;

    private volatile NodeChannels node;
    private final AtomicLong runs = new AtomicLong();
    private final Map<String, Path> preloads = new HashMap<>();

    public UnixAppChannels(Path home) {
        this.home = home;
    }

    /**
     * The sockets' folder, found at the first run's spawn (not on the event loop that made this): JPM_HOME/run,
     * or the daemon's private socket folder when JPM_HOME is too deep for socket paths.
     */
    private synchronized void openSockets() throws IOException {
        if (notify == null) {
            Path dir = SocketFolder.of(new JpmHome(home)).appSockets();
            PrivateFiles.makeFolder(dir); // the daemon made it at its start; a launcher's test may not have
            node = new NodeChannels(dir.resolve("ipc.sock"));
            notify = new NotifySockets(dir);
        }
    }

    @Override
    public Channel open(boolean isNode, boolean pipe, Listener listener) throws IOException {
        openSockets();
        String name = ProcessHandle.current().pid() + "-" + runs.incrementAndGet();
        NotifySockets.Bound bound = notify.open(name, message -> {
            // sd_notify's state lines ("READY=1\nSTATUS=...")
            if (message.lines().anyMatch("READY=1"::equals)) {
                listener.ready("READY=1");
            }
        });
        Map<String, String> env = new HashMap<>();
        env.put("NOTIFY_SOCKET", bound.notifySocket());
        if (!isNode) {
            return new UnixChannel(bound, null, null, env, List.of());
        }
        if (pipe) {
            NodeIpcChannel ipc;
            try {
                ipc = NodeIpcChannel.open(ipcPump(), lines(listener));
            } catch (IOException | RuntimeException e) {
                notify.close(bound);
                throw e;
            }
            env.put("NODE_CHANNEL_SERIALIZATION_MODE", "json");
            return new PipeChannel(
                    bound, ipc, env, List.of("-r", preload(LISTEN_PRELOAD).toString()));
        }
        String token = HexFormat.of().formatHex(KernelRandom.bytes(16));
        NodeChannels.Run run = node.register(token, lines(listener));
        env.put(JpmEnv.IPC_PATH.variable, node.start().toString());
        env.put(JpmEnv.IPC_TOKEN.variable, token);
        return new UnixChannel(
                bound, token, run, env, List.of("-r", preload(PRELOAD).toString()));
    }

    private static Consumer<String> lines(Listener listener) {
        return json -> {
            if ("\"ready\"".equals(json.strip())) {
                listener.ready("process.send('ready')");
            } else {
                listener.message(json);
            }
        };
    }

    @Override
    public Channel adoptPipe(int daemonEnd, Listener listener) throws IOException {
        return new PipeChannel(null, NodeIpcChannel.adopt(ipcPump(), daemonEnd, lines(listener)), Map.of(), List.of());
    }

    @Override
    public Channel adoptToken(String token, Listener listener) throws IOException {
        openSockets();
        NodeChannels.Run run = node.register(token, lines(listener));
        node.start(); // listening again, as at a spawn: the preload connects again until it is taken
        return new UnixChannel(null, token, run, Map.of(), List.of());
    }

    @Override
    public List<String> nodeArgs() throws IOException {
        return List.of("-r", preload(ERRORS_PRELOAD).toString());
    }

    @Override
    public List<String> metricsArgs() throws IOException {
        return List.of("-r", preload(METRICS_PRELOAD).toString());
    }

    @Override
    public List<String> traceArgs() throws IOException {
        return List.of("-r", preload(TRACE_PRELOAD).toString());
    }

    /** Writes a preload once per daemon (temp file and rename: a node starting meanwhile never reads half of it). */
    private synchronized Path preload(String resource) throws IOException {
        Path written = preloads.get(resource);
        if (written == null) {
            Path dir = home.resolve("lib");
            // owner-only as the rest of JPM_HOME, whatever the umask (an older jpm left it 0777 less the umask)
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
            Files.setPosixFilePermissions(dir, OWNER_ONLY_FOLDER);
            Path target = dir.resolve(resource);
            Path temp = Files.createTempFile(dir, resource, ".tmp"); // 0600, written through, not replaced
            try (InputStream in = UnixAppChannels.class.getResourceAsStream(resource);
                    OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                if (in == null) {
                    throw new IOException(resource + " is missing from the jar");
                }
                in.transferTo(out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            preloads.put(resource, target);
            written = target;
        }
        return written;
    }

    private static PipePump ipcPump() {
        return PumpPool.first();
    }

    @Override
    public void shutdown() {
        NodeChannels sockets = node;
        if (sockets != null) {
            sockets.shutdown();
        }
    }

    /** What every run's channels hold: its notify socket, the variables and node arguments it is started with. */
    private abstract class RunChannel implements Channel {
        final NotifySockets.Bound bound;
        private final Map<String, String> env;
        private final List<String> nodeArgs;

        RunChannel(NotifySockets.Bound bound, Map<String, String> env, List<String> nodeArgs) {
            this.bound = bound;
            this.env = Map.copyOf(env);
            this.nodeArgs = nodeArgs;
        }

        @Override
        public Map<String, String> env() {
            return env;
        }

        @Override
        public List<String> nodeArgs() {
            return nodeArgs;
        }

        /** A message as the JSON string pm2 sends ('shutdown' becomes "shutdown"). */
        String jsonString(String message) {
            return "\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    /** A run with Node's own IPC pipe ({@link NodeIpcChannel}). */
    private final class PipeChannel extends RunChannel {
        private final NodeIpcChannel ipc;

        PipeChannel(NotifySockets.Bound bound, NodeIpcChannel ipc, Map<String, String> env, List<String> nodeArgs) {
            super(bound, env, nodeArgs);
            this.ipc = ipc;
        }

        @Override
        public List<LaunchSpec.Inherited> inherited() {
            return List.of(new LaunchSpec.Inherited(ipc.childEnd(), "NODE_CHANNEL_FD"));
        }

        @Override
        public int daemonEnd() {
            return ipc.daemonEnd();
        }

        @Override
        public void spawned() {
            ipc.childSpawned();
        }

        @Override
        public boolean send(String message) {
            return ipc.send(jsonString(message));
        }

        @Override
        public boolean sendServer(String json, int fd) {
            return ipc.sendServer(json, fd);
        }

        @Override
        public boolean sendJson(String json) {
            return ipc.send(json);
        }

        @Override
        public int offerConnection(String json, int fd, boolean patient) {
            return ipc.offerConnection(json, fd, patient);
        }

        @Override
        public int offerJson(String json) {
            return ipc.offer(json);
        }

        @Override
        public void close() {
            if (bound != null) { // an adopted run's pipe has no notify socket
                notify.close(bound);
            }
            ipc.close();
        }
    }

    /** A run with jpm-ipc.js's connection to the daemon's Unix socket ({@link NodeChannels}), or only its notify socket. */
    private final class UnixChannel extends RunChannel {
        private final String token;
        private final NodeChannels.Run run;

        UnixChannel(
                NotifySockets.Bound bound,
                String token,
                NodeChannels.Run run,
                Map<String, String> env,
                List<String> nodeArgs) {
            super(bound, env, nodeArgs);
            this.token = token;
            this.run = run;
        }

        @Override
        public boolean send(String message) {
            return run != null && run.send(jsonString(message));
        }

        @Override
        public boolean sendJson(String json) {
            return run != null && run.send(json);
        }

        @Override
        public String ipcToken() {
            return token;
        }

        @Override
        public void close() {
            if (bound != null) { // an adopted run's has no notify socket
                notify.close(bound);
            }
            if (token != null) {
                node.unregister(token);
            }
        }
    }
}
