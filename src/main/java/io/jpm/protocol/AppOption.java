package io.jpm.protocol;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every app option, declared once (maven-mvnd's {@code Environment} is the model): pm2's name, its
 * other spellings, the grammar of its value, its default, the start flag that sets it with its help
 * line, and where {@code jpm describe} and jlist show it. Code reads an option through its constant
 * ({@code AppOption.KILL_TIMEOUT.longFrom(options)}, {@link OptionValues}), never by its key (held by
 * OptionKeysTest), and its default is the declared one. The parser's known options and aliases
 * ({@code config.KnownOptions}, {@code config.OptionNames}), the CLI's start flags and their help
 * ({@code cli.command.StartFlags}) come from here; docs/CONFIG.md's tables and describe's keys are
 * checked against it (AppOptionTableTest, OptionsInDescribeTest). It lives in {@code protocol}
 * because the client reads it and imports nothing else of jpm.
 *
 * <p>Adding an option: its constant here, the code that acts on it, a test, and its row in
 * docs/CONFIG.md; the option is then parsed (known, its aliases, its flag), defaulted, and kept in
 * the app's source, which dump and resurrect carry.
 *
 * <p>Over 400 lines on purpose: a table of 60-odd declarations, one to nine lines each as the
 * formatter lays them out; what is done with a declaration lives beside it by capability (its value:
 * {@link OptionValues}, its grammar: {@link OptionType}, its flag: {@link StartFlag}).
 */
public enum AppOption implements OptionValues {
    NAME(
            "name",
            OptionType.TEXT,
            null,
            "pm2_env.name",
            StartFlag.value(
                    "--name|-n", "n", "the app's name (default: the script's file name without its extension)")),
    INSTANCES(
            "instances",
            OptionType.INSTANCES,
            1L,
            "pm2_env.instances",
            StartFlag.value(
                    "-i|--instances", "N|max", "run N instances (max or 0: one per core; -N: the cores minus N)")),
    SCRIPT("script", OptionType.TEXT, null, "pm2_env.pm_exec_path", null, "exec", "cmd", "command"),
    ARGS("args", OptionType.WORDS, null, "pm2_env.args", null),
    INTERPRETER(
            "interpreter",
            OptionType.TEXT,
            null,
            "pm2_env.exec_interpreter",
            StartFlag.value(
                    "--interpreter",
                    "x",
                    "what runs the script (default by extension: node, python3, bash...; none: run it as is)"),
            "exec_interpreter"),
    INTERPRETER_ARGS(
            "interpreter_args",
            OptionType.WORDS,
            null,
            "pm2_env.interpreter_args",
            StartFlag.value("--interpreter-args|--node-args", "a", "arguments for the interpreter, before the script"),
            "node_args"),
    CWD("cwd", OptionType.TEXT, null, "pm2_env.pm_cwd", StartFlag.value("--cwd", "d", "the app's working folder")),
    EXEC_MODE("exec_mode", OptionType.TEXT, "fork", "pm2_env.exec_mode", null),
    ENV("env", OptionType.OBJECT, null, "pm2_env.env", null),
    AUTORESTART(
            "autorestart",
            OptionType.BOOLEAN,
            true,
            "pm2_env.autorestart",
            StartFlag.off("--no-autorestart", "do not restart the app when it exits")),
    MAX_RESTARTS(
            "max_restarts",
            OptionType.WHOLE_NUMBER,
            16L,
            "pm2_env.max_restarts",
            StartFlag.value(
                    "--max-restarts", "N", "unstable exits in a row that leave the app errored (default {default})")),
    MIN_UPTIME(
            "min_uptime",
            OptionType.DURATION,
            1000L,
            "pm2_env.min_uptime",
            StartFlag.value(
                    "--min-uptime",
                    "ms",
                    "an app that ran less than this is unstable (default {default}; 5s, 1m also read)")),
    RESTART_DELAY(
            "restart_delay",
            OptionType.DURATION,
            0L,
            "pm2_env.restart_delay",
            StartFlag.value("--restart-delay", "ms", "wait this long before each restart")),
    EXP_BACKOFF_RESTART_DELAY(
            "exp_backoff_restart_delay",
            OptionType.DURATION,
            0L,
            "pm2_env.exp_backoff_restart_delay",
            StartFlag.value(
                    "--exp-backoff-restart-delay",
                    "ms",
                    "first delay of a backoff that grows x1.5 per crash (at most 15 s)")),
    STOP_EXIT_CODES(
            "stop_exit_codes",
            OptionType.EXIT_CODES,
            null,
            "pm2_env.stop_exit_codes",
            StartFlag.value(
                    "--stop-exit-codes",
                    "c,..",
                    "exit codes after which the app is not restarted (also: --stop-exit-codes 0 3)")),
    KILL_TIMEOUT(
            "kill_timeout",
            OptionType.DURATION,
            1600L,
            "pm2_env.kill_timeout",
            StartFlag.value(
                    "--kill-timeout|-k",
                    "ms",
                    "how long a stop waits after the kill signal before SIGKILL (default {default})")),
    KILL_SIGNAL(
            "kill_signal",
            OptionType.SIGNAL,
            "SIGINT",
            "jpm.kill_signal",
            StartFlag.value(
                    "--kill-signal", "SIG", "the signal a stop sends first (default {default}; gunicorn: SIGTERM)")),
    TREEKILL(
            "treekill",
            OptionType.BOOLEAN,
            true,
            "pm2_env.treekill",
            StartFlag.off("--no-treekill", "signal only the app's own process, not its children")),
    WAIT_READY(
            "wait_ready",
            OptionType.BOOLEAN,
            false,
            "pm2_env.wait_ready",
            StartFlag.on(
                    "--wait-ready",
                    "the app is online once it sends 'ready' (process.send or sd_notify), not at spawn")),
    LISTEN_TIMEOUT(
            "listen_timeout",
            OptionType.DURATION,
            3000L,
            "jpm.listen_timeout",
            StartFlag.value(
                    "--listen-timeout",
                    "ms",
                    "how long a new instance may take to be ready (default {default}; balanced 10000, JVM 30000)")),
    SHUTDOWN_WITH_MESSAGE(
            "shutdown_with_message",
            OptionType.BOOLEAN,
            false,
            "pm2_env.shutdown_with_message",
            StartFlag.on("--shutdown-with-message", "ask a Node app to stop with a 'shutdown' message, not a signal")),
    PMX(
            "pmx",
            OptionType.BOOLEAN,
            true,
            "pm2_env.pmx",
            StartFlag.off("--no-pmx", "no code metrics for a Node app (heap, event loop, HTTP: describe, monit)")),
    AUTOMATION(
            "automation",
            OptionType.BOOLEAN,
            true,
            "pm2_env.automation",
            StartFlag.off("--no-automation", "as --no-pmx, whatever pmx says (pm2's other name for it)")),
    TRACE(
            "trace",
            OptionType.BOOLEAN,
            false,
            "pm2_env.trace",
            StartFlag.on(
                    "--trace",
                    "a Node app sends OpenTelemetry spans over OTLP/HTTP (jpm install-otel; installed if missing)")),
    OUT_FILE(
            "out_file",
            OptionType.PATH,
            null,
            "pm2_env.pm_out_log_path",
            StartFlag.value("-o|--output", "out.log", "the app's stdout log file"),
            "out",
            "output",
            "out_log"),
    ERROR_FILE(
            "error_file",
            OptionType.PATH,
            null,
            "pm2_env.pm_err_log_path",
            StartFlag.value("-e|--error", "err.log", "the app's stderr log file"),
            "error",
            "err",
            "err_file",
            "err_log"),
    LOG_FILE(
            "log_file",
            OptionType.PATH_OR_TRUE,
            null,
            "pm2_env.pm_log_path",
            StartFlag.value(
                    "-l|--log", "[both.log]", "also one file with both streams (alone: JPM_HOME/logs/<name>.log)"),
            "log"),
    MERGE_LOGS(
            "merge_logs",
            OptionType.BOOLEAN,
            null,
            "pm2_env.merge_logs",
            StartFlag.on("--merge-logs", "instances share one set of log files (no -<pm_id> suffix)"),
            "combine_logs"),
    LOG_DATE_FORMAT(
            "log_date_format",
            OptionType.TEXT,
            null,
            "pm2_env.log_date_format",
            StartFlag.value(
                    "--log-date-format",
                    "fmt",
                    "prefix each log line with the time in this format (YYYY-MM-DD HH:mm:ss)")),
    TIME(
            "time",
            OptionType.BOOLEAN,
            false,
            "pm2_env.log_date_format",
            StartFlag.on("--time", "prefix each log line with the time (YYYY-MM-DDTHH:mm:ss)")),
    LOG_TYPE(
            "log_type",
            OptionType.TEXT,
            "raw",
            "pm2_env.log_type",
            StartFlag.value(
                    "--log-type",
                    "json",
                    "write log lines as JSON objects (message, timestamp, type, process_id, app_name)")),
    DISABLE_LOGS(
            "disable_logs",
            OptionType.BOOLEAN,
            false,
            "pm2_env.disable_logs",
            StartFlag.on("--disable-logs", "write no log files (jpm logs still streams live lines)")),
    // the rotation options default to jpm.json's logs section, the daemon-wide setting
    MAX_SIZE("max_size", OptionType.SIZE, null, null, null),
    RETAIN("retain", OptionType.WHOLE_NUMBER, null, null, null),
    COMPRESS("compress", OptionType.BOOLEAN, null, null, null),
    ROTATE_INTERVAL("rotate_interval", OptionType.DURATION, null, null, null),
    NAMESPACE(
            "namespace",
            OptionType.TEXT,
            "default",
            "pm2_env.namespace",
            StartFlag.value("--namespace", "ns", "a group name: stop, restart and the others take it as a target")),
    PID_FILE(
            "pid_file",
            OptionType.PATH,
            null,
            "pm2_env.pm_pid_path",
            StartFlag.value("-p|--pid", "file", "where the pid file goes (default JPM_HOME/pids/<name>-<pm_id>.pid)"),
            "pid"),
    AUTOSTART(
            "autostart",
            OptionType.BOOLEAN,
            true,
            "pm2_env.autostart",
            StartFlag.off("--no-autostart", "add the app without starting it")),
    // -f is the request's (start another copy), not an option the CLI sends: StartFlags declares it
    FORCE("force", OptionType.BOOLEAN, false, null, null),
    UID(
            "uid",
            OptionType.TEXT,
            null,
            "pm2_env.username",
            StartFlag.value("--uid|-u|--user", "user", "run the app as this user (needs a root daemon)"),
            "user"),
    GID(
            "gid",
            OptionType.TEXT,
            null,
            null,
            StartFlag.value("--gid", "group", "run the app with this group (needs a root daemon)")),
    FILTER_ENV(
            "filter_env",
            OptionType.PREFIXES,
            false,
            "pm2_env.env",
            StartFlag.value(
                    "--filter-env",
                    "[names]",
                    "alone: only PATH, HOME, LANG and the like of the shell reach the app; with prefixes: not those")),
    PORT(
            "port",
            OptionType.WHOLE_NUMBER,
            null,
            "pm2_env.env.PORT",
            StartFlag.value(
                    "--port",
                    "P",
                    "with -i N or --balance: the public port the instances share through jpm's balancer; alone: PORT in the app's env, as pm2's port")),
    HOST(
            "host",
            OptionType.TEXT,
            "127.0.0.1",
            "jpm.balancer.public_host",
            StartFlag.value("--host", "h", "the balancer's address (default {default})")),
    BALANCE(
            "balance",
            OptionType.TEXT,
            null,
            "jpm.balancer.balance",
            StartFlag.value("--balance", "mode", "socket, round-robin, least-connections or http (per request)")),
    PROXY_PROTOCOL("proxy_protocol", OptionType.BOOLEAN, false, null, null),
    INSTANCE_VAR(
            "instance_var",
            OptionType.TEXT,
            "NODE_APP_INSTANCE",
            "pm2_env.instance_var",
            StartFlag.value("--instance-var", "V", "the variable that holds the instance number (default {default})")),
    INCREMENT_VAR(
            "increment_var",
            OptionType.TEXT,
            null,
            "pm2_env.increment_var",
            StartFlag.value("--increment-var", "V", "a variable that grows by one per instance (PORT: 3000, 3001...)")),
    DEPENDS_ON("depends_on", OptionType.NAMES, null, null, null),
    APPEND_ENV_TO_NAME("append_env_to_name", OptionType.BOOLEAN, false, "pm2_env.name", null),
    NAME_PREFIX("name_prefix", OptionType.TEXT, null, "pm2_env.name", null),
    WATCH(
            "watch",
            OptionType.PATHS,
            false,
            "pm2_env.watch",
            StartFlag.value(
                    "--watch",
                    "[paths]",
                    "restart when a file changes (alone: the app's folder; else these paths, comma-separated or"
                            + " --watch again)")),
    IGNORE_WATCH(
            "ignore_watch",
            OptionType.PATTERNS,
            null,
            "pm2_env.ignore_watch",
            StartFlag.value(
                    "--ignore-watch", "\"a b\"", "paths or globs the watch skips (node_modules and .git always)")),
    WATCH_DELAY(
            "watch_delay",
            OptionType.DURATION,
            100L,
            "jpm.watchdog.watch_delay",
            StartFlag.value("--watch-delay", "ms", "wait this long after a change before the restart")),
    WATCH_OPTIONS("watch_options", OptionType.OBJECT, null, "jpm.watchdog.watch_options", null),
    MAX_MEMORY_RESTART(
            "max_memory_restart",
            OptionType.SIZE,
            null,
            "pm2_env.max_memory_restart",
            StartFlag.value(
                    "--max-memory-restart", "300M", "restart the app when its memory goes past this (K, M, G)")),
    CRON_RESTART(
            "cron_restart",
            OptionType.CRON,
            null,
            "pm2_env.cron_restart",
            StartFlag.value("--cron-restart|--cron|-c", "\"expr\"", "restart the app on this cron schedule"),
            "cron"),
    METRICS_URL("metrics_url", OptionType.TEXT, null, "jpm.watchdog.metrics_url", null),
    ERRORED_RETRY("errored_retry", OptionType.DURATION, null, "jpm.watchdog.errored_retry", null),
    HEALTH("health", OptionType.OBJECT, null, "jpm.watchdog.health", null);

    /**
     * pm2 options that only mean something to Node or to pm2's hosted service: accepted so a pm2
     * ecosystem file loads unchanged, and ignored (docs/CONFIG.md lists them); they stay in the app's
     * source, so jlist lists them in pm2_env as pm2 does. source_map_support and
     * disable_source_map_support are read where node is started (god.Readiness).
     */
    public static final List<String> IGNORED = List.of(
            "vizion",
            "source_map_support",
            "disable_source_map_support",
            "disable_trace",
            "v8",
            "event_loop_inspector",
            "deep_monitoring",
            "io",
            "install_url",
            "post_update",
            "windowsHide",
            "execute_command",
            "write",
            "username",
            "kill_retry_time");

    /** pm2's schema defaults of the ignored options that have one: pm2_env lists them whether given or not. */
    public static final Map<String, Object> IGNORED_DEFAULTS =
            Map.of("vizion", true, "windowsHide", true, "kill_retry_time", 100);

    /**
     * Declared options pm2_env lists beside the ignored ones, as the app gave them (pm2 keeps a string
     * "false" for pmx a string), else with their declared default.
     */
    public static final Set<AppOption> LISTED_AS_GIVEN = Collections.unmodifiableSet(EnumSet.of(PMX, AUTOMATION));

    /** pm2's name, snake_case: what a file, the CLI's request and the parsers use. */
    public final String key;
    /** The grammar of its value. */
    public final OptionType type;
    /** Its default as docs/CONFIG.md's table and the help state it; null when it has none or it depends on the app. */
    public final Object defaultValue;
    /** Where describe and jlist show it, a dotted path ({@code pm2_env.kill_timeout}); null when they do not. */
    public final String describedAs;
    /** The start flag that sets it, null when no flag does. */
    public final StartFlag flag;
    /** pm2's other names for it (schema.json's aliases; camelCase is accepted for every option). */
    public final List<String> aliases;

    AppOption(String key, OptionType type, Object defaultValue, String describedAs, StartFlag flag, String... aliases) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.describedAs = describedAs;
        this.flag = flag;
        this.aliases = List.of(aliases);
    }

    /** The option named {@code key} (pm2's snake_case name). */
    public static Optional<AppOption> named(String key) {
        return Arrays.stream(values()).filter(o -> o.key.equals(key)).findFirst();
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public OptionType type() {
        return type;
    }

    @Override
    public Object defaultValue() {
        return defaultValue;
    }

    /** The flag's help line, its default filled in. */
    public String help() {
        return flag.help().replace("{default}", String.valueOf(defaultValue));
    }

    /** The name the CLI reads the flag by: the option's, or {@code no_<option>} for a switch that turns it off. */
    public String flagName() {
        return flag.turnsOff() ? "no_" + key : key;
    }
}
