package io.jpm.config;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * pm2's {@code script: "serve"} (and {@code jpm serve}): the app is jpm's static file server,
 * run by the daemon's own java from the daemon's own jar, so a dump that says "serve" starts the
 * installed version after an update. JVM flags keep it small: one event loop, serial GC, a 48 MB
 * heap, C1 only.
 */
final class ServeApp {
  private ServeApp() {}

  static final String SCRIPT = "serve";
  static final String MAIN_CLASS = "io.jpm.serve.StaticServer";
  static final List<String> JVM_FLAGS = List.of("-Xms8m", "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
      "-XX:CICompilerCount=1", "-Xss512k", "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=16m");

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Where the daemon's classes are: its jar (or target/classes when run from a build). */
  static String classPath() {
    try {
      return Path.of(ServeApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException("cannot tell where jpm's classes are for the serve app", e);
    }
  }

  /** The JVM flags, then -cp: the interpreter arguments before the class path ("the script"). */
  static List<String> interpreterArgs() {
    var args = new java.util.ArrayList<>(JVM_FLAGS);
    args.add("-cp");
    return args;
  }

  /**
   * pm2's top-level {@code static} section of an ecosystem file (API.js): each entry
   * ({@code path}, {@code port}, {@code host}, {@code spa}, {@code ftp}, {@code basic_auth} with
   * {@code username} and {@code password}, {@code name}) becomes a serve app named
   * {@code static-page-server-<port>} unless named; its path is relative to the file's folder.
   */
  static JsonArray staticApps(Path file, Object section) {
    JsonArray apps = new JsonArray();
    if (section == null) {
      return apps;
    }
    JsonArray entries = section instanceof JsonArray a ? a
        : new JsonArray().add(section);
    for (Object entry : entries) {
      if (!(entry instanceof JsonObject serve)) {
        throw new JpmException(JpmError.INVALID_CONFIG,
            file + ": static: each entry must be an object like {\"path\": \"./public\", \"port\": 8080}, got " + entry);
      }
      Object port = serve.getValue("port", 8080);
      Path folder = (file.getParent() == null ? Path.of(".") : file.getParent()).resolve(String.valueOf(serve.getValue("path", "."))).normalize();
      JsonObject env = new JsonObject()
          .put("PM2_SERVE_PATH", folder.toString()).put("PM2_SERVE_PORT", String.valueOf(port))
          .put("PM2_SERVE_SPA", String.valueOf(Boolean.TRUE.equals(serve.getValue("spa"))))
          .put("PM2_SERVE_FTP", String.valueOf(Boolean.TRUE.equals(serve.getValue("ftp"))));
      if (serve.getValue("host") != null) {
        env.put("PM2_SERVE_HOST", String.valueOf(serve.getValue("host")));
      }
      if (serve.getValue("basic_auth") instanceof JsonObject auth) {
        env.put("PM2_SERVE_BASIC_AUTH", "true").put("PM2_SERVE_BASIC_AUTH_USERNAME", auth.getString("username"))
            .put("PM2_SERVE_BASIC_AUTH_PASSWORD", auth.getString("password"));
      }
      apps.add(new JsonObject().put("name", serve.getValue("name", "static-page-server-" + port))
          .put("script", SCRIPT).put("cwd", folder.toString()).put("env", env));
    }
    return apps;
  }
}
