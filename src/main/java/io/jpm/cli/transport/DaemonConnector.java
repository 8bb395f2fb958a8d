package io.jpm.cli.transport;

import io.jpm.cli.CliException;
import io.jpm.cli.startup.DaemonArchive;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmHome;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

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
      "-Xms4m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20",
      "-Xss512k", "-XX:CICompilerCount=2", "-XX:MaxMetaspaceSize=192m",
      "-XX:ReservedCodeCacheSize=32m", "-XX:+IgnoreUnrecognizedVMOptions", "-XX:TrimNativeHeapInterval=5000",
      "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  /** The daemon's system property that ties its life to its stdin (DaemonMain reads it; no import of it here). */
  static final String FOREGROUND_PROPERTY = "jpm.exitWithStdin";

  private final JpmHome home;

  public DaemonConnector(JpmHome home) {
    this.home = home;
  }

  /** A client to the running daemon, or null when none answers. */
  public BridgeClient connectIfRunning() {
    try {
      if (!Files.isRegularFile(home.daemonJson()) || !Files.isRegularFile(home.token())) {
        return null;
      }
      Json.Value info = Json.parse(Files.readAllBytes(home.daemonJson()));
      String token = Files.readString(home.token()).trim();
      java.nio.file.Path own = home.cliSocket();
      if (own != null && Files.exists(own)) {
        try {
          return BridgeClient.connect(own, token);
        } catch (IOException | RuntimeException e) {
          // not ours to open (another user's jpm with a copy of the token), or left by a dead daemon: TCP then
        }
      }
      BridgeClient client = BridgeClient.connect(info.path("bridgeHost").asText("127.0.0.1"),
          info.path("bridgePort").asInt(), token, CONNECT_TIMEOUT_MS);
      return client;
    } catch (IOException e) {
      return null;
    }
  }

  /** A client to the daemon, starting one first when none answers. */
  public BridgeClient connectOrStart() {
    BridgeClient client = connectIfRunning();
    if (client != null) {
      return client;
    }
    try {
      Files.createDirectories(home.root());
      try (RandomAccessFile lockFile = new RandomAccessFile(home.startLock().toFile(), "rw");
          FileLock lock = lockFile.getChannel().lock()) {
        client = connectIfRunning(); // another client may have started it meanwhile
        return client != null ? client : startConfiguredDaemon();
      }
    } catch (IOException e) {
      throw new CliException(JpmError.UNAVAILABLE, "cannot start the daemon in " + home.root() + ": " + e.getMessage());
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
      archive.recordInBackground(home.daemonLog());
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
    Files.createDirectories(home.root());
    try (RandomAccessFile lockFile = new RandomAccessFile(home.startLock().toFile(), "rw");
        FileLock lock = lockFile.getChannel().lock()) {
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
    Files.createDirectories(home.root());
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
        .redirectInput(foreground ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(home.daemonLog().toFile()))
        .redirectErrorStream(true);
    builder.environment().put("JPM_HOME", home.root().toString());
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
    try (FileChannel channel = FileChannel.open(home.daemonLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      for (FileLock free = channel.tryLock(); free == null; free = channel.tryLock()) {
        if (System.currentTimeMillis() > deadline) {
          throw new CliException(JpmError.UNAVAILABLE, "a daemon still holds " + home.daemonLock() + " after "
              + STOPPING_DEADLINE_MS / 1000 + " s without answering: see " + home.daemonLog());
        }
        if (!told) {
          System.err.println("[jpm] waiting for the daemon that is stopping in " + home.root());
          told = true;
        }
        pause();
      }
    }
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
        throw new CliException(JpmError.UNAVAILABLE,
            "the daemon exited at start (code " + daemon.exitValue() + "); see " + home.daemonLog());
      }
      pause();
    }
    // not left half-started behind the failed command: nothing else would ever stop it. SIGTERM
    // first, which stops whatever it started; SIGKILL if it does not end
    daemon.destroy();
    try {
      if (!daemon.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      daemon.destroyForcibly();
    }
    throw new CliException(JpmError.UNAVAILABLE, "the daemon did not answer within 30 s (stopped it); see " + home.daemonLog());
  }

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
      return Path.of(DaemonConnector.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new CliException(JpmError.INTERNAL, "cannot locate the jpm jar: " + e.getMessage());
    }
  }
}
