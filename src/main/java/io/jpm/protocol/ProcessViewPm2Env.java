package io.jpm.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ProcessView}'s {@code pm2_env}: pm2's own fields in pm2's order, after the app's
 * environment, which pm2 merges into pm2_env itself (scripts read {@code pm2_env.NODE_ENV}; pm2's
 * fields, put after, win a clash and keep the variable's place). Under the name {@code instanceVar}
 * it lists the instance's index (pm2's God.injectVariables).
 *
 * @param env the app's environment as listed (values, or {@link Access#REDACTED}); empty when the
 *     query left it out
 * @param watch true or false, or the paths as the app gave them while it watches them
 * @param nodeVersion null when the app is not run by node (then not listed)
 * @param args the script's arguments; not listed when empty
 * @param logPath the combined log; null (not listed) without one
 * @param incrementVar null (not listed) without one
 * @param pm2Only options that only mean something to Node or pm2.io, as pm2 lists them (vizion, ..)
 * @param ignoreWatch as the app gave it; null (not listed) when it did not
 * @param waitReady, shutdownWithMessage listed only when true
 * @param listenTimeout null (not listed) unless wait_ready or listen_timeout was given
 * @param codeMetrics what the app reports from inside (axm_monitor, axm_actions, axm_options)
 */
public record ProcessViewPm2Env(
        Map<String, Object> env,
        String name,
        String namespace,
        String pidPath,
        boolean treekill,
        boolean autostart,
        boolean disableLogs,
        String status,
        int restartTime,
        int unstableRestarts,
        long pmUptime,
        long createdAt,
        Integer exitCode,
        String execMode,
        int instances,
        String execPath,
        String cwd,
        String interpreter,
        List<String> interpreterArgs,
        List<String> nodeArgs,
        Object watch,
        long maxMemoryRestart,
        String cronRestart,
        String outLogPath,
        String errLogPath,
        boolean mergeLogs,
        String logDateFormat,
        String logType,
        String instanceVar,
        int instanceIndex,
        boolean autorestart,
        int maxRestarts,
        long minUptime,
        long restartDelay,
        long expBackoffRestartDelay,
        long killTimeout,
        List<Integer> stopExitCodes,
        String version,
        String uniqueId,
        String username,
        String nodeVersion,
        List<String> args,
        String logPath,
        String incrementVar,
        Map<String, Object> pm2Only,
        Object ignoreWatch,
        boolean waitReady,
        Long listenTimeout,
        boolean shutdownWithMessage,
        CodeMetrics codeMetrics) {

    public ProcessViewPm2Env {
        codeMetrics = codeMetrics == null ? CodeMetrics.NONE : codeMetrics;
    }

    /** pm2_env.watch is true, or the paths watched as the app gave them (an array or a string). */
    public boolean watching() {
        return watch != null && !"false".equals(String.valueOf(watch)) && !"".equals(watch);
    }

    /** @param listedId the row's pm_id, which pm2_env repeats */
    Map<String, Object> toMap(Object listedId, boolean table) {
        ProcessViewWriter row = new ProcessViewWriter(table);
        for (Map.Entry<String, Object> variable : env.entrySet()) {
            row.full(variable.getKey(), variable.getValue());
        }
        row.full("name", name);
        row.table("namespace", namespace);
        row.full("pm_pid_path", pidPath);
        row.full("treekill", treekill);
        row.full("autostart", autostart);
        row.full("disable_logs", disableLogs);
        row.full("pm_id", listedId);
        row.table("status", status);
        row.table("restart_time", restartTime);
        row.full("unstable_restarts", unstableRestarts);
        row.table("pm_uptime", pmUptime);
        row.full("created_at", createdAt);
        row.full("exit_code", exitCode);
        row.table("exec_mode", execMode);
        row.full("instances", instances);
        row.full("pm_exec_path", execPath);
        row.full("pm_cwd", cwd);
        row.full("exec_interpreter", interpreter);
        row.full("interpreter_args", interpreterArgs);
        row.full("node_args", nodeArgs);
        row.table("watch", watch);
        row.full("max_memory_restart", maxMemoryRestart);
        row.full("cron_restart", cronRestart);
        row.full("env", env);
        row.full("pm_out_log_path", outLogPath);
        row.full("pm_err_log_path", errLogPath);
        row.full("merge_logs", mergeLogs);
        row.full("log_date_format", logDateFormat);
        row.full("log_type", logType);
        row.full("instance_var", instanceVar);
        if (instanceVar != null) {
            row.full(instanceVar, instanceIndex);
        }
        row.full("autorestart", autorestart);
        row.full("max_restarts", maxRestarts);
        row.full("min_uptime", minUptime);
        row.full("restart_delay", restartDelay);
        row.full("exp_backoff_restart_delay", expBackoffRestartDelay);
        row.full("kill_timeout", killTimeout);
        row.full("stop_exit_codes", stopExitCodes);
        row.table("version", version);
        row.full("unique_id", uniqueId);
        row.table("username", username);
        codeMetrics.writeTo(row);
        row.fullIfPresent("node_version", nodeVersion);
        row.fullIfPresent("args", args.isEmpty() ? null : args);
        row.fullIfPresent("pm_log_path", logPath);
        row.fullIfPresent("increment_var", incrementVar);
        for (Map.Entry<String, Object> option : pm2Only.entrySet()) {
            row.full(option.getKey(), option.getValue());
        }
        row.fullIfPresent("ignore_watch", ignoreWatch);
        row.fullIfPresent("wait_ready", waitReady ? true : null);
        row.fullIfPresent("listen_timeout", listenTimeout);
        row.fullIfPresent("shutdown_with_message", shutdownWithMessage ? true : null);
        return row.map();
    }

    /**
     * Reads pm2_env back. What is neither pm2's field nor the app's environment is an option only
     * Node or pm2.io reads ({@link #pm2Only}), kept so the row reads back whole ({@code jpm env}).
     */
    public static ProcessViewPm2Env from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        String instanceVar = f.string("instance_var");
        Object ignoreWatch = f.get("ignore_watch");
        ProcessViewPm2Env known = new ProcessViewPm2Env(
                f.object("env").asMap(),
                f.string("name"),
                f.string("namespace"),
                f.string("pm_pid_path"),
                f.bool("treekill", true),
                f.bool("autostart", true),
                f.bool("disable_logs", false),
                f.string("status"),
                f.integer("restart_time", 0),
                f.integer("unstable_restarts", 0),
                f.whole("pm_uptime", 0),
                f.whole("created_at", 0),
                f.integer("exit_code"),
                f.string("exec_mode"),
                f.integer("instances", 1),
                f.string("pm_exec_path"),
                f.string("pm_cwd"),
                f.string("exec_interpreter"),
                f.strings("interpreter_args"),
                f.strings("node_args"),
                f.has("watch") ? f.get("watch") : false,
                f.whole("max_memory_restart", 0),
                f.string("cron_restart"),
                f.string("pm_out_log_path"),
                f.string("pm_err_log_path"),
                f.bool("merge_logs", false),
                f.string("log_date_format"),
                f.string("log_type"),
                instanceVar,
                instanceVar == null ? 0 : f.integer(instanceVar, 0),
                f.bool("autorestart", true),
                f.integer("max_restarts", 0),
                f.whole("min_uptime", 0),
                f.whole("restart_delay", 0),
                f.whole("exp_backoff_restart_delay", 0),
                f.whole("kill_timeout", 0),
                integers(f.list("stop_exit_codes")),
                f.string("version"),
                f.string("unique_id"),
                f.string("username"),
                f.string("node_version"),
                f.strings("args"),
                f.string("pm_log_path"),
                f.string("increment_var"),
                Map.of(),
                ignoreWatch,
                f.bool("wait_ready", false),
                f.has("listen_timeout") ? f.whole("listen_timeout", 0) : null,
                f.bool("shutdown_with_message", false),
                CodeMetrics.from(f));
        Map<String, Object> written = known.toMap(f.get("pm_id"), false);
        Map<String, Object> pm2Only = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : f.asMap().entrySet()) {
            if (!written.containsKey(field.getKey())
                    || !ProcessViewJson.same(written.get(field.getKey()), field.getValue())) {
                pm2Only.put(field.getKey(), field.getValue());
            }
        }
        return pm2Only.isEmpty() ? known : known.withPm2Only(pm2Only);
    }

    private ProcessViewPm2Env withPm2Only(Map<String, Object> options) {
        return new ProcessViewPm2Env(
                env,
                name,
                namespace,
                pidPath,
                treekill,
                autostart,
                disableLogs,
                status,
                restartTime,
                unstableRestarts,
                pmUptime,
                createdAt,
                exitCode,
                execMode,
                instances,
                execPath,
                cwd,
                interpreter,
                interpreterArgs,
                nodeArgs,
                watch,
                maxMemoryRestart,
                cronRestart,
                outLogPath,
                errLogPath,
                mergeLogs,
                logDateFormat,
                logType,
                instanceVar,
                instanceIndex,
                autorestart,
                maxRestarts,
                minUptime,
                restartDelay,
                expBackoffRestartDelay,
                killTimeout,
                stopExitCodes,
                version,
                uniqueId,
                username,
                nodeVersion,
                args,
                logPath,
                incrementVar,
                options,
                ignoreWatch,
                waitReady,
                listenTimeout,
                shutdownWithMessage,
                codeMetrics);
    }

    private static List<Integer> integers(List<Object> values) {
        List<Integer> integers = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof Number n) {
                integers.add(n.intValue());
            }
        }
        return integers;
    }
}
