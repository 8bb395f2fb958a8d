package io.jpm.config;

import io.jpm.protocol.AppOption;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.serve.ServeOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * pm2's {@code script: "serve"} (what {@code jpm serve} starts too) and the top-level
 * {@code static} section: jpm's static file server, a main class of jpm's own jar run by the
 * daemon's own java and class path, so it needs nothing installed and a dump that says "serve"
 * starts the installed version after an update. Its app is an ordinary app (listed, restarted,
 * logged, saved); only its command line is made here.
 */
final class ServeApp {
    private ServeApp() {}

    /** The script name that means the static file server, as in pm2 (API.js: app.script === 'serve'). */
    static final String SCRIPT = "serve";

    /**
     * The server's main class, io.jpm.serve.StaticServer, named by text so the daemon never loads it
     * (verifying it would load vertx-web classes).
     */
    static final String MAIN_CLASS = "io.jpm.serve.StaticServer";

    /**
     * A small JVM: the server holds no state and serves from the page cache, so a small heap, C1
     * only and one compiler thread (docs/BENCHMARKS.md, "Static file server"). An app's own
     * interpreter_args come after these, so a bigger -Xmx there wins.
     */
    static final List<String> JVM_FLAGS = List.of(
            "-Xms4m",
            "-Xmx32m",
            "-XX:+UseSerialGC",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=20",
            "-Xss256k",
            "-XX:TieredStopAtLevel=1",
            "-XX:CICompilerCount=1",
            "-XX:ReservedCodeCacheSize=8m",
            "-XX:MaxMetaspaceSize=48m",
            "-XX:-UsePerfData");

    /** The command before the main class: the daemon's java and class path. */
    static List<String> interpreter() {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(java, "-cp", System.getProperty("java.class.path"));
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
        JsonArray entries = section instanceof JsonArray a ? a : new JsonArray().add(section);
        for (Object entry : entries) {
            if (!(entry instanceof JsonObject serve)) {
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        file
                                + ": static: each entry must be an object like {\"path\": \"./public\", \"port\": 8080}, got "
                                + entry);
            }
            Object port = serve.getValue("port", 8080);
            Path folder = (file.getParent() == null ? Path.of(".") : file.getParent())
                    .resolve(String.valueOf(serve.getValue("path", ".")))
                    .normalize();
            JsonObject env = new JsonObject()
                    .put("PM2_SERVE_PATH", folder.toString())
                    .put("PM2_SERVE_PORT", String.valueOf(port))
                    .put("PM2_SERVE_SPA", String.valueOf(Boolean.TRUE.equals(serve.getValue("spa"))))
                    .put("PM2_SERVE_FTP", String.valueOf(Boolean.TRUE.equals(serve.getValue("ftp"))));
            if (serve.getValue("host") != null) {
                env.put("PM2_SERVE_HOST", String.valueOf(serve.getValue(AppOption.HOST.key)));
            }
            if (serve.getValue("basic_auth") instanceof JsonObject auth) {
                env.put("PM2_SERVE_BASIC_AUTH", "true")
                        .put("PM2_SERVE_BASIC_AUTH_USERNAME", auth.getString("username"))
                        .put("PM2_SERVE_BASIC_AUTH_PASSWORD", auth.getString("password"));
            }
            apps.add(new JsonObject()
                    .put(AppOption.NAME.key, serve.getValue(AppOption.NAME.key, "static-page-server-" + port))
                    .put(AppOption.SCRIPT.key, SCRIPT)
                    .put(AppOption.CWD.key, folder.toString())
                    .put(AppOption.ENV.key, env));
        }
        return apps;
    }
}
