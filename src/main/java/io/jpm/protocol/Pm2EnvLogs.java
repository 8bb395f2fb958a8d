package io.jpm.protocol;

import java.util.Map;

/** pm2_env's log files and their format, as the app's log options have them. */
public final class Pm2EnvLogs extends Pm2Part {
    public static final Pm2Key<Pm2EnvLogs, String> OUT_LOG_PATH = Pm2Key.string("pm_out_log_path");
    public static final Pm2Key<Pm2EnvLogs, String> ERR_LOG_PATH = Pm2Key.string("pm_err_log_path");
    public static final Pm2Key<Pm2EnvLogs, Boolean> MERGE_LOGS = Pm2Key.bool("merge_logs", false);
    public static final Pm2Key<Pm2EnvLogs, String> LOG_DATE_FORMAT = Pm2Key.string("log_date_format");
    public static final Pm2Key<Pm2EnvLogs, String> LOG_TYPE = Pm2Key.string("log_type");
    public static final Pm2Key<Pm2EnvLogs, String> LOG_PATH =
            Pm2Key.<Pm2EnvLogs>string("pm_log_path").whenSet();

    public static final Pm2Keys<Pm2EnvLogs> KEYS =
            new Pm2Keys<>(Pm2EnvLogs::new, OUT_LOG_PATH, ERR_LOG_PATH, MERGE_LOGS, LOG_DATE_FORMAT, LOG_TYPE, LOG_PATH);

    private Pm2EnvLogs(Map<Pm2Key<?, ?>, Object> values) {
        super(values);
    }

    public String outLogPath() {
        return get(OUT_LOG_PATH);
    }

    public String errLogPath() {
        return get(ERR_LOG_PATH);
    }

    public boolean mergeLogs() {
        return get(MERGE_LOGS);
    }

    public String logDateFormat() {
        return get(LOG_DATE_FORMAT);
    }

    public String logType() {
        return get(LOG_TYPE);
    }

    /** The combined log; null (not listed) without one. */
    public String logPath() {
        return get(LOG_PATH);
    }
}
