package io.jpm.config;

import io.jpm.serve.ServeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * pm2's {@code script: "serve"} (what {@code jpm serve} starts too): jpm's static file server, a
 * main class of jpm's own jar run by the daemon's own java, so it needs nothing installed. Its app
 * is an ordinary app (listed, restarted, logged, saved); only its command line is made here.
 */
final class ServeScript {
  /** The script name that means the static file server, as in pm2 (API.js: app.script === 'serve'). */
  static final String NAME = "serve";

  /**
   * A small JVM: the server holds no state and serves from the page cache, so a small heap, C1
   * only and one compiler thread (docs/BENCHMARKS.md, "Static file server"). An app's own interpreter_args
   * come after these, so a bigger -Xmx there wins.
   */
  static final List<String> JVM_FLAGS = List.of(
      "-Xms4m", "-Xmx32m", "-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-Xss256k",
      "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=8m", "-XX:MaxMetaspaceSize=48m",
      "-XX:-UsePerfData");

  private ServeScript() {}

  /** The command before the main class: the daemon's java and class path. */
  static List<String> interpreter() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return List.of(java, "-cp", System.getProperty("java.class.path"));
  }

  /**
   * What stands where a script's path would: the server's main class, io.jpm.serve.StaticServer.
   * Named by text so the daemon never loads it (verifying it would load vertx-web classes).
   */
  static String mainClass() {
    return "io.jpm.serve.StaticServer";
  }

  /** jpm's JVM flags, then the app's own. */
  static List<String> jvmFlags(List<String> declared) {
    List<String> flags = new ArrayList<>(JVM_FLAGS);
    flags.addAll(declared);
    return flags;
  }

  /**
   * The server's options as the app would read them, so a bad port or a missing folder is refused
   * before anything starts.
   *
   * @return null when they are good, else the problem in one line
   */
  static String problem(Map<String, String> env, List<String> args, Path cwd) {
    try {
      ServeOptions.read(env, args, cwd);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
