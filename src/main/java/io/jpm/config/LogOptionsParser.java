package io.jpm.config;

import io.jpm.protocol.AppOption;
import io.jpm.protocol.DayjsFormat;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/** Reads an app's log options (pm2's names plus pm2-logrotate's) into {@link LogOptions}. */
final class LogOptionsParser {
    /** pm2's old name of merge_logs, read as given. */
    private static final String COMBINE_LOGS = "combine_logs";

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
        String logOption = AppOption.LOG_FILE.key;
        Object log = app.getValue(logOption);
        if (log instanceof Boolean b) {
            defaultLogFile = b;
        } else if (log instanceof String s) {
            if (s.isBlank()) {
                throw errors.error(label, logOption, "must be a path, true or false");
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
            throw errors.error(label, logOption, "must be a path, true or false, got " + log);
        }
        Boolean merge = null;
        for (String option : new String[] {COMBINE_LOGS, AppOption.MERGE_LOGS.key}) {
            Object value = app.getValue(option);
            if (value != null) {
                merge = bool(errors, label, option, value);
            }
        }
        String dateFormat = dateFormat(app, label, errors);
        String typeOption = AppOption.LOG_TYPE.key;
        Object type = app.getValue(typeOption);
        boolean json = false;
        if (type != null) {
            if (!(type instanceof String)) {
                throw errors.error(label, typeOption, "must be \"json\" (or \"raw\", the default), got " + type);
            }
            if (!"json".equals(type) && !AppOption.LOG_TYPE.defaultValue.equals(type)) {
                // pm2 writes JSON lines for "json" and raw lines for any other word
                warn.accept(typeOption, "is '" + type + "', which is not \"json\": lines are written raw");
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
                    rotation(app, AppOption.MAX_SIZE, LogRotationPolicy::size),
                    rotation(app, AppOption.RETAIN, LogRotationPolicy::retain),
                    rotation(app, AppOption.COMPRESS, LogRotationPolicy::bool),
                    rotation(app, AppOption.ROTATE_INTERVAL, LogRotationPolicy::interval));
        } catch (IllegalArgumentException e) {
            String option = e.getMessage().substring(0, e.getMessage().indexOf(' '));
            throw errors.error(label, option, e.getMessage().substring(option.length() + 1));
        }
    }

    /** The time format lines are prefixed with: log_date_format's, else pm2's for time: true, else none. */
    private static String dateFormat(JsonObject app, String label, Errors errors) {
        String dateFormat = null;
        Object time = app.getValue(AppOption.TIME.key);
        if (time != null && bool(errors, label, AppOption.TIME.key, time)) {
            dateFormat = DayjsFormat.PM2_TIME;
        }
        String formatOption = AppOption.LOG_DATE_FORMAT.key;
        Object format = app.getValue(formatOption);
        if ("".equals(format)) {
            format = null; // pm2: an empty format is no format, lines go without a time
        }
        if (format != null) {
            if (!(format instanceof String s)) {
                throw errors.error(
                        label,
                        formatOption,
                        "must be a string of dayjs tokens like \"YYYY-MM-DD HH:mm:ss Z\", got " + format);
            }
            try {
                dateFormat = DayjsFormat.compile(s).pattern();
            } catch (IllegalArgumentException e) {
                throw errors.error(label, formatOption, e.getMessage());
            }
        }
        return dateFormat;
    }

    /** A rotation option as {@code read} takes it (the section's grammar), null when the app does not give it. */
    private static <T> T rotation(JsonObject app, AppOption option, BiFunction<String, Object, T> read) {
        return option.givenIn(app.getMap()) ? read.apply(option.key, app.getValue(option.key)) : null;
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
