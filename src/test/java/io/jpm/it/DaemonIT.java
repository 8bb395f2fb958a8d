package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The daemon's own life: auto-start, files in JPM_HOME, one per home, events, kill and SIGTERM. */
class DaemonIT {

  @Test
  void theFirstCommandStartsTheDaemonWithPrivateFiles() throws Exception {
    try (Jpm jpm = new Jpm()) {
      assertFalse(Files.exists(jpm.home.resolve("daemon.json")));
      Jpm.Result ping = jpm.ok("ping");
      assertTrue(ping.out().contains("pong"), ping.toString());
      assertTrue(ping.out().contains("god: ok"), ping.toString());
      JsonObject info = new JsonObject(Files.readString(jpm.home.resolve("daemon.json")));
      assertEquals(jpm.daemonPid(), info.getInteger("pid"));
      assertEquals("127.0.0.1", info.getString("bridgeHost"));
      assertTrue(info.getInteger("bridgePort") > 0);
      for (String file : List.of("daemon.json", "token", "token.readonly")) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(jpm.home.resolve(file))), file);
      }
      assertNotEquals(Files.readString(jpm.home.resolve("token")), Files.readString(jpm.home.resolve("token.readonly")));

      int pid = jpm.daemonPid();
      jpm.ok("ls");
      assertEquals(pid, jpm.daemonPid(), "a second command reuses the daemon");
    }
  }

  @Test
  void aSecondDaemonForTheSameHomeIsRefused() throws Exception {
    try (Jpm jpm = new Jpm()) {
      jpm.ok("ping");
      ProcessBuilder builder = new ProcessBuilder(Jpm.JAVA, "-cp", Jpm.JAR.toString(), "io.jpm.daemon.DaemonMain")
          .redirectErrorStream(true);
      builder.environment().put("JPM_HOME", jpm.home.toString());
      Process second = builder.start();
      String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(1, second.waitFor());
      assertTrue(output.contains("another daemon already runs"), output);
      assertTrue(jpm.ok("ping").out().contains("pong"));
    }
  }

  @Test
  void killStopsEveryAppThenTheDaemon() throws Exception {
    try (Jpm jpm = new Jpm()) {
      jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "a", "-i", "2");
      jpm.ok("start", Jpm.fixture("stubborn.sh").toString(), "--name", "b", "--kill-timeout", "200");
      List<Long> pids = new ArrayList<>();
      for (JsonObject p : jpm.awaitStatus("a", "online")) {
        pids.add((long) p.getInteger("pid"));
        pids.add(jpm.grandchildOf(p.getInteger("pid")));
      }
      pids.add((long) jpm.awaitStatus("b", "online").get(0).getInteger("pid"));
      long daemon = jpm.daemonPid();

      Jpm.Result killed = jpm.ok("kill");
      assertTrue(killed.out().contains("3 process(es) stopped"), killed.toString());
      Jpm.awaitGone(daemon);
      pids.forEach(Jpm::awaitGone);
      assertFalse(Files.exists(jpm.home.resolve("daemon.json")));
      assertFalse(Files.exists(jpm.home.resolve("jpm.pid")));
    }
  }

  @Test
  void sigtermStopsEveryAppThenTheDaemon() throws Exception {
    try (Jpm jpm = new Jpm()) {
      jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "t");
      long app = jpm.awaitStatus("t", "online").get(0).getInteger("pid");
      long grandchild = jpm.grandchildOf(app);
      long daemon = jpm.daemonPid();
      new ProcessBuilder("kill", "-TERM", Long.toString(daemon)).start().waitFor();
      Jpm.awaitGone(daemon);
      Jpm.awaitGone(app);
      Jpm.awaitGone(grandchild);
      assertFalse(Files.exists(jpm.home.resolve("daemon.json")));
    }
  }

  @Test
  void eventsPrintsEveryTransition() throws Exception {
    try (Jpm jpm = new Jpm()) {
      jpm.ok("ping");
      ProcessBuilder builder = new ProcessBuilder(Jpm.JAVA, "-cp", Jpm.JAR.toString(), "io.jpm.cli.Main", "events");
      builder.environment().put("JPM_HOME", jpm.home.toString());
      Process events = builder.start();
      List<JsonObject> seen = new CopyOnWriteArrayList<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            seen.add(new JsonObject(line));
          }
        } catch (Exception e) {
          // the process was stopped
        }
      });
      reader.start();
      try {
        // the subscription is in place once a probe start shows up in the stream
        Jpm.await("events to flow", () -> {
          jpm.cli("start", Jpm.fixture("crash.sh").toString(), "--name", "probe", "--no-autorestart");
          return seen.stream().anyMatch(e -> "probe".equals(e.getString("app"))) ? true : null;
        });
        jpm.ok("start", Jpm.fixture("crash.sh").toString(), "--name", "ev", "--no-autorestart", "--", "5");
        List<String> transitions = Jpm.await("ev to stop", () -> {
          List<String> t = seen.stream().filter(e -> "ev".equals(e.getString("app")))
              .map(e -> e.getString("from") + "->" + e.getString("to")).toList();
          return t.contains("online->stopped") ? t : null;
        });
        assertEquals(List.of("stopped->launching", "launching->online", "online->stopped"), transitions);
        JsonObject last = seen.stream().filter(e -> "ev".equals(e.getString("app")) && "stopped".equals(e.getString("to")))
            .findFirst().orElseThrow();
        assertEquals(5, last.getInteger("exit_code"));
        assertTrue(last.getString("host") != null && last.getLong("time") > 0);
      } finally {
        events.destroy();
      }
    }
  }
}
