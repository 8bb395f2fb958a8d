package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.transport.Json;
import io.jpm.protocol.Durations;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The start flags ({@link StartFlags}) turned into one app's
 * options, by pm2's names, as an ecosystem file would give them: the daemon validates them once,
 * whichever way they came. Only the shapes are checked here (a number, a duration), so a typo is
 * refused before a round trip.
 */
final class StartOptions {
  private StartOptions() {}

  static Map<String, Object> appOptions(String script, Args args) throws IOException {
    Map<String, Object> app = Json.object();
    app.put("script", script);
    app.putAll(changes(args));
    return app;
  }

  /**
   * The options the flags set, without a script: what restart and reload of an app that exists
   * send, for the daemon to merge into the app's own (pm2's {@code current_conf}).
   */
  static Map<String, Object> changes(Args args) throws IOException {
    Map<String, Object> app = Json.object();
    putText(app, args, "name");
    putText(app, args, "interpreter");
    putText(app, args, "interpreter_args");
    putText(app, args, "cwd");
    putText(app, args, "kill_signal");
    for (String option : List.of("out_file", "error_file", "log_file")) {
      if (args.has(option)) {
        app.put(option, clientPath(args.get(option)));
      }
    }
    if ("true".equals(app.get("log_file"))) {
      app.put("log_file", true);
    }
    putText(app, args, "log_date_format");
    putText(app, args, "log_type");
    putText(app, args, "namespace");
    putText(app, args, "uid");
    putText(app, args, "gid");
    if (args.has("filter_env")) {
      // pm2's --filter-env [envs]: alone, keep none of the shell's variables; with names, drop those
      String names = args.get("filter_env");
      app.put("filter_env", "true".equals(names) ? (Object) Boolean.TRUE : List.of(names.split("[,\\s]+")));
    }
    if (args.has("pid_file")) {
      app.put("pid_file", clientPath(args.get("pid_file")));
    }
    if (args.has("no_autostart")) {
      app.put("autostart", false);
    }
    if (args.has("disable_logs")) {
      app.put("disable_logs", true);
    }
    for (String sourceMaps : List.of("source_map_support", "disable_source_map_support")) {
      if (args.has(sourceMaps)) {
        app.put(sourceMaps, true);
      }
    }
    if (args.has("no_treekill")) {
      app.put("treekill", false);
    }
    if (args.has("merge_logs")) {
      app.put("merge_logs", true);
    }
    if (args.has("time")) {
      app.put("time", true);
    }
    putText(app, args, "host");
    putText(app, args, "balance");
    putText(app, args, "instance_var");
    putText(app, args, "increment_var");
    if (args.has("port")) {
      app.put("port", (long) wholeNumber("--port", args.get("port")));
    }
    if (args.has("instances")) {
      String n = args.get("instances");
      if (!n.equals("max") && !n.matches("-?\\d+")) {
        throw CliException.usage("-i expects a number or max, got '" + n + "'");
      }
      if (n.equals("max")) {
        app.put("instances", "max");
      } else {
        app.put("instances", Long.parseLong(n));
      }
    }
    if (args.has("max_restarts")) {
      app.put("max_restarts", (long) wholeNumber("--max-restarts", args.get("max_restarts")));
    }
    for (String duration : List.of("min_uptime", "restart_delay", "exp_backoff_restart_delay", "kill_timeout", "listen_timeout")) {
      if (args.has(duration)) {
        String value = args.get(duration);
        if (Durations.parseMillis(value) < 0) {
          throw CliException.usage("--" + duration.replace('_', '-') + " expects a duration like 1000, 500ms or 3s, got '" + value + "'");
        }
        if (value.matches("\\d+")) {
          app.put(duration, Long.parseLong(value));
        } else {
          app.put(duration, value);
        }
      }
    }
    if (args.has("stop_exit_codes")) {
      List<Object> codes = new ArrayList<>();
      for (String code : args.get("stop_exit_codes").split("[,\\s]+")) {
        codes.add((long) wholeNumber("--stop-exit-codes", code));
      }
      app.put("stop_exit_codes", codes);
    }
    putText(app, args, "max_memory_restart");
    putText(app, args, "cron_restart");
    if (args.has("watch")) {
      // --watch alone watches the app's folder; --watch=src,lib watches those paths
      String watch = args.get("watch");
      app.put("watch", "true".equals(watch) ? (Object) Boolean.TRUE : List.of(watch.split(",")));
    }
    if (args.has("ignore_watch")) {
      app.put("ignore_watch", List.of(args.get("ignore_watch").trim().split("\\s+")));
    }
    if (args.has("watch_delay")) {
      String value = args.get("watch_delay");
      app.put("watch_delay", value.matches("\\d+") ? (Object) Long.parseLong(value) : value);
    }
    if (args.has("no_autorestart")) {
      app.put("autorestart", false);
    }
    if (args.has("wait_ready")) {
      app.put("wait_ready", true);
    }
    if (args.has("shutdown_with_message")) {
      app.put("shutdown_with_message", true);
    }
    if (args.has("execute_command")) {
      app.put("exec_mode", "fork"); // pm2's -x: run in fork mode
    }
    if (args.has("ext")) {
      app.put("ignore_watch", WatchExtensions.ignoreAllBut(args.get("ext"), Path.of(System.getProperty("user.dir"))));
    }
    if (!args.passthrough.isEmpty()) {
      app.put("args", List.copyOf(args.passthrough));
    }
    return app;
  }

  private static String clientPath(String path) {
    if (path.equals("true") || path.equals("NULL") || path.equals("/dev/null")) {
      return path;
    }
    return java.nio.file.Path.of(System.getProperty("user.dir")).resolve(path).normalize().toString();
  }

  private static void putText(Map<String, Object> app, Args args, String option) {
    if (args.has(option)) {
      app.put(option, args.get(option));
    }
  }

  private static int wholeNumber(String flag, String value) {
    if (!value.matches("\\d{1,9}")) {
      throw CliException.usage(flag + " expects a whole number, got '" + value + "'");
    }
    return Integer.parseInt(value);
  }
}
