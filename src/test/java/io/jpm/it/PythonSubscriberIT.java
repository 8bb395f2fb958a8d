package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/subscriber.py against a real daemon: an external service holding only the read-only
 * token sees the lifecycle events of an app the admin starts, and cannot stop it.
 */
class PythonSubscriberIT {
  private static final Path BASEDIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String APP = "sub-test";

  @TempDir Path home;

  private Process daemon;
  private Process subscriber;
  /** The app's pid once known: it runs in its own session, so it outlives a killed daemon. */
  private Long appPid;

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (Process process : new Process[] {subscriber, daemon}) {
      if (process != null && process.isAlive()) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (appPid != null) {
      ProcessHandle.of(appPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void readOnlySubscriberSeesTheLifecycleAndCannotStopTheApp() throws Exception {
    assumeTrue(onPath("python3"), "python3 is not on PATH");
    JsonObject info = startDaemon();
    String admin = Files.readString(home.resolve("token")).strip();
    String readOnly = Files.readString(home.resolve("token.readonly")).strip();

    List<String> events = Collections.synchronizedList(new ArrayList<>());
    StringBuffer errors = new StringBuffer();
    CompletableFuture<Void> subscribed = new CompletableFuture<>();
    ProcessBuilder python = new ProcessBuilder("python3", BASEDIR.resolve("examples/subscriber.py").toString(),
        "--count", "2", "--token-file", "token.readonly");
    python.environment().put("JPM_HOME", home.toString());
    subscriber = python.start();
    subscriber.onExit().thenRun(() -> subscribed.completeExceptionally(
        new IllegalStateException("the subscriber exited with " + subscriber.exitValue())));
    pump(subscriber.getInputStream(), events::add);
    pump(subscriber.getErrorStream(), line -> {
      errors.append(line).append('\n');
      if (line.startsWith("subscribed to jpm.events.process")) {
        subscribed.complete(null);
      }
    });
    await(subscribed, "subscription", errors);

    try (BridgeFrames bridge = BridgeFrames.connect(info.getString("bridgeHost", "127.0.0.1"), info.getInteger("bridgePort"))) {
      JsonObject start = new JsonObject()
          .put("apps", new JsonArray().add(new JsonObject().put("script", "/bin/sleep").put("args", "100").put("name", APP)))
          .put("cwd", "/tmp")
          .put("env", new JsonObject().put("PATH", "/usr/bin:/bin"));
      JsonObject started = bridge.request("jpm.cmd.start", start, admin, TIMEOUT);
      JsonObject summary = data(started).getJsonObject(0);
      assertEquals(APP, summary.getString("name"), started::encode);
      assertEquals("online", summary.getString("status"), started::encode);
      appPid = summary.getLong("pid");

      assertTrue(subscriber.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "subscriber still running; stderr:\n" + errors);
      assertEquals(0, subscriber.exitValue(), "subscriber exit status; stderr:\n" + errors);
      List<String> lines = List.copyOf(events);
      assertTrue(hasEvent(lines, "launching"), "no launching event for " + APP + " in " + lines);
      assertTrue(hasEvent(lines, "online"), "no online event for " + APP + " in " + lines);

      JsonObject refused = bridge.request("jpm.cmd.stop", new JsonObject().put("targets", new JsonArray().add(APP)),
          readOnly, TIMEOUT);
      assertEquals("err", refused.getString("type"), refused::encode);
      assertEquals(16, refused.getInteger("failureCode"), refused::encode);
      assertTrue(refused.getString("message", "").startsWith("access denied"), refused::encode);

      JsonObject listed = bridge.request("jpm.query.list", new JsonObject(), readOnly, TIMEOUT);
      JsonObject app = data(listed).getJsonObject(0);
      assertEquals(APP, app.getString("name"), listed::encode);
      assertEquals("online", app.getJsonObject("pm2_env").getString("status"), listed::encode);
      assertEquals(appPid, app.getLong("pid"), listed::encode);
      assertTrue(ProcessHandle.of(appPid).map(ProcessHandle::isAlive).orElse(false), "app process " + appPid + " is gone");

      JsonObject killed = bridge.request("jpm.cmd.kill", new JsonObject(), admin, TIMEOUT);
      assertEquals(1, killed.getJsonObject("body").getJsonObject("data").getInteger("stopped"), killed::encode);
    }
    assertTrue(daemon.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the daemon did not exit after jpm.cmd.kill");
    long pid = appPid;
    poll(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the app to be gone after kill");
  }

  /** Starts the daemon in the temp JPM_HOME and returns daemon.json once it appears. */
  private JsonObject startDaemon() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", BASEDIR.resolve("target/jpm.jar").toString(),
        "io.jpm.daemon.DaemonMain");
    builder.environment().put("JPM_HOME", home.toString());
    // a file, not a pipe nobody reads: a chatty daemon must never block on its own output
    builder.redirectErrorStream(true).redirectOutput(home.resolve("daemon.out").toFile());
    daemon = builder.start();
    Path json = home.resolve("daemon.json");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!daemon.isAlive()) {
        fail("the daemon exited with " + daemon.exitValue() + ":\n" + Files.readString(home.resolve("daemon.out")));
      }
      if (Files.isRegularFile(json)) {
        try {
          return new JsonObject(Files.readString(json));
        } catch (DecodeException | IOException e) {
          // written by rename, so this is a file about to be replaced: look again
        }
      }
      Thread.sleep(50);
    }
    throw new TimeoutException("no daemon.json within " + TIMEOUT + ":\n" + Files.readString(home.resolve("daemon.out")));
  }

  private static JsonArray data(JsonObject reply) {
    assertEquals("message", reply.getString("type"), reply::encode);
    JsonObject body = reply.getJsonObject("body");
    assertEquals(Boolean.TRUE, body.getBoolean("ok"), reply::encode);
    return body.getJsonArray("data");
  }

  private static boolean hasEvent(List<String> lines, String to) {
    return lines.stream().map(JsonObject::new)
        .anyMatch(e -> APP.equals(e.getString("app")) && to.equals(e.getString("to")));
  }

  private static void pump(InputStream stream, Consumer<String> lines) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          lines.accept(line);
        }
      } catch (IOException e) {
        // the process is gone: nothing more to read
      }
    }, "subscriber-output");
    thread.setDaemon(true);
    thread.start();
  }

  private void await(CompletableFuture<Void> future, String what, CharSequence errors) throws Exception {
    try {
      future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      fail("no " + what + " (" + e.getMessage() + "); subscriber stderr:\n" + errors);
    }
  }

  private static void poll(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
