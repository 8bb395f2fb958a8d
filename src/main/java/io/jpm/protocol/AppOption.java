package io.jpm.protocol;

import static io.jpm.protocol.OptionDeclaration.option;
import static io.jpm.protocol.OptionRow.Form.BYTES_WHEN_SET;
import static io.jpm.protocol.OptionRow.Form.MS;
import static io.jpm.protocol.OptionRow.Form.TEXT_WHEN_SET;
import static io.jpm.protocol.OptionRow.Group.RESTART;
import static io.jpm.protocol.OptionRow.Group.STOP;
import static io.jpm.protocol.OptionRow.Group.WATCHDOG;
import static io.jpm.protocol.OptionType.BOOLEAN;
import static io.jpm.protocol.OptionType.CRON;
import static io.jpm.protocol.OptionType.DURATION;
import static io.jpm.protocol.OptionType.EXIT_CODES;
import static io.jpm.protocol.OptionType.NAMES;
import static io.jpm.protocol.OptionType.OBJECT;
import static io.jpm.protocol.OptionType.PATH;
import static io.jpm.protocol.OptionType.PATHS;
import static io.jpm.protocol.OptionType.PATH_OR_TRUE;
import static io.jpm.protocol.OptionType.PATTERNS;
import static io.jpm.protocol.OptionType.PREFIXES;
import static io.jpm.protocol.OptionType.SIGNAL;
import static io.jpm.protocol.OptionType.SIZE;
import static io.jpm.protocol.OptionType.TEXT;
import static io.jpm.protocol.OptionType.WHOLE_NUMBER;
import static io.jpm.protocol.OptionType.WORDS;
import static io.jpm.protocol.StartFlag.off;
import static io.jpm.protocol.StartFlag.on;
import static io.jpm.protocol.StartFlag.value;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every app option, declared once (maven-mvnd's {@code Environment} is the model): one entry holds
 * pm2's name, its other spellings, the grammar of its value, its default, where {@code jpm describe}
 * and jlist show it, and what it has beyond that ({@link OptionDeclaration}): the start flag that sets
 * it with its help line, its own describe row, whether {@code jpm env} leaves it out at its default,
 * a daemon-wide default. Code reads an option through its constant
 * ({@code AppOption.MIN_UPTIME.longFrom(options)}, {@link OptionValues}), never by its key (held by
 * OptionKeysTest), and its default is the declared one. The parser's known options and aliases
 * ({@code config.KnownOptions}, {@code config.OptionNames}), the CLI's start flags and their help
 * ({@code cli.command.StartFlags}, the man page, the completions), describe's option rows
 * ({@code cli.render.OptionRows}), env's lines ({@code cli.render.EnvLines}) and the daemon's
 * {@code -D} defaults ({@code cli.transport.DaemonJvm}) come from here; docs/CONFIG.md's tables and
 * describe's keys are checked against it (AppOptionTableTest, OptionsInDescribeTest). It lives in
 * {@code protocol} because the client reads it and imports nothing else of jpm.
 *
 * <p>Adding an option: its entry here, the code that acts on it, a test, and its row in
 * docs/CONFIG.md; the option is then parsed (known, its aliases, its flag), defaulted, kept in the
 * app's source (which dump and resurrect carry), and shown where its entry says.
 */
public enum AppOption implements OptionValues {
    NAME(option("name", TEXT, null, "pm2_env.name")
            .flag(value("--name|-n", "n", "the app's name (default: the script's file name without its extension)"))),
    INSTANCES(option("instances", OptionType.INSTANCES, 1L, "pm2_env.instances")
            .flag(value("-i|--instances", "N|max", "run N instances (max or 0: one per core; -N: the cores minus N)"))),
    SCRIPT(option("script", TEXT, null, "pm2_env.pm_exec_path", "exec", "cmd", "command")),
    ARGS(option("args", WORDS, null, "pm2_env.args")),
    INTERPRETER(option("interpreter", TEXT, null, "pm2_env.exec_interpreter", "exec_interpreter")
            .flag(value(
                    "--interpreter",
                    "x",
                    "what runs the script (default by extension: node, python3, bash...; none: run it as is)"))),
    INTERPRETER_ARGS(option("interpreter_args", WORDS, null, "pm2_env.interpreter_args", "node_args")
            .flag(value("--interpreter-args|--node-args", "a", "arguments for the interpreter, before the script"))
            .envLineUnlessDefault()),
    CWD(option("cwd", TEXT, null, "pm2_env.pm_cwd").flag(value("--cwd", "d", "the app's working folder"))),
    EXEC_MODE(option("exec_mode", TEXT, "fork", "pm2_env.exec_mode")),
    ENV(option("env", OBJECT, null, "pm2_env.env")),
    AUTORESTART(option("autorestart", BOOLEAN, true, "pm2_env.autorestart")
            .flag(off("--no-autorestart", "do not restart the app when it exits"))
            .row("autorestart", RESTART, OptionRow.Form.TEXT)),
    MAX_RESTARTS(option("max_restarts", WHOLE_NUMBER, 16L, "pm2_env.max_restarts")
            .flag(value(
                    "--max-restarts", "N", "unstable exits in a row that leave the app errored (default {default})"))
            .row("max restarts", RESTART, OptionRow.Form.TEXT)
            .envLineUnlessDefault()),
    MIN_UPTIME(option("min_uptime", DURATION, 1000L, "pm2_env.min_uptime")
            .flag(value(
                    "--min-uptime",
                    "ms",
                    "an app that ran less than this is unstable (default {default}; 5s, 1m also read)"))
            .row("min uptime", RESTART, MS)
            .envLineUnlessDefault()),
    RESTART_DELAY(option("restart_delay", DURATION, 0L, "pm2_env.restart_delay")
            .flag(value("--restart-delay", "ms", "wait this long before each restart"))
            .row("restart delay", RESTART, MS)
            .envLineUnlessDefault()),
    EXP_BACKOFF_RESTART_DELAY(option("exp_backoff_restart_delay", DURATION, 0L, "pm2_env.exp_backoff_restart_delay")
            .flag(value(
                    "--exp-backoff-restart-delay",
                    "ms",
                    "first delay of a backoff that grows x1.5 per crash (at most 15 s)"))
            .row("exp backoff delay", RESTART, MS)
            .envLineUnlessDefault()),
    STOP_EXIT_CODES(option("stop_exit_codes", EXIT_CODES, null, "pm2_env.stop_exit_codes")
            .flag(value(
                    "--stop-exit-codes",
                    "c,..",
                    "exit codes after which the app is not restarted (also: --stop-exit-codes 0 3)"))),
    KILL_TIMEOUT(option("kill_timeout", DURATION, 1600L, "pm2_env.kill_timeout")
            .flag(value(
                    "--kill-timeout|-k",
                    "ms",
                    "how long a stop waits after the kill signal before SIGKILL (default {default})"))
            .row("kill timeout", STOP, MS)
            .envLineUnlessDefault()
            .daemonDefault(JpmEnv.KILL_TIMEOUT, "PM2_KILL_TIMEOUT")),
    KILL_SIGNAL(option("kill_signal", SIGNAL, "SIGINT", "jpm.kill_signal")
            .flag(value(
                    "--kill-signal", "SIG", "the signal a stop sends first (default {default}; gunicorn: SIGTERM)"))),
    TREEKILL(option("treekill", BOOLEAN, true, "pm2_env.treekill")
            .flag(off("--no-treekill", "signal only the app's own process, not its children"))),
    WAIT_READY(option("wait_ready", BOOLEAN, false, "pm2_env.wait_ready")
            .flag(on(
                    "--wait-ready",
                    "the app is online once it sends 'ready' (process.send or sd_notify), not at spawn"))),
    LISTEN_TIMEOUT(option("listen_timeout", DURATION, 3000L, "jpm.listen_timeout")
            .flag(value(
                    "--listen-timeout",
                    "ms",
                    "how long a new instance may take to be ready (default {default}; balanced 10000, JVM 30000)"))
            .row("listen timeout", STOP, MS)),
    SHUTDOWN_WITH_MESSAGE(option("shutdown_with_message", BOOLEAN, false, "pm2_env.shutdown_with_message")
            .flag(on("--shutdown-with-message", "ask a Node app to stop with a 'shutdown' message, not a signal"))),
    PMX(option("pmx", BOOLEAN, true, "pm2_env.pmx")
            .flag(off("--no-pmx", "no code metrics for a Node app (heap, event loop, HTTP: describe, monit)"))),
    AUTOMATION(option("automation", BOOLEAN, true, "pm2_env.automation")
            .flag(off("--no-automation", "as --no-pmx, whatever pmx says (pm2's other name for it)"))),
    TRACE(option("trace", BOOLEAN, false, "pm2_env.trace")
            .flag(on(
                    "--trace",
                    "a Node app sends OpenTelemetry spans over OTLP/HTTP (jpm install-otel; installed if missing)"))),
    OUT_FILE(option("out_file", PATH, null, "pm2_env.pm_out_log_path", "out", "output", "out_log")
            .flag(value("-o|--output", "out.log", "the app's stdout log file"))),
    ERROR_FILE(option("error_file", PATH, null, "pm2_env.pm_err_log_path", "error", "err", "err_file", "err_log")
            .flag(value("-e|--error", "err.log", "the app's stderr log file"))),
    LOG_FILE(option("log_file", PATH_OR_TRUE, null, "pm2_env.pm_log_path", "log")
            .flag(value(
                    "-l|--log", "[both.log]", "also one file with both streams (alone: JPM_HOME/logs/<name>.log)"))),
    MERGE_LOGS(option("merge_logs", BOOLEAN, null, "pm2_env.merge_logs", "combine_logs")
            .flag(on("--merge-logs", "instances share one set of log files (no -<pm_id> suffix)"))),
    LOG_DATE_FORMAT(option("log_date_format", TEXT, null, "pm2_env.log_date_format")
            .flag(value(
                    "--log-date-format",
                    "fmt",
                    "prefix each log line with the time in this format (YYYY-MM-DD HH:mm:ss)"))
            .envLineUnlessDefault()),
    TIME(option("time", BOOLEAN, false, "pm2_env.log_date_format")
            .flag(on("--time", "prefix each log line with the time (YYYY-MM-DDTHH:mm:ss)"))),
    LOG_TYPE(option("log_type", TEXT, "raw", "pm2_env.log_type")
            .flag(value(
                    "--log-type",
                    "json",
                    "write log lines as JSON objects (message, timestamp, type, process_id, app_name)"))
            .envLineUnlessDefault()),
    DISABLE_LOGS(option("disable_logs", BOOLEAN, false, "pm2_env.disable_logs")
            .flag(on("--disable-logs", "write no log files (jpm logs still streams live lines)"))
            .envLineUnlessDefault()),
    // the rotation options default to jpm.json's logs section, the daemon-wide setting
    MAX_SIZE(option("max_size", SIZE, null, null)),
    RETAIN(option("retain", WHOLE_NUMBER, null, null)),
    COMPRESS(option("compress", BOOLEAN, null, null)),
    ROTATE_INTERVAL(option("rotate_interval", DURATION, null, null)),
    NAMESPACE(option("namespace", TEXT, "default", "pm2_env.namespace")
            .flag(value("--namespace", "ns", "a group name: stop, restart and the others take it as a target"))),
    PID_FILE(option("pid_file", PATH, null, "pm2_env.pm_pid_path", "pid")
            .flag(value("-p|--pid", "file", "where the pid file goes (default JPM_HOME/pids/<name>-<pm_id>.pid)"))),
    AUTOSTART(option("autostart", BOOLEAN, true, "pm2_env.autostart")
            .flag(off("--no-autostart", "add the app without starting it"))),
    // -f is the request's (start another copy), not an option the CLI sends: StartFlags declares it
    FORCE(option("force", BOOLEAN, false, null)),
    UID(option("uid", TEXT, null, "pm2_env.username", "user")
            .flag(value("--uid|-u|--user", "user", "run the app as this user (needs a root daemon)"))),
    GID(option("gid", TEXT, null, null)
            .flag(value("--gid", "group", "run the app with this group (needs a root daemon)"))),
    FILTER_ENV(option("filter_env", PREFIXES, false, "pm2_env.env")
            .flag(value(
                    "--filter-env",
                    "[names]",
                    "alone: only PATH, HOME, LANG and the like of the shell reach the app; with prefixes: not those"))),
    PORT(option("port", WHOLE_NUMBER, null, "pm2_env.env.PORT")
            .flag(value(
                    "--port",
                    "P",
                    "with -i N or --balance: the public port the instances share through jpm's balancer;"
                            + " alone: PORT in the app's env, as pm2's port"))),
    HOST(option("host", TEXT, "127.0.0.1", "jpm.balancer.public_host")
            .flag(value("--host", "h", "the balancer's address (default {default})"))),
    BALANCE(option("balance", TEXT, null, "jpm.balancer.balance")
            .flag(value("--balance", "mode", "socket, round-robin, least-connections or http (per request)"))),
    PROXY_PROTOCOL(option("proxy_protocol", BOOLEAN, false, null)),
    PREFER(option("prefer", TEXT, null, null)),
    STICKY(option("sticky", TEXT, null, null)),
    INSTANCE_VAR(option("instance_var", TEXT, "NODE_APP_INSTANCE", "pm2_env.instance_var")
            .flag(value("--instance-var", "V", "the variable that holds the instance number (default {default})"))),
    INCREMENT_VAR(option("increment_var", TEXT, null, "pm2_env.increment_var")
            .flag(value("--increment-var", "V", "a variable that grows by one per instance (PORT: 3000, 3001...)"))),
    DEPENDS_ON(option("depends_on", NAMES, null, null)),
    // jpm's own: the cluster's members that run the app, each its `instances` (docs/CLUSTER.md, "Fleet apps")
    HOSTS(option("hosts", NAMES, null, null)
            .flag(value(
                    "--hosts",
                    "n,..",
                    "a fleet app: the cluster's members that run it (node names, or all), each its -i instances"))),
    APPEND_ENV_TO_NAME(option("append_env_to_name", BOOLEAN, false, "pm2_env.name")),
    NAME_PREFIX(option("name_prefix", TEXT, null, "pm2_env.name")),
    WATCH(option("watch", PATHS, false, "pm2_env.watch")
            .flag(value(
                    "--watch",
                    "[paths]",
                    "restart when a file changes (alone: the app's folder; else these paths, comma-separated or"
                            + " --watch again)"))),
    IGNORE_WATCH(option("ignore_watch", PATTERNS, null, "pm2_env.ignore_watch")
            .flag(value("--ignore-watch", "\"a b\"", "paths or globs the watch skips (node_modules and .git always)"))),
    WATCH_DELAY(option("watch_delay", DURATION, 100L, "jpm.watchdog.watch_delay")
            .flag(value("--watch-delay", "ms", "wait this long after a change before the restart"))),
    WATCH_OPTIONS(option("watch_options", OBJECT, null, "jpm.watchdog.watch_options")),
    MAX_MEMORY_RESTART(option("max_memory_restart", SIZE, null, "pm2_env.max_memory_restart")
            .flag(value("--max-memory-restart", "300M", "restart the app when its memory goes past this (K, M, G)"))
            .row("max memory restart", WATCHDOG, BYTES_WHEN_SET)
            .envLineUnlessDefault()),
    CRON_RESTART(option("cron_restart", CRON, null, "pm2_env.cron_restart", "cron")
            .flag(value("--cron-restart|--cron|-c", "\"expr\"", "restart the app on this cron schedule"))
            .row("cron restart", WATCHDOG, TEXT_WHEN_SET)
            .envLineUnlessDefault()),
    METRICS_URL(option("metrics_url", TEXT, null, "jpm.watchdog.metrics_url")),
    ERRORED_RETRY(option("errored_retry", DURATION, null, "jpm.watchdog.errored_retry")),
    HEALTH(option("health", OBJECT, null, "jpm.watchdog.health"));

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
    /** Where describe and jlist show it, a dotted path ({@code pm2_env.min_uptime}); null when they do not. */
    public final String describedAs;
    /** pm2's other names for it (schema.json's aliases; camelCase is accepted for every option). */
    public final List<String> aliases;
    /** Its own row in describe, null when it has none there. */
    public final OptionRow row;
    /** Whether {@code jpm env} leaves it out at its default ({@link OptionDeclaration#envLineUnlessDefault}). */
    public final boolean envLineUnlessDefault;
    /** The daemon-wide default of the apps that give none, null when only the declared one holds. */
    public final DaemonDefault daemonDefault;

    private final StartFlag flag;

    AppOption(OptionDeclaration d) {
        this.key = d.key;
        this.type = d.type;
        this.defaultValue = d.defaultValue;
        this.describedAs = d.describedAs;
        this.aliases = d.aliases;
        this.flag = d.flag;
        this.row = d.row;
        this.envLineUnlessDefault = d.envLineUnlessDefault;
        this.daemonDefault = d.daemonDefault;
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

    /** The default of an app that gives none: the daemon's when it has one ({@link #daemonDefault}), else the declared one. */
    @Override
    public long longDefault() {
        long declared = (Long) defaultValue;
        return daemonDefault == null ? declared : daemonDefault.value(declared);
    }

    /** The start flag that sets it, null when no flag does. */
    public StartFlag flag() {
        return flag;
    }

    /** The flag's help line, its default filled in. */
    public String help() {
        return flag().help().replace("{default}", String.valueOf(defaultValue));
    }

    /** The name the CLI reads the flag by: the option's, or {@code no_<option>} for a switch that turns it off. */
    public String flagName() {
        return flag().turnsOff() ? "no_" + key : key;
    }
}
