package io.jpm.cli.startup;

import io.jpm.cli.CliException;
import io.jpm.cli.Main;
import io.jpm.cli.transport.DaemonConnector;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmHome;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code jpm __cds-train}: run once by bin/jpm while it records the client's AppCDS archive, so the
 * archive holds every class a real command loads, not only those of whichever command happened to
 * run first. Exercises argument parsing and the real ls, jlist, describe, restart and start verbs
 * through a session (daemon.json, token, connection over jpm.sock, request, reply) against an
 * in-process stand-in for the bridge, JSON both ways and every rendering, then ls over the TCP port.
 * Talks to no daemon.
 */
public final class CdsTraining {
    private CdsTraining() {}

    private static final String PROCESS = "{\"pid\":4242,\"name\":\"api\",\"pm_id\":0,"
            + "\"monit\":{\"memory\":12345678,\"cpu\":1.5},\"pm2_env\":{\"name\":\"api\",\"pm_id\":0,"
            + "\"status\":\"online\",\"restart_time\":1,\"unstable_restarts\":0,\"pm_uptime\":1,\"created_at\":1,"
            + "\"exit_code\":null,\"exec_mode\":\"fork_mode\",\"instances\":1,\"pm_exec_path\":\"/srv/api.py\","
            + "\"pm_cwd\":\"/srv\",\"exec_interpreter\":\"python3\",\"interpreter_args\":[],\"node_args\":[],"
            + "\"args\":[\"--port\",\"8000\"],\"env\":{\"PATH\":\"/usr/bin:/bin\"},\"pm_out_log_path\":\"/o.log\","
            + "\"pm_err_log_path\":\"/e.log\",\"NODE_APP_INSTANCE\":0," + rowOptionsAtTheirDefaults()
            + "\"stop_exit_codes\":[0]},\"jpm\":{\"host\":\"h\",\"instance_id\":0,\"uptime_ms\":5000,"
            + "\"kill_signal\":\"SIGINT\",\"exit_signal\":null,\"last_reason\":\"spawned\",\"command\":[\"python3\"]}}";

    /** The pm2_env keys of the options describe shows in rows of their own, each at its declared default. */
    private static String rowOptionsAtTheirDefaults() {
        StringBuilder json = new StringBuilder();
        for (AppOption option : AppOption.values()) {
            if (option.row != null && option.defaultValue != null && option.describedAs.startsWith("pm2_env.")) {
                json.append('"')
                        .append(option.key)
                        .append("\":")
                        .append(option.defaultValue)
                        .append(',');
            }
        }
        return json.toString();
    }

    public static int run() throws IOException {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Main.verb("start")
                .syntax()
                .parse(List.of("app.py", "--name", "api", "-i", "2", "--kill-timeout=3s", "-f", "--", "x"));
        Path home = Files.createTempDirectory("jpm-cds-train-");
        JpmHome jpmHome = new JpmHome(home);
        Path socket = jpmHome.cliSocket();
        try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocketChannel unix =
                        socket == null ? null : ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            // a JPM_HOME whose daemon is the stand-in: the real path of a command, from daemon.json on
            // (its socket, as a daemon's daemon.json names it, is the home's jpm.sock)
            Files.writeString(
                    home.resolve("daemon.json"),
                    "{\"pid\":1,\"bridgeHost\":\"127.0.0.1\",\"bridgePort\":" + tcp.getLocalPort()
                            + (socket == null ? "" : ",\"socket\":\"" + socket + "\"") + "}");
            Files.writeString(home.resolve("token"), "token");
            // jpm.sock, the door every local command takes (DaemonConnector): its classes, the JDK's
            // Unix channel and selector among them, are most of what the archive would miss
            boolean overUnix = unix != null && bound(unix, socket);
            if (overUnix) {
                Thread stand = standIn(() -> {
                    try (SocketChannel channel = unix.accept()) {
                        answerAll(Channels.newInputStream(channel), Channels.newOutputStream(channel));
                    }
                });
                try (Session session = new Session(jpmHome, sink)) {
                    commands(session);
                }
                join(stand);
                Files.delete(socket);
            }
            // the TCP port, where a command goes when jpm.sock is not there or not its own
            Thread stand = standIn(() -> {
                try (Socket connection = tcp.accept()) {
                    answerAll(connection.getInputStream(), connection.getOutputStream());
                }
            });
            try (Session session = new Session(jpmHome, sink)) {
                if (overUnix) {
                    run("ls", session);
                } else {
                    commands(session);
                }
            }
            join(stand);
        } finally {
            for (String name : List.of("daemon.json", "token", "jpm.sock")) {
                Files.deleteIfExists(home.resolve(name));
            }
            Files.deleteIfExists(home);
        }
        try {
            throw CliException.usage("training");
        } catch (CliException e) {
            sink.println(e.getMessage());
        }
        spawnPath();
        return 0;
    }

    /**
     * The path of a command that starts the daemon (the first command after a boot or a kill), up to
     * the spawn, in a home of its own with no daemon and no keeper: every verb's command class (the first
     * command may be any verb), the look for a running or kept daemon (its lambdas), the start lock, the
     * daemon's command line (its flags, archive and the keeper's script written into that home), and the
     * JDK's process classes and lambdas, which a spawn of {@code true} shaped like the keeper's
     * (DaemonSpawn) loads. Without them in the archive, that command read them from the jar and the
     * runtime image on its way to the spawn (the first ProcessBuilder.start: ~40 ms here, ~27 with the
     * JDK's classes archived; the rest of the way, ~6 ms: docs/BENCHMARKS.md, "Where a first command goes").
     */
    private static void spawnPath() throws IOException {
        Main.commands();
        for (String name : List.of(
                "io.jpm.cli.transport.DaemonSpawn",
                "io.jpm.cli.transport.ForkedKeeper",
                "io.jpm.cli.transport.StartLog")) {
            try {
                Class.forName(name, false, CdsTraining.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IOException("training: " + name + " is not in the jar", e);
            }
        }
        Path home = Files.createTempDirectory("jpm-cds-spawn-");
        try {
            DaemonConnector connector = new DaemonConnector(new JpmHome(home));
            if (connector.connectIfRunningOrKept() != null) {
                throw new IOException("training: a daemon answered in " + home);
            }
            try (FileChannel lockFile = FileChannel.open(
                            home.resolve("start.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockFile.lock()) {
                connector.keeperStart();
            }
            ProcessBuilder spawn = new ProcessBuilder("true")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            home.resolve("daemon.log").toFile()))
                    .redirectErrorStream(true);
            spawn.environment().remove(JpmEnv.KEEPER_FD.variable);
            try {
                spawn.start().waitFor(); // no child left running: the JVM's exit would wait for its reaper
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            try (Stream<Path> made = Files.walk(home)) {
                for (Path path : made.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** Whether the stand-in listens at jpm.sock; where it cannot (a folder without sockets), TCP alone is trained. */
    private static boolean bound(ServerSocketChannel unix, Path socket) {
        try {
            unix.bind(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The verbs whose classes the archive holds: each one's request, its reply read and rendered. */
    private static void commands(Session session) throws IOException {
        run("ls", session);
        run("jlist", session);
        run("describe api", session);
        // the request records and the summary reply of the verbs that act on processes
        run("restart api", session);
        run("start apps.json", session);
    }

    /**
     * A command line's verb run on the words after it, handed over as Main hands them: a sublist of
     * Arrays.asList, whose classes the archive then holds (List.of's are others, loaded at each start).
     */
    private static void run(String line, Session session) throws IOException {
        List<String> words = Arrays.asList(line.split(" "));
        int exit = Main.verb(words.get(0)).run(words.subList(1, words.size()), session);
        if (exit != 0) {
            // a command that failed went another way than a real one: the archive would miss its classes
            throw new IOException("training: `jpm " + line + "` exited " + exit);
        }
    }

    private interface Connection {
        void serve() throws IOException;
    }

    /** The stand-in for the bridge: answers one connection on a thread of its own. */
    private static Thread standIn(Connection connection) {
        Thread thread = new Thread(
                () -> {
                    try {
                        connection.serve();
                    } catch (IOException e) {
                        // the client closed the connection (EOF), or the training failed: the client side reports it
                    }
                },
                "cds-fake-bridge");
        thread.start();
        return thread;
    }

    private static void join(Thread thread) {
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Answers every frame of one connection, until it closes, the way the bridge answers: the token's
     * ping with a pong (a client takes any other answer for a door that closed it, and connects again),
     * every request as a list query.
     */
    private static void answerAll(InputStream input, OutputStream output) throws IOException {
        DataInputStream in = new DataInputStream(input);
        DataOutputStream out = new DataOutputStream(output);
        while (true) {
            byte[] request = new byte[in.readInt()];
            in.readFully(request);
            Json.Value frame = Json.parse(request);
            if ("ping".equals(frame.path("type").asText(null))) {
                write(out, "{\"type\":\"pong\"}");
            } else {
                answer(out, frame.path("replyAddress").asText());
            }
        }
    }

    private static void write(DataOutputStream out, String frame) throws IOException {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    private static void answer(DataOutputStream out, String replyAddress) throws IOException {
        write(
                out,
                "{\"type\":\"message\",\"address\":\"" + replyAddress + "\",\"headers\":{},"
                        + "\"body\":{\"ok\":true,\"data\":[" + PROCESS + "," + PROCESS + "]},\"send\":true}");
    }
}
