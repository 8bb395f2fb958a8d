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
 * other spellings, the grammar of its value, its default, and where {@code jpm describe} and jlist
 * show it; the start flag that sets it, with its help line, is its row in {@link OptionFlags}. Code
 * reads an option through its constant ({@code AppOption.KILL_TIMEOUT.longFrom(options)},
 * {@link OptionValues}), never by its key (held by OptionKeysTest), and its default is the declared
 * one. The parser's known options and aliases ({@code config.KnownOptions}, {@code
 * config.OptionNames}), the CLI's start flags and their help ({@code cli.command.StartFlags}) come
 * from here; docs/CONFIG.md's tables and describe's keys are checked against it (AppOptionTableTest,
 * OptionsInDescribeTest). It lives in {@code protocol} because the client reads it and imports
 * nothing else of jpm.
 *
 * <p>Adding an option: its constant here (and its flag in {@link OptionFlags} if one sets it), the
 * code that acts on it, a test, and its row in docs/CONFIG.md; the option is then parsed (known, its
 * aliases, its flag), defaulted, and kept in the app's source, which dump and resurrect carry.
 */
public enum AppOption implements OptionValues {
    NAME("name", OptionType.TEXT, null, "pm2_env.name"),
    INSTANCES("instances", OptionType.INSTANCES, 1L, "pm2_env.instances"),
    SCRIPT("script", OptionType.TEXT, null, "pm2_env.pm_exec_path", "exec", "cmd", "command"),
    ARGS("args", OptionType.WORDS, null, "pm2_env.args"),
    INTERPRETER("interpreter", OptionType.TEXT, null, "pm2_env.exec_interpreter", "exec_interpreter"),
    INTERPRETER_ARGS("interpreter_args", OptionType.WORDS, null, "pm2_env.interpreter_args", "node_args"),
    CWD("cwd", OptionType.TEXT, null, "pm2_env.pm_cwd"),
    EXEC_MODE("exec_mode", OptionType.TEXT, "fork", "pm2_env.exec_mode"),
    ENV("env", OptionType.OBJECT, null, "pm2_env.env"),
    AUTORESTART("autorestart", OptionType.BOOLEAN, true, "pm2_env.autorestart"),
    MAX_RESTARTS("max_restarts", OptionType.WHOLE_NUMBER, 16L, "pm2_env.max_restarts"),
    MIN_UPTIME("min_uptime", OptionType.DURATION, 1000L, "pm2_env.min_uptime"),
    RESTART_DELAY("restart_delay", OptionType.DURATION, 0L, "pm2_env.restart_delay"),
    EXP_BACKOFF_RESTART_DELAY(
            "exp_backoff_restart_delay", OptionType.DURATION, 0L, "pm2_env.exp_backoff_restart_delay"),
    STOP_EXIT_CODES("stop_exit_codes", OptionType.EXIT_CODES, null, "pm2_env.stop_exit_codes"),
    KILL_TIMEOUT("kill_timeout", OptionType.DURATION, 1600L, "pm2_env.kill_timeout"),
    KILL_SIGNAL("kill_signal", OptionType.SIGNAL, "SIGINT", "jpm.kill_signal"),
    TREEKILL("treekill", OptionType.BOOLEAN, true, "pm2_env.treekill"),
    WAIT_READY("wait_ready", OptionType.BOOLEAN, false, "pm2_env.wait_ready"),
    LISTEN_TIMEOUT("listen_timeout", OptionType.DURATION, 3000L, "jpm.listen_timeout"),
    SHUTDOWN_WITH_MESSAGE("shutdown_with_message", OptionType.BOOLEAN, false, "pm2_env.shutdown_with_message"),
    PMX("pmx", OptionType.BOOLEAN, true, "pm2_env.pmx"),
    AUTOMATION("automation", OptionType.BOOLEAN, true, "pm2_env.automation"),
    TRACE("trace", OptionType.BOOLEAN, false, "pm2_env.trace"),
    OUT_FILE("out_file", OptionType.PATH, null, "pm2_env.pm_out_log_path", "out", "output", "out_log"),
    ERROR_FILE("error_file", OptionType.PATH, null, "pm2_env.pm_err_log_path", "error", "err", "err_file", "err_log"),
    LOG_FILE("log_file", OptionType.PATH_OR_TRUE, null, "pm2_env.pm_log_path", "log"),
    MERGE_LOGS("merge_logs", OptionType.BOOLEAN, null, "pm2_env.merge_logs", "combine_logs"),
    LOG_DATE_FORMAT("log_date_format", OptionType.TEXT, null, "pm2_env.log_date_format"),
    TIME("time", OptionType.BOOLEAN, false, "pm2_env.log_date_format"),
    LOG_TYPE("log_type", OptionType.TEXT, "raw", "pm2_env.log_type"),
    DISABLE_LOGS("disable_logs", OptionType.BOOLEAN, false, "pm2_env.disable_logs"),
    // the rotation options default to jpm.json's logs section, the daemon-wide setting
    MAX_SIZE("max_size", OptionType.SIZE, null, null),
    RETAIN("retain", OptionType.WHOLE_NUMBER, null, null),
    COMPRESS("compress", OptionType.BOOLEAN, null, null),
    ROTATE_INTERVAL("rotate_interval", OptionType.DURATION, null, null),
    NAMESPACE("namespace", OptionType.TEXT, "default", "pm2_env.namespace"),
    PID_FILE("pid_file", OptionType.PATH, null, "pm2_env.pm_pid_path", "pid"),
    AUTOSTART("autostart", OptionType.BOOLEAN, true, "pm2_env.autostart"),
    // -f is the request's (start another copy), not an option the CLI sends: StartFlags declares it
    FORCE("force", OptionType.BOOLEAN, false, null),
    UID("uid", OptionType.TEXT, null, "pm2_env.username", "user"),
    GID("gid", OptionType.TEXT, null, null),
    FILTER_ENV("filter_env", OptionType.PREFIXES, false, "pm2_env.env"),
    PORT("port", OptionType.WHOLE_NUMBER, null, "pm2_env.env.PORT"),
    HOST("host", OptionType.TEXT, "127.0.0.1", "jpm.balancer.public_host"),
    BALANCE("balance", OptionType.TEXT, null, "jpm.balancer.balance"),
    PROXY_PROTOCOL("proxy_protocol", OptionType.BOOLEAN, false, null),
    PREFER("prefer", OptionType.TEXT, null, null),
    STICKY("sticky", OptionType.TEXT, null, null),
    INSTANCE_VAR("instance_var", OptionType.TEXT, "NODE_APP_INSTANCE", "pm2_env.instance_var"),
    INCREMENT_VAR("increment_var", OptionType.TEXT, null, "pm2_env.increment_var"),
    DEPENDS_ON("depends_on", OptionType.NAMES, null, null),
    // jpm's own: the cluster's members that run the app, each its `instances` (docs/CLUSTER.md, "Fleet apps")
    HOSTS("hosts", OptionType.NAMES, null, null),
    APPEND_ENV_TO_NAME("append_env_to_name", OptionType.BOOLEAN, false, "pm2_env.name"),
    NAME_PREFIX("name_prefix", OptionType.TEXT, null, "pm2_env.name"),
    WATCH("watch", OptionType.PATHS, false, "pm2_env.watch"),
    IGNORE_WATCH("ignore_watch", OptionType.PATTERNS, null, "pm2_env.ignore_watch"),
    WATCH_DELAY("watch_delay", OptionType.DURATION, 100L, "jpm.watchdog.watch_delay"),
    WATCH_OPTIONS("watch_options", OptionType.OBJECT, null, "jpm.watchdog.watch_options"),
    MAX_MEMORY_RESTART("max_memory_restart", OptionType.SIZE, null, "pm2_env.max_memory_restart"),
    CRON_RESTART("cron_restart", OptionType.CRON, null, "pm2_env.cron_restart", "cron"),
    METRICS_URL("metrics_url", OptionType.TEXT, null, "jpm.watchdog.metrics_url"),
    ERRORED_RETRY("errored_retry", OptionType.DURATION, null, "jpm.watchdog.errored_retry"),
    HEALTH("health", OptionType.OBJECT, null, "jpm.watchdog.health");

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

    /**
     * The {@code -D} by which the daemon's command line sets the apps' kill_timeout when they give none:
     * the starting command's PM2_KILL_TIMEOUT or JPM_KILL_TIMEOUT (cli.transport.DaemonJvm), as pm2's
     * daemon reads PM2_KILL_TIMEOUT from its environment.
     */
    public static final String KILL_TIMEOUT_PROPERTY = "jpm.kill_timeout";

    /** The kill_timeout of an app that gives none: the daemon's PM2_KILL_TIMEOUT, else the declared 1600 ms. */
    public static long killTimeoutDefaultMs() {
        return Long.getLong(KILL_TIMEOUT_PROPERTY, KILL_TIMEOUT.longDefault());
    }

    /** pm2's name, snake_case: what a file, the CLI's request and the parsers use. */
    public final String key;
    /** The grammar of its value. */
    public final OptionType type;
    /** Its default as docs/CONFIG.md's table and the help state it; null when it has none or it depends on the app. */
    public final Object defaultValue;
    /** Where describe and jlist show it, a dotted path ({@code pm2_env.kill_timeout}); null when they do not. */
    public final String describedAs;
    /** pm2's other names for it (schema.json's aliases; camelCase is accepted for every option). */
    public final List<String> aliases;

    AppOption(String key, OptionType type, Object defaultValue, String describedAs, String... aliases) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.describedAs = describedAs;
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

    /** The start flag that sets it, null when no flag does. */
    public StartFlag flag() {
        return OptionFlags.of(this);
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
