package io.jpm.cli;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessSummary;
import io.jpm.protocol.StartRequest;
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
    StartRequest request = request(args);
    if (StdinApps.TARGET.equals(target(args)) && !fileOnly) {
      return startFromStdin(request, args, session);
    }
    if (args.has("write")) {
      writeConfig(request, session);
    }
    Json.Value started = session.request(Addresses.CMD_START, request.toMap());
    for (ProcessSummary p : Session.summaries(started)) {
      session.out.println("[jpm] " + p.name() + " (id " + p.pmId() + ") " + p.status());
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
  private static void writeConfig(StartRequest request, Session session) throws IOException {
    List<Object> apps = request.apps();
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
  StartRequest request(List<String> words) throws IOException {
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
  private StartRequest request(Args args) throws IOException {
    String target = target(args);
    if (fileOnly && !EcosystemFileKind.isEcosystemFile(target)) {
      throw CliException.usage(verb + " takes an ecosystem file (.json, .yml, .yaml, .config.js, .config.cjs, .config.mjs), got '"
          + target + "'");
    }
    List<String> only = args.has("only") ? List.of(args.get("only").split("[,\\s]+")) : List.of();
    int parallel = args.has("parallel") ? (int) ActionCommand.parallel(args.get("parallel")) : 0;
    List<Object> apps = new ArrayList<>();
    String file = null;
    if (StdinApps.TARGET.equals(target) && !fileOnly) {
      // the apps come on stdin, one request each
    } else if (EcosystemFileKind.isEcosystemFile(target)) {
      file = target;
      if (!args.passthrough.isEmpty()) {
        throw CliException.usage("arguments after -- go with a script, not an ecosystem file");
      }
    } else {
      apps.add(StartOptions.appOptions(target, args));
    }
    return new StartRequest(apps, file, System.getProperty("user.dir"), System.getenv(), args.has("force"), only,
        args.get("env"), action, parallel);
  }

  /** pm2's {@code start -}: each app of the JSON on stdin is started as if named on the command line. */
  private int startFromStdin(StartRequest request, Args args, Session session) throws IOException {
    if (!args.passthrough.isEmpty()) {
      throw CliException.usage("arguments after -- go with a script, not with apps read from stdin");
    }
    List<Map<String, Object>> apps = StdinApps.read(System.in);
    for (Map<String, Object> app : apps) {
      for (ProcessSummary p : Session.summaries(session.request(Addresses.CMD_START, request.withApps(List.of(app)).toMap()))) {
        session.out.println("[jpm] " + p.name() + " (id " + p.pmId() + ") " + p.status());
      }
    }
    session.printTable();
    return 0;
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
}
