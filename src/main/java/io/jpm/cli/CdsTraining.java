package io.jpm.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code jpm __cds-train}: run once by bin/jpm while it records the client's AppCDS archive, so the
 * archive holds every class a real command loads, not only those of whichever command happened to
 * run first. Exercises argument parsing, a full request/reply over a loopback socket to an
 * in-process stand-in for the bridge, JSON both ways and both renderings. Talks to no daemon.
 */
final class CdsTraining {
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

  static int run() throws IOException {
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    Args.parse("start", List.of("app.py", "--name", "api", "-i", "2", "--kill-timeout=3s", "-f", "--", "x"),
        StartCommand.VALUED, StartCommand.SWITCHES);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread fake = new Thread(() -> answerOnce(server), "cds-fake-bridge");
      fake.start();
      try (BridgeClient client = BridgeClient.connect("127.0.0.1", server.getLocalPort(), "token", 5000)) {
        Json.Value processes = client.request("jpm.query.list", Map.of("env", false), 5000);
        sink.print(Render.table(processes));
        for (Json.Value p : processes) {
          sink.print(Render.describe(p));
        }
        sink.println(processes);
      }
      try {
        fake.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      throw CliException.usage("training");
    } catch (CliException e) {
      sink.println(e.getMessage());
    }
    return 0;
  }

  /** Reads one frame and answers it the way the bridge answers a list query. */
  private static void answerOnce(ServerSocket server) {
    try (Socket socket = server.accept()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] request = new byte[in.readInt()];
      in.readFully(request);
      String replyAddress = Json.parse(request).path("replyAddress").asText();
      byte[] reply = ("{\"type\":\"message\",\"address\":\"" + replyAddress + "\",\"headers\":{},"
          + "\"body\":{\"ok\":true,\"data\":[" + PROCESS + "," + PROCESS + "]},\"send\":true}")
          .getBytes(StandardCharsets.UTF_8);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(reply.length);
      out.write(reply);
      out.flush();
    } catch (IOException e) {
      // training only: the client side reports the failure
    }
  }
}
