package io.jpm.protocol;

import static io.jpm.protocol.StartFlag.off;
import static io.jpm.protocol.StartFlag.on;
import static io.jpm.protocol.StartFlag.value;

import java.util.EnumMap;
import java.util.Map;

/**
 * The start flags of the declared options ({@link AppOption#flag()}): the command line's side of a
 * declaration, kept apart from the table of keys, types and defaults so each reads as one table (a
 * second flag for an option does not compile). {@code jpm start}'s flags and their help
 * ({@code cli.command.StartFlags}), the man page and the completion scripts come from here, in
 * {@link AppOption}'s order; {@code {default}} in a help line stands for the option's declared default.
 */
final class OptionFlags {
    private static final Map<AppOption, StartFlag> FLAGS = new EnumMap<>(AppOption.class);

    static {
        for (AppOption option : AppOption.values()) {
            StartFlag flag = declared(option);
            if (flag != null) {
                FLAGS.put(option, flag);
            }
        }
    }

    private OptionFlags() {}

    /** The flag that sets {@code option}, null when no flag does. */
    static StartFlag of(AppOption option) {
        return FLAGS.get(option);
    }

    /** The table itself, one case per flagged option: what runs, how it stops and restarts, then the rest. */
    private static StartFlag declared(AppOption option) {
        return switch (option) {
            case NAME -> value(
                    "--name|-n", "n", "the app's name (default: the script's file name without its extension)");
            case INSTANCES -> value(
                    "-i|--instances", "N|max", "run N instances (max or 0: one per core; -N: the cores minus N)");
            case INTERPRETER -> value(
                    "--interpreter",
                    "x",
                    "what runs the script (default by extension: node, python3, bash...; none: run it as is)");
            case INTERPRETER_ARGS -> value(
                    "--interpreter-args|--node-args", "a", "arguments for the interpreter, before the script");
            case CWD -> value("--cwd", "d", "the app's working folder");
            case AUTORESTART -> off("--no-autorestart", "do not restart the app when it exits");
            case MAX_RESTARTS -> value(
                    "--max-restarts", "N", "unstable exits in a row that leave the app errored (default {default})");
            case MIN_UPTIME -> value(
                    "--min-uptime",
                    "ms",
                    "an app that ran less than this is unstable (default {default}; 5s, 1m also read)");
            case RESTART_DELAY -> value("--restart-delay", "ms", "wait this long before each restart");
            case EXP_BACKOFF_RESTART_DELAY -> value(
                    "--exp-backoff-restart-delay",
                    "ms",
                    "first delay of a backoff that grows x1.5 per crash (at most 15 s)");
            case STOP_EXIT_CODES -> value(
                    "--stop-exit-codes",
                    "c,..",
                    "exit codes after which the app is not restarted (also: --stop-exit-codes 0 3)");
            case KILL_TIMEOUT -> value(
                    "--kill-timeout|-k",
                    "ms",
                    "how long a stop waits after the kill signal before SIGKILL (default {default})");
            case KILL_SIGNAL -> value(
                    "--kill-signal", "SIG", "the signal a stop sends first (default {default}; gunicorn: SIGTERM)");
            case TREEKILL -> off("--no-treekill", "signal only the app's own process, not its children");
            case WAIT_READY -> on(
                    "--wait-ready",
                    "the app is online once it sends 'ready' (process.send or sd_notify), not at spawn");
            case LISTEN_TIMEOUT -> value(
                    "--listen-timeout",
                    "ms",
                    "how long a new instance may take to be ready (default {default}; balanced 10000, JVM 30000)");
            case SHUTDOWN_WITH_MESSAGE -> on(
                    "--shutdown-with-message", "ask a Node app to stop with a 'shutdown' message, not a signal");
            case PMX -> off("--no-pmx", "no code metrics for a Node app (heap, event loop, HTTP: describe, monit)");
            case AUTOMATION -> off("--no-automation", "as --no-pmx, whatever pmx says (pm2's other name for it)");
            case TRACE -> on(
                    "--trace",
                    "a Node app sends OpenTelemetry spans over OTLP/HTTP (jpm install-otel; installed if missing)");
            default -> loggedAndServed(option);
        };
    }

    /** The table's second half: logs, identity, the balancer and the watchdog's rules. */
    private static StartFlag loggedAndServed(AppOption option) {
        return switch (option) {
            case OUT_FILE -> value("-o|--output", "out.log", "the app's stdout log file");
            case ERROR_FILE -> value("-e|--error", "err.log", "the app's stderr log file");
            case LOG_FILE -> value(
                    "-l|--log", "[both.log]", "also one file with both streams (alone: JPM_HOME/logs/<name>.log)");
            case MERGE_LOGS -> on("--merge-logs", "instances share one set of log files (no -<pm_id> suffix)");
            case LOG_DATE_FORMAT -> value(
                    "--log-date-format",
                    "fmt",
                    "prefix each log line with the time in this format (YYYY-MM-DD HH:mm:ss)");
            case TIME -> on("--time", "prefix each log line with the time (YYYY-MM-DDTHH:mm:ss)");
            case LOG_TYPE -> value(
                    "--log-type",
                    "json",
                    "write log lines as JSON objects (message, timestamp, type, process_id, app_name)");
            case DISABLE_LOGS -> on("--disable-logs", "write no log files (jpm logs still streams live lines)");
            case NAMESPACE -> value(
                    "--namespace", "ns", "a group name: stop, restart and the others take it as a target");
            case PID_FILE -> value(
                    "-p|--pid", "file", "where the pid file goes (default JPM_HOME/pids/<name>-<pm_id>.pid)");
            case AUTOSTART -> off("--no-autostart", "add the app without starting it");
            case UID -> value("--uid|-u|--user", "user", "run the app as this user (needs a root daemon)");
            case GID -> value("--gid", "group", "run the app with this group (needs a root daemon)");
            case FILTER_ENV -> value(
                    "--filter-env",
                    "[names]",
                    "alone: only PATH, HOME, LANG and the like of the shell reach the app; with prefixes: not those");
            case PORT -> value(
                    "--port",
                    "P",
                    "with -i N or --balance: the public port the instances share through jpm's balancer; alone: PORT in the app's env, as pm2's port");
            case HOST -> value("--host", "h", "the balancer's address (default {default})");
            case HOSTS -> value(
                    "--hosts",
                    "n,..",
                    "a fleet app: the cluster's members that run it (node names, or all), each its -i instances");
            case BALANCE -> value("--balance", "mode", "socket, round-robin, least-connections or http (per request)");
            case INSTANCE_VAR -> value(
                    "--instance-var", "V", "the variable that holds the instance number (default {default})");
            case INCREMENT_VAR -> value(
                    "--increment-var", "V", "a variable that grows by one per instance (PORT: 3000, 3001...)");
            case WATCH -> value(
                    "--watch",
                    "[paths]",
                    "restart when a file changes (alone: the app's folder; else these paths, comma-separated or"
                            + " --watch again)");
            case IGNORE_WATCH -> value(
                    "--ignore-watch", "\"a b\"", "paths or globs the watch skips (node_modules and .git always)");
            case WATCH_DELAY -> value("--watch-delay", "ms", "wait this long after a change before the restart");
            case MAX_MEMORY_RESTART -> value(
                    "--max-memory-restart", "300M", "restart the app when its memory goes past this (K, M, G)");
            case CRON_RESTART -> value("--cron-restart|--cron|-c", "\"expr\"", "restart the app on this cron schedule");
            default -> null;
        };
    }
}
