package io.jpm.cli.command;

import io.jpm.cli.Flag;
import java.util.List;

/**
 * pm2 start's flags, by pm2's spellings, each filed under the ecosystem option it sets
 * ({@link StartOptions} turns them into one app's options). start, the startOr* verbs, restart and
 * reload of an ecosystem file, and jpm-runtime all read this one table; restart and reload of apps
 * that exist read {@link #FOR_EXISTING_APPS}.
 */
final class StartFlags {
  private StartFlags() {}

  /**
   * What a start flag does beyond one app's options (a file, the request, the output), jpm's own
   * balancer options, and what restart reads its own way: {@code --watch} (pm2 toggles watching)
   * and {@code --listen-timeout} (its own field of the request).
   */
  private static final java.util.Set<String> NOT_FOR_EXISTING_APPS = java.util.Set.of("env", "only", "force", "strict", "watch",
      "listen_timeout", "parallel", "attach", "write", "mini_list", "update_env", "port", "host", "balance");

  static final List<Flag> TABLE = List.of(
      Flag.option("--name|-n", "name", "n", "the app's name (default: the script's file name without its extension)"),
      Flag.option("-i|--instances", "instances", "N|max", "run N instances (max or 0: one per core; -N: the cores minus N)"),
      Flag.option("--interpreter", "interpreter", "x", "what runs the script (default by extension: node, python3, bash...; none: run it as is)"),
      Flag.option("--interpreter-args|--node-args", "interpreter_args", "a", "arguments for the interpreter, before the script"),
      Flag.option("--cwd", "cwd", "d", "the app's working folder"),
      Flag.option("--env", "env", "name", "an ecosystem file's env_<name> section applies"),
      Flag.option("--only", "only", "a,b", "of an ecosystem file, only these apps"),
      Flag.toggle("-f|--force", "force", "start a script that already runs once more, as another app"),
      Flag.toggle("--strict", "strict", "refuse the apps for an option jpm does not know, instead of a warning"),
      Flag.toggle("--no-autorestart", "no_autorestart", "do not restart the app when it exits"),
      Flag.option("--max-restarts", "max_restarts", "N", "unstable exits in a row that leave the app errored (default 16)"),
      Flag.option("--min-uptime", "min_uptime", "ms", "an app that ran less than this is unstable (default 1000; 5s, 1m also read)"),
      Flag.option("--restart-delay", "restart_delay", "ms", "wait this long before each restart"),
      Flag.option("--exp-backoff-restart-delay", "exp_backoff_restart_delay", "ms", "first delay of a backoff that grows x1.5 per crash (at most 15 s)"),
      Flag.option("--stop-exit-codes", "stop_exit_codes", "c,..", "exit codes after which the app is not restarted (also: --stop-exit-codes 0 3)"),
      Flag.option("--kill-timeout|-k", "kill_timeout", "ms", "how long a stop waits after the kill signal before SIGKILL (default 1600)"),
      Flag.option("--kill-signal", "kill_signal", "SIG", "the signal a stop sends first (default SIGINT; gunicorn: SIGTERM)"),
      Flag.toggle("--no-treekill", "no_treekill", "signal only the app's own process, not its children"),
      Flag.toggle("--wait-ready", "wait_ready", "the app is online once it sends 'ready' (process.send or sd_notify), not at spawn"),
      Flag.option("--listen-timeout", "listen_timeout", "ms", "how long a new instance may take to be ready (default 3000; balanced 10000, JVM 30000)"),
      Flag.toggle("--shutdown-with-message", "shutdown_with_message", "ask a Node app to stop with a 'shutdown' message, not a signal"),
      Flag.option("-o|--output", "out_file", "out.log", "the app's stdout log file"),
      Flag.option("-e|--error", "error_file", "err.log", "the app's stderr log file"),
      Flag.option("-l|--log", "log_file", "[both.log]", "also one file with both streams (alone: JPM_HOME/logs/<name>.log)"),
      Flag.toggle("--merge-logs", "merge_logs", "instances share one set of log files (no -<pm_id> suffix)"),
      Flag.option("--log-date-format", "log_date_format", "fmt", "prefix each log line with the time in this format (YYYY-MM-DD HH:mm:ss)"),
      Flag.toggle("--time", "time", "prefix each log line with the time (YYYY-MM-DDTHH:mm:ss)"),
      Flag.option("--log-type", "log_type", "json", "write log lines as JSON objects (message, timestamp, type, process_id, app_name)"),
      Flag.toggle("--disable-logs", "disable_logs", "write no log files (jpm logs still streams live lines)"),
      Flag.option("--namespace", "namespace", "ns", "a group name: stop, restart and the others take it as a target"),
      Flag.option("-p|--pid", "pid_file", "file", "where the pid file goes (default JPM_HOME/pids/<name>-<pm_id>.pid)"),
      Flag.toggle("--no-autostart", "no_autostart", "add the app without starting it"),
      Flag.option("--uid|-u|--user", "uid", "user", "run the app as this user (needs a root daemon)"),
      Flag.option("--gid", "gid", "group", "run the app with this group (needs a root daemon)"),
      Flag.option("--filter-env", "filter_env", "[names]", "alone: only PATH, HOME, LANG and the like of the shell reach the app; with prefixes: not those"),
      Flag.option("--port", "port", "P", "with -i N or --balance: the public port the instances share through jpm's balancer; alone: PORT in the app's env, as pm2's port"),
      Flag.option("--host", "host", "h", "the balancer's address (default 127.0.0.1)"),
      Flag.option("--balance", "balance", "mode", "socket, round-robin, least-connections or http (per request)"),
      Flag.option("--instance-var", "instance_var", "V", "the variable that holds the instance number (default NODE_APP_INSTANCE)"),
      Flag.option("--increment-var", "increment_var", "V", "a variable that grows by one per instance (PORT: 3000, 3001...)"),
      Flag.option("--watch", "watch", "[=paths]", "restart when a file changes (alone: the app's folder; else these paths)"),
      Flag.option("--ignore-watch", "ignore_watch", "\"a b\"", "paths or globs the watch skips (node_modules and .git always)"),
      Flag.option("--watch-delay", "watch_delay", "ms", "wait this long after a change before the restart"),
      Flag.option("--ext", "ext", "js,json", "watch only files with these extensions"),
      Flag.option("--max-memory-restart", "max_memory_restart", "300M", "restart the app when its memory goes past this (K, M, G)"),
      Flag.option("--cron-restart|--cron|-c", "cron_restart", "\"expr\"", "restart the app on this cron schedule"),
      Flag.toggle("-x|--execute-command", "execute_command", "run the script as a command (no interpreter)"),
      Flag.option("--parallel", "parallel", "N", "of an ecosystem file's running apps, at most N restarted at a time"),
      Flag.toggle("--attach", "attach", "then stream the app's logs until Ctrl-C"),
      Flag.toggle("-w|--write", "write", "also save the options as ./<name>-pm2.json"),
      Flag.toggle("-m|--mini-list", "mini_list", "print the short list, not the table"),
      // pm2 applies a file's env on start anyway; accepted so pm2 scripts run unchanged
      Flag.toggle("-a|--update-env", "update_env", "accepted for pm2's scripts: start always takes the file's env"),
      // pm2 options for Node's source maps, pm2.io and git metadata: nothing to do outside pm2
      Flag.toggle("--no-vizion|--no-pmx|--no-automation|--no-color", "ignored",
          "pm2's options for git metadata, pm2.io and colours: accepted, nothing to do"),
      Flag.toggle("--source-map-support", "source_map_support", "node reports stack traces through source maps (on by itself when <script>.map exists)"),
      Flag.toggle("--disable-source-map-support", "disable_source_map_support", "node reports stack traces as they are, even with a <script>.map"),
      Flag.toggle("--trace|--disable-trace|--v8|--event-loop-inspector|--deep-monitoring", "ignored",
          "pm2.io's tracing and metrics: accepted, nothing to do"));

  /**
   * The flags pm2 applies to an app that already exists ({@code restart app --node-args ...}): it
   * merges them into the app's settings, which its next run takes. The balancer's port, host and
   * balance are jpm's own (pm2 has no such flags): a running app's public port changes with its
   * ecosystem file, not here.
   */
  static final List<Flag> FOR_EXISTING_APPS = TABLE.stream().filter(f -> !NOT_FOR_EXISTING_APPS.contains(f.name())).toList();
}
