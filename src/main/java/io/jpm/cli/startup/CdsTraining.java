package io.jpm.cli.startup;

import io.jpm.cli.CliException;
import io.jpm.cli.Main;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.JpmHome;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code jpm __cds-train}: run once by bin/jpm while it records the client's AppCDS archive, so the
 * archive holds every class a real command loads, not only those of whichever command happened to
 * run first. Exercises argument parsing and the real ls, jlist, describe and restart verbs through a
 * session (daemon.json, token, connection, request, reply) against an in-process stand-in for the
 * bridge, JSON both ways and every rendering. Talks to no daemon.
 */
public final class CdsTraining {
    private CdsTraining() {}

    private static final String PROCESS = "{\"pid\":4242,\"name\":\"api\",\"pm_id\":0,"
            + "\"monit\":{\"memory\":12345678,\"cpu\":1.5},\"pm2_env\":{\"name\":\"api\",\"pm_id\":0,"
            + "\"status\":\"online\",\"restart_time\":1,\"unstable_restarts\":0,\"pm_uptime\":1,\"created_at\":1,"
            + "\"exit_code\":null,\"exec_mode\":\"fork_mode\",\"instances\":1,\"pm_exec_path\":\"/srv/api.py\","
            + "\"pm_cwd\":\"/srv\",\"exec_interpreter\":\"python3\",\"interpreter_args\":[],\"node_args\":[],"
            + "\"args\":[\"--port\",\"8000\"],\"env\":{\"PATH\":\"/usr/bin:/bin\"},\"pm_out_log_path\":\"/o.log\","
            + "\"pm_err_log_path\":\"/e.log\",\"NODE_APP_INSTANCE\":0,\"autorestart\":true,\"max_restarts\":16,"
            + "\"min_uptime\":1000,\"restart_delay\":0,\"exp_backoff_restart_delay\":0,\"kill_timeout\":1600,"
            + "\"stop_exit_codes\":[0]},\"jpm\":{\"host\":\"h\",\"instance_id\":0,\"uptime_ms\":5000,"
            + "\"kill_signal\":\"SIGINT\",\"exit_signal\":null,\"last_reason\":\"spawned\",\"command\":[\"python3\"]}}";

    public static int run() throws IOException {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Main.verb("start")
                .syntax()
                .parse(List.of("app.py", "--name", "api", "-i", "2", "--kill-timeout=3s", "-f", "--", "x"));
        Path home = Files.createTempDirectory("jpm-cds-train-");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread fake = new Thread(() -> answerAll(server), "cds-fake-bridge");
            fake.start();
            // a JPM_HOME whose daemon is the stand-in: the real path of a command, from daemon.json on
            Files.writeString(
                    home.resolve("daemon.json"),
                    "{\"pid\":1,\"bridgeHost\":\"127.0.0.1\",\"bridgePort\":" + server.getLocalPort() + "}");
            Files.writeString(home.resolve("token"), "token");
            try (Session session = new Session(new JpmHome(home), sink)) {
                Main.verb("ls").run(List.of(), session);
                Main.verb("jlist").run(List.of(), session);
                Main.verb("describe").run(List.of("api"), session);
                // the request records and the summary reply of the verbs that act on processes
                Main.verb("restart").run(List.of("api"), session);
            }
            try {
                fake.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            for (String name : List.of("daemon.json", "token")) {
                Files.deleteIfExists(home.resolve(name));
            }
            Files.deleteIfExists(home);
        }
        try {
            throw CliException.usage("training");
        } catch (CliException e) {
            sink.println(e.getMessage());
        }
        return 0;
    }

    /** HttpReplies every frame of one connection, until it closes, the way the bridge answers a list query. */
    private static void answerAll(ServerSocket server) {
        try (Socket socket = server.accept()) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                byte[] request = new byte[in.readInt()];
                in.readFully(request);
                answer(out, Json.parse(request).path("replyAddress").asText());
            }
        } catch (IOException e) {
            // the client closed the connection (EOF), or the training failed: the client side reports it
        }
    }

    private static void answer(DataOutputStream out, String replyAddress) throws IOException {
        byte[] reply = ("{\"type\":\"message\",\"address\":\"" + replyAddress + "\",\"headers\":{},"
                        + "\"body\":{\"ok\":true,\"data\":[" + PROCESS + "," + PROCESS + "]},\"send\":true}")
                .getBytes(StandardCharsets.UTF_8);
        out.writeInt(reply.length);
        out.write(reply);
        out.flush();
    }
}
