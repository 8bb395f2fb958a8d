package io.jpm.cli;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.EcosystemFileKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code jpm start [script|name|id|ecosystem file] [options] [-- args...]}: pm2's flags, turned
 * into pm2's ecosystem option names. The daemon validates the options; this class only checks
 * that each flag's value has the right form. With no argument it starts pm2's default file,
 * {@code ecosystem.config.js}. Also {@code startOrRestart}, {@code startOrReload} and
 * {@code startOrGracefulReload <file>}, and restart or reload of a file: the file's apps that run
 * are restarted (or reloaded) with the file's options and env, the others start.
 */
final class StartCommand implements Command {
  static final Map<String, String> VALUED = Args.spellings(
      "--name|-n", "name",
      "-i|--instances", "instances",
      "--interpreter", "interpreter",
      "--interpreter-args|--node-args", "interpreter_args",
      "--cwd", "cwd",
      "--max-restarts", "max_restarts",
      "--min-uptime", "min_uptime",
      "--restart-delay", "restart_delay",
      "--exp-backoff-restart-delay", "exp_backoff_restart_delay",
      "--stop-exit-codes", "stop_exit_codes",
      "--kill-timeout|-k", "kill_timeout",
      "--kill-signal", "kill_signal",
      "-o|--output", "out_file",
      "-e|--error", "error_file",
      "-l|--log", "log_file",
      "--log-date-format", "log_date_format",
      "--log-type", "log_type",
      "--env", "env",
      "--port", "port",
      "--host", "host",
      "--balance", "balance",
      "--listen-timeout", "listen_timeout",
      "--instance-var", "instance_var",
      "--increment-var", "increment_var",
      "--only", "only",
      "--watch", "watch",
      "--ignore-watch", "ignore_watch",
      "--watch-delay", "watch_delay",
      "--max-memory-restart", "max_memory_restart",
      "--cron-restart|--cron|-c", "cron_restart",
      "--namespace", "namespace",
      "-p|--pid", "pid_file",
      "--uid|-u|--user", "uid",
      "--gid", "gid",
      "--filter-env", "filter_env",
      "--ext", "ext",
      "--parallel", "parallel");
  static final Map<String, String> SWITCHES = Args.spellings(
      "-f|--force", "force",
      "--no-autorestart", "no_autorestart",
      "--merge-logs", "merge_logs",
      "--time", "time",
      "--no-autostart", "no_autostart",
      "--disable-logs", "disable_logs",
      "--no-treekill", "no_treekill",
      "--watch", "watch",
      // pm2's -w is --write (pm2's --watch has no short form)
      "-w|--write", "write",
      "-m|--mini-list", "mini_list",
      "--wait-ready", "wait_ready",
      "--shutdown-with-message", "shutdown_with_message",
      "-x|--execute-command", "execute_command",
      "--attach", "attach",
      // pm2 applies a file's env on start anyway; accepted so pm2 scripts run unchanged
      "-a|--update-env", "update_env",
      // pm2 options for Node's source maps, pm2.io and git metadata: nothing to do outside pm2
      "--no-vizion|--no-pmx|--no-automation|--source-map-support|--disable-source-map-support|--trace|--disable-trace"
          + "|--v8|--event-loop-inspector|--deep-monitoring|--no-color", "ignored");

  private final String verb;
  /** What a file's running apps go through: {@code StartRequest}'s restart or reload. */
  private final String action;
  /** startOrRestart and the like take an ecosystem file only. */
  private final boolean fileOnly;

  StartCommand() {
    this("start", "restart", false);
  }

  StartCommand(String verb, String action, boolean fileOnly) {
    this.verb = verb;
    this.action = action;
    this.fileOnly = fileOnly;
  }

  @Override
  public int run(List<String> words, Session session) throws IOException {
    Args args = parse(words);
    Map<String, Object> request = request(args);
    if (StdinApps.TARGET.equals(target(args)) && !fileOnly) {
      return startFromStdin(request, args, session);
    }
    if (args.has("write")) {
      writeConfig(request, session);
    }
    Json.Value started = session.request(Addresses.CMD_START, request);
    for (Json.Value p : started) {
      session.out.println("[jpm] " + p.path("name").asText() + " (id " + p.path("pm_id").asText() + ") "
          + p.path("status").asText());
    }
    if (args.has("mini_list")) {
      new ListCommand(ListCommand.Form.TABLE).run(List.of("-m"), session);
    } else {
      session.printTable();
    }
    return args.has("attach") ? AttachLogs.follow(started, session) : 0;
  }

  /**
   * pm2's {@code -w/--write}: the app's options go to {@code <name>-pm2.json} in the current folder
   * (a temp file, then renamed), a file {@code jpm start} (and pm2) can start again.
   */
  @SuppressWarnings("unchecked")
  private static void writeConfig(Map<String, Object> request, Session session) throws IOException {
    List<Object> apps = (List<Object>) request.get("apps");
    if (apps.isEmpty()) {
      throw CliException.usage("--write writes the options of a script started from the command line, not of an ecosystem file");
    }
    Map<String, Object> app = (Map<String, Object>) apps.get(0);
    Object script = app.get("script");
    String name = app.containsKey("name") ? String.valueOf(app.get("name"))
        : Path.of(String.valueOf(script)).getFileName().toString().replaceFirst("\\.[^.]+$", "");
    Path target = Path.of(System.getProperty("user.dir")).resolve(name + "-pm2.json");
    Path temp = java.nio.file.Files.createTempFile(target.getParent(), "." + name, ".tmp");
    java.nio.file.Files.writeString(temp, Json.pretty(app) + "\n");
    java.nio.file.Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    session.out.println("[jpm] Writing configuration to " + target);
  }

  /** The start request these words ask for (jpm-runtime sends it to the daemon it runs). */
  Map<String, Object> request(List<String> words) throws IOException {
    return request(parse(words));
  }

  private Args parse(List<String> words) {
    return Args.parse(verb, spacedExitCodes(optionalLogPath(words)), VALUED, SWITCHES)
        .expectPositionals(verb, fileOnly ? 1 : 0, 1, fileOnly ? "<ecosystem file> [--env name] [--only a,b]"
            : "[script|name|id|ecosystem file|-] [options] [-- args...]");
  }

  private static String target(Args args) {
    return args.positionals.isEmpty() ? EcosystemFileKind.DEFAULT_FILE : args.positionals.get(0);
  }

  /** The request without its apps when they come on stdin ({@code -}). */
  private Map<String, Object> request(Args args) throws IOException {
    String target = target(args);
    if (fileOnly && !EcosystemFileKind.isEcosystemFile(target)) {
      throw CliException.usage(verb + " takes an ecosystem file (.json, .yml, .yaml, .config.js, .config.cjs, .config.mjs), got '"
          + target + "'");
    }
    Map<String, Object> request = Json.object();
    request.put("cwd", System.getProperty("user.dir"));
    request.put("env", new java.util.TreeMap<String, Object>(System.getenv()));
    request.put("force", args.has("force"));
    request.put("env_name", args.get("env"));
    request.put("only", args.has("only") ? List.of(args.get("only").split("[,\\s]+")) : List.of());
    request.put("action", action);
    if (args.has("parallel")) {
      request.put("parallel", ActionCommand.parallel(args.get("parallel")));
    }
    List<Object> apps = new ArrayList<>();
    request.put("apps", apps);
    if (StdinApps.TARGET.equals(target) && !fileOnly) {
      return request;
    }
    if (EcosystemFileKind.isEcosystemFile(target)) {
      request.put("file", target);
      if (!args.passthrough.isEmpty()) {
        throw CliException.usage("arguments after -- go with a script, not an ecosystem file");
      }
    } else {
      apps.add(appOptions(target, args));
    }
    return request;
  }

  /** pm2's {@code start -}: each app of the JSON on stdin is started as if named on the command line. */
  private int startFromStdin(Map<String, Object> request, Args args, Session session) throws IOException {
    if (!args.passthrough.isEmpty()) {
      throw CliException.usage("arguments after -- go with a script, not with apps read from stdin");
    }
    List<Map<String, Object>> apps = StdinApps.read(System.in);
    for (Map<String, Object> app : apps) {
      request.put("apps", List.of(app));
      for (Json.Value p : session.request(Addresses.CMD_START, request)) {
        session.out.println("[jpm] " + p.path("name").asText() + " (id " + p.path("pm_id").asText() + ") " + p.path("status").asText());
      }
    }
    session.printTable();
    return 0;
  }

  private static Map<String, Object> appOptions(String script, Args args) throws IOException {
    Map<String, Object> app = Json.object();
    app.put("script", script);
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
        if (!value.matches("\\d+(\\.\\d+)?(ms|s|m|h)?")) {
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

  /**
   * pm2's flags whose value is optional: {@code -l/--log [path]} (without a path, the default
   * combined file) and {@code --filter-env [names]} (without names, none of the shell's variables).
   */
  static List<String> optionalLogPath(List<String> words) {
    List<String> out = new ArrayList<>(words.size());
    boolean passthrough = false;
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      passthrough |= word.equals("--");
      boolean next = i + 1 < words.size() && !words.get(i + 1).startsWith("-");
      boolean optional = word.equals("-l") || word.equals("--log") || word.equals("--filter-env");
      out.add(!passthrough && optional && !next ? (word.equals("--filter-env") ? word : "--log") + "=true" : word);
    }
    return out;
  }

  /** pm2's {@code --stop-exit-codes 0 3}: the codes that follow the flag, as one list. */
  static List<String> spacedExitCodes(List<String> words) {
    List<String> out = new ArrayList<>(words.size());
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      out.add(word);
      if (word.equals("--")) {
        out.addAll(words.subList(i + 1, words.size()));
        break;
      }
      if (word.equals("--stop-exit-codes") && i + 1 < words.size()) {
        StringBuilder codes = new StringBuilder(words.get(++i));
        while (i + 1 < words.size() && words.get(i + 1).matches("\\d+")) {
          codes.append(',').append(words.get(++i));
        }
        out.add(codes.toString());
      }
    }
    return out;
  }

  /** A log path on the command line is relative to where the command runs, as with pm2. */
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
