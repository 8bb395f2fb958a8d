package io.jpm.config;

import io.jpm.protocol.DayjsFormat;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** Reads an app's log options (pm2's names plus pm2-logrotate's) into {@link LogOptions}. */
final class LogOptionsParser {
    static final Set<String> OPTIONS = Set.of(
            "log_file",
            "merge_logs",
            "combine_logs",
            "log_date_format",
            "time",
            "log_type",
            "max_size",
            "retain",
            "compress",
            "rotate_interval");

    /** Builds the error naming where, the app and the option. */
    interface Errors {
        JpmException error(String label, String option, String problem);
    }

    private LogOptionsParser() {}

    /** @param env the environment of whoever ran the command: a {@code ~} in log_file is in its HOME */
    static LogOptions parse(
            JsonObject app,
            String label,
            Path cwd,
            Map<String, String> env,
            Errors errors,
            BiConsumer<String, String> warn) {
        String logFile = null;
        boolean defaultLogFile = false;
        Object log = app.getValue("log_file");
        if (log instanceof Boolean b) {
            defaultLogFile = b;
        } else if (log instanceof String s) {
            if (s.isBlank()) {
                throw errors.error(label, "log_file", "must be a path, true or false");
            }
            logFile = "true".equals(s)
                    ? null
                    : "false".equals(s) || isNull(s)
                            ? null
                            : cwd.resolve(LogPaths.expandHome(s, env))
                                    .normalize()
                                    .toString();
            defaultLogFile = "true".equals(s);
        } else if (log != null) {
            throw errors.error(label, "log_file", "must be a path, true or false, got " + log);
        }
        Boolean merge = null;
        for (String option : new String[] {"combine_logs", "merge_logs"}) {
            Object value = app.getValue(option);
            if (value != null) {
                merge = bool(errors, label, option, value);
            }
        }
        String dateFormat = null;
        Object time = app.getValue("time");
        if (time != null && bool(errors, label, "time", time)) {
            dateFormat = DayjsFormat.PM2_TIME;
        }
        Object format = app.getValue("log_date_format");
        if ("".equals(format)) {
            format = null; // pm2: an empty format is no format, lines go without a time
        }
        if (format != null) {
            if (!(format instanceof String s)) {
                throw errors.error(
                        label,
                        "log_date_format",
                        "must be a string of dayjs tokens like \"YYYY-MM-DD HH:mm:ss Z\", got " + format);
            }
            try {
                dateFormat = DayjsFormat.compile(s).pattern();
            } catch (IllegalArgumentException e) {
                throw errors.error(label, "log_date_format", e.getMessage());
            }
        }
        Object type = app.getValue("log_type");
        boolean json = false;
        if (type != null) {
            if (!(type instanceof String)) {
                throw errors.error(label, "log_type", "must be \"json\" (or \"raw\", the default), got " + type);
            }
            if (!"json".equals(type) && !"raw".equals(type)) {
                // pm2 writes JSON lines for "json" and raw lines for any other word
                warn.accept("log_type", "is '" + type + "', which is not \"json\": lines are written raw");
            }
            json = "json".equals(type);
        }
        try {
            return new LogOptions(
                    logFile,
                    defaultLogFile,
                    merge,
                    dateFormat,
                    json,
                    app.containsKey("max_size") ? LogRotationPolicy.size("max_size", app.getValue("max_size")) : null,
                    app.containsKey("retain") ? LogRotationPolicy.retain("retain", app.getValue("retain")) : null,
                    app.containsKey("compress") ? LogRotationPolicy.bool("compress", app.getValue("compress")) : null,
                    app.containsKey("rotate_interval")
                            ? LogRotationPolicy.interval("rotate_interval", app.getValue("rotate_interval"))
                            : null);
        } catch (IllegalArgumentException e) {
            String option = e.getMessage().substring(0, e.getMessage().indexOf(' '));
            throw errors.error(label, option, e.getMessage().substring(option.length() + 1));
        }
    }

    /** pm2 drops a stream whose file is NULL or /dev/null. */
    static boolean isNull(String path) {
        return "NULL".equals(path) || "/dev/null".equals(path);
    }

    private static boolean bool(Errors errors, String label, String option, Object value) {
        try {
            return LogRotationPolicy.bool(option, value);
        } catch (IllegalArgumentException e) {
            throw errors.error(label, option, "must be true or false, got " + value);
        }
    }
}
