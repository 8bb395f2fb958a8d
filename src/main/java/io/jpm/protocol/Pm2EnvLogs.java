package io.jpm.protocol;

/**
 * pm2_env's log files and their format, as the app's log options have them.
 *
 * @param logPath the combined log; null (not listed) without one
 */
public record Pm2EnvLogs(
        String outLogPath, String errLogPath, boolean mergeLogs, String logDateFormat, String logType, String logPath) {
    public static final Pm2Key<Pm2EnvLogs, String> OUT_LOG_PATH =
            Pm2Key.string("pm_out_log_path", Pm2EnvLogs::outLogPath);
    public static final Pm2Key<Pm2EnvLogs, String> ERR_LOG_PATH =
            Pm2Key.string("pm_err_log_path", Pm2EnvLogs::errLogPath);
    public static final Pm2Key<Pm2EnvLogs, Boolean> MERGE_LOGS =
            Pm2Key.bool("merge_logs", false, Pm2EnvLogs::mergeLogs);
    public static final Pm2Key<Pm2EnvLogs, String> LOG_DATE_FORMAT =
            Pm2Key.string("log_date_format", Pm2EnvLogs::logDateFormat);
    public static final Pm2Key<Pm2EnvLogs, String> LOG_TYPE = Pm2Key.string("log_type", Pm2EnvLogs::logType);
    public static final Pm2Key<Pm2EnvLogs, String> LOG_PATH =
            Pm2Key.string("pm_log_path", Pm2EnvLogs::logPath).whenSet();

    public static final Pm2Keys<Pm2EnvLogs> KEYS = new Pm2Keys<>(
            v -> new Pm2EnvLogs(
                    v.get(OUT_LOG_PATH),
                    v.get(ERR_LOG_PATH),
                    v.get(MERGE_LOGS),
                    v.get(LOG_DATE_FORMAT),
                    v.get(LOG_TYPE),
                    v.get(LOG_PATH)),
            OUT_LOG_PATH,
            ERR_LOG_PATH,
            MERGE_LOGS,
            LOG_DATE_FORMAT,
            LOG_TYPE,
            LOG_PATH);
}
