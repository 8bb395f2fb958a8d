package io.jpm.config;

import io.jpm.protocol.AppOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * pm2's log file rules for one instance (pm2's Common.js and God.js): default names
 * {@code <logs>/<name>-out.log}, {@code <name>-error.log} and, with {@code log_file: true},
 * {@code <name>.log}, where the name has every character but letters, digits, '.' and '-'
 * replaced by '-'; {@code NULL} or {@code /dev/null} drops a stream; unless logs are merged, a
 * path ending in {@code .log} gets {@code -<pm_id>} before the extension (replacing a number
 * already there). Logs are merged when {@code merge_logs} says so, and by default for a fork app
 * that does not set {@code instances}.
 *
 * @param out pm_out_log_path ({@code /dev/null} when dropped)
 * @param err pm_err_log_path ({@code /dev/null} when dropped)
 * @param log pm_log_path, the file of both streams; null for none
 */
public record LogPaths(String out, String err, String log) {
    public static final String DEV_NULL = "/dev/null";

    public static LogPaths of(AppConfig config, Path logsDir, int pmId) {
        String name = fileName(config.name());
        LogOptions options = config.logs();
        String out = config.outFile() != null
                ? config.outFile()
                : logsDir.resolve(name + "-out.log").toString();
        String err = config.errorFile() != null
                ? config.errorFile()
                : logsDir.resolve(name + "-error.log").toString();
        String log = options.logFile() != null
                ? options.logFile()
                : options.defaultLogFile() ? logsDir.resolve(name + ".log").toString() : null;
        if (!merged(config)) {
            out = withId(out, pmId);
            err = withId(err, pmId);
            log = log == null ? null : withId(log, pmId);
        }
        return new LogPaths(out, err, log);
    }

    /**
     * pm2's resolveHome for log and pid paths: {@code ~} or {@code ~/...} is in the home of whoever
     * ran the command ({@code HOME} of its environment, else the daemon's). Other paths as they are.
     */
    public static String expandHome(String path, Map<String, String> env) {
        if (!path.equals("~") && !path.startsWith("~/")) {
            return path;
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return home + path.substring(1);
    }

    /** pm2's formated_app_name. */
    public static String fileName(String appName) {
        return appName.replaceAll("[^a-zA-Z0-9.\\-]", "-");
    }

    /** merge_logs as given, else pm2's default. */
    public static boolean merged(AppConfig config) {
        if (config.logs().mergeLogs() != null) {
            return config.logs().mergeLogs();
        }
        Object instances = config.source() == null ? null : config.source().getValue(AppOption.INSTANCES.key);
        boolean noInstances = instances == null
                || "max".equals(instances)
                || "0".equals(instances)
                || (instances instanceof Number n && n.intValue() == 0);
        return "fork".equals(config.execMode()) && noInstances;
    }

    static String withId(String path, int pmId) {
        if (DEV_NULL.equals(path)) {
            return path;
        }
        return path.replaceAll("-[0-9]+\\.log$|\\.log$", "-" + pmId + ".log");
    }
}
