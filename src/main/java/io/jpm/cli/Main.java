package io.jpm.cli;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmHome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jpm <verb> ...}: parses the verb, runs its command against the daemon, exits 0 on success
 * or prints one line on stderr and exits non-zero. The client never loads daemon classes.
 */
public final class Main {
  private static final Map<String, Command> VERBS = new HashMap<>();

  static {
    VERBS.put("start", new StartCommand());
    VERBS.put("startOrRestart", new StartCommand("startOrRestart", "restart", true));
    VERBS.put("startOrReload", new StartCommand("startOrReload", "reload", true));
    VERBS.put("startOrGracefulReload", new StartCommand("startOrGracefulReload", "reload", true));
    VERBS.put("pid", new PidCommand(false));
    VERBS.put("id", new PidCommand(true));
    VERBS.put("env", new EnvCommand());
    VERBS.put("prettylist", new ListCommand(ListCommand.Form.PRETTY));
    VERBS.put("cleardump", new PersistCommand(PersistCommand.Kind.CLEAR));
    VERBS.put("ecosystem", new EcosystemCommand());
    VERBS.put("report", new ReportCommand());
    VERBS.put("set", new SettingsCommand(SettingsCommand.Kind.SET));
    VERBS.put("unset", new SettingsCommand(SettingsCommand.Kind.UNSET));
    VERBS.put("get", new SettingsCommand(SettingsCommand.Kind.GET));
    VERBS.put("conf", new SettingsCommand(SettingsCommand.Kind.CONF));
    VERBS.put("init", VERBS.get("ecosystem"));
    VERBS.put("stop", new ActionCommand("stop", Addresses.CMD_STOP, "stopped"));
    VERBS.put("restart", new ActionCommand("restart", Addresses.CMD_RESTART, "restarted", true));
    VERBS.put("reload", new ActionCommand("reload", Addresses.CMD_RELOAD, "reloaded", true));
    VERBS.put("delete", new ActionCommand("delete", Addresses.CMD_DELETE, "deleted"));
    VERBS.put("del", VERBS.get("delete"));
    VERBS.put("scale", new ScaleCommand());
    VERBS.put("reset", new ActionCommand("reset", Addresses.CMD_RESET, "counters reset"));
    VERBS.put("ls", new ListCommand(ListCommand.Form.TABLE));
    VERBS.put("list", VERBS.get("ls"));
    VERBS.put("status", VERBS.get("ls"));
    VERBS.put("l", VERBS.get("ls"));
    VERBS.put("ps", VERBS.get("ls"));
    VERBS.put("jlist", new ListCommand(ListCommand.Form.JSON));
    VERBS.put("describe", new ListCommand(ListCommand.Form.DESCRIBE));
    VERBS.put("show", VERBS.get("describe"));
    VERBS.put("desc", VERBS.get("describe"));
    VERBS.put("info", VERBS.get("describe"));
    VERBS.put("sendSignal", new SignalCommand());
    VERBS.put("serve", new ServeCommand());
    VERBS.put("expose", VERBS.get("serve"));
    VERBS.put("send", new StdinCommand(false));
    VERBS.put("attach", new StdinCommand(true));
    VERBS.put("ping", new DaemonCommand(DaemonCommand.Kind.PING));
    VERBS.put("kill", new DaemonCommand(DaemonCommand.Kind.KILL));
    VERBS.put("update", new UpdateCommand("update"));
    VERBS.put("updatePM2", new UpdateCommand("updatePM2"));
    VERBS.put("events", new EventsCommand());
    VERBS.put("monit", new MonitCommand());
    VERBS.put("save", new PersistCommand(PersistCommand.Kind.SAVE));
    VERBS.put("dump", VERBS.get("save"));
    VERBS.put("resurrect", new PersistCommand(PersistCommand.Kind.RESURRECT));
    VERBS.put("startup", new StartupCommand(true));
    VERBS.put("unstartup", new StartupCommand(false));
    VERBS.put("logs", new LogsCommand());
    VERBS.put("log", VERBS.get("logs"));
    VERBS.put("flush", new LogFilesCommand(LogFilesCommand.Kind.FLUSH));
    VERBS.put("reloadLogs", new LogFilesCommand(LogFilesCommand.Kind.RELOAD));
    VERBS.put("deploy", new DeployCommand());
  }

  /**
   * pm2 verbs jpm leaves out on purpose, each with what to use instead: one line and exit 1, not
   * "unknown command", so a pm2 user learns where the feature went.
   */
  private static final Map<String, String> LEFT_OUT = new HashMap<>();

  static {
    String hosted = "pm2's hosted service (pm2.io) has no counterpart in jpm: jpm monit, jpm events and jpm jlist show live state";
    for (String verb : List.of("link", "unlink", "plus", "login", "logout", "open", "monitor", "unmonitor", "register")) {
      LEFT_OUT.put(verb, hosted);
    }
    String modules = "jpm has no module system: run the module as an app with jpm start";
    for (String verb : List.of("install", "uninstall", "module:update", "module:generate", "publish", "package")) {
      LEFT_OUT.put(verb, modules);
    }
    String profiling = "profiling a Node app is node's job: start it with --interpreter-args \"--cpu-prof\" or \"--inspect\"";
    for (String verb : List.of("profile:mem", "profile:cpu", "inspect", "trigger")) {
      LEFT_OUT.put(verb, profiling);
    }
    LEFT_OUT.put("logrotate", "jpm rotates logs itself: see the max_size, retain and compress options in docs/CONFIG.md");
    LEFT_OUT.put("dashboard", "use jpm monit");
    LEFT_OUT.put("imonit", "use jpm monit");
    LEFT_OUT.put("slist", "use jpm jlist or jpm describe");
    LEFT_OUT.put("sysinfos", "use jpm jlist or jpm describe");
    LEFT_OUT.put("deepUpdate", "jpm does not install itself: install the new jpm, then jpm update");
    LEFT_OUT.put("install-otel", "jpm exports no OpenTelemetry data; jpm events streams lifecycle events as JSON");
    for (String verb : List.of("pull", "forward", "backward")) {
      LEFT_OUT.put(verb, "jpm does not move apps between git commits: check out the commit, then jpm reload <name>");
    }
  }

  /** bin/jpm-runtime's first word: the rest is pm2-runtime's command line ({@link RuntimeCommand}). */
  static final String RUNTIME_VERB = "__runtime";

  private Main() {}

  /** A verb's command (the CDS training runs the real ones). */
  static Command verb(String name) {
    return VERBS.get(name);
  }

  public static void main(String[] argv) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.exit(run(Arrays.asList(argv), out));
  }

  static int run(List<String> argv, PrintStream out) {
    if (argv.isEmpty() || List.of("-h", "--help", "help").contains(argv.get(0))) {
      out.print(usage());
      return argv.isEmpty() ? 1 : 0;
    }
    if (List.of("-v", "--version", "version").contains(argv.get(0))) {
      out.println(Main.class.getPackage().getImplementationVersion() == null ? "dev" : Main.class.getPackage().getImplementationVersion());
      return 0;
    }
    if (DaemonArchive.RECORD_VERB.equals(argv.get(0))) {
      return DaemonArchive.record();
    }
    if ("__cds-train".equals(argv.get(0))) {
      try {
        return CdsTraining.run();
      } catch (IOException e) {
        System.err.println("jpm: training run failed: " + e.getMessage());
        return 1;
      }
    }
    // pm2's -s/--silent: no output on stdout, errors still on stderr
    if (argv.contains("-s") || argv.contains("--silent")) {
      int end = argv.contains("--") ? argv.indexOf("--") : argv.size();
      List<String> kept = new java.util.ArrayList<>();
      for (int i = 0; i < argv.size(); i++) {
        String word = argv.get(i);
        if (i >= end || (!word.equals("-s") && !word.equals("--silent"))) {
          kept.add(word);
        }
      }
      argv = kept;
      out = new PrintStream(java.io.OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }
    if (RUNTIME_VERB.equals(argv.get(0))) {
      return RuntimeCommand.run(RuntimeCommand.Mode.RUNTIME, argv.subList(1, argv.size()), out);
    }
    if ("start".equals(argv.get(0)) && !asksForHelp(argv)
        && argv.subList(0, argv.contains("--") ? argv.indexOf("--") : argv.size()).contains("--no-daemon")) {
      return RuntimeCommand.run(RuntimeCommand.Mode.NO_DAEMON, argv.subList(1, argv.size()), out);
    }
    if (VERBS.containsKey(argv.get(0)) && asksForHelp(argv)) {
      out.print(help(argv.get(0)));
      return 0;
    }
    Command command = VERBS.get(argv.get(0));
    if (command == null && LEFT_OUT.containsKey(argv.get(0))) {
      System.err.println("jpm: " + argv.get(0) + ": " + LEFT_OUT.get(argv.get(0)));
      return JpmError.INVALID_ARGUMENT.exitStatus();
    }
    if (command == null) {
      System.err.println("jpm: unknown command '" + argv.get(0) + "' (see jpm --help)");
      return JpmError.INVALID_ARGUMENT.exitStatus();
    }
    try (Session session = new Session(JpmHome.fromEnvironment(), out)) {
      return command.run(argv.subList(1, argv.size()), session);
    } catch (CliException e) {
      System.err.println("jpm: " + e.getMessage());
      return e.error.exitStatus();
    } catch (IOException e) {
      System.err.println("jpm: lost the daemon: " + e.getMessage());
      return JpmError.UNAVAILABLE.exitStatus();
    }
  }

  /** {@code jpm <verb> --help} (or {@code -h}), before any {@code --}. */
  private static boolean asksForHelp(List<String> argv) {
    for (String word : argv.subList(1, argv.size())) {
      if (word.equals("--")) {
        return false;
      }
      if (word.equals("--help") || word.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  /**
   * One verb's part of the usage: the entries whose leading names (before the first
   * {@code [} or {@code <}) include it, with their continuation lines.
   */
  static String help(String verb) {
    StringBuilder text = new StringBuilder();
    boolean in = false;
    for (String line : usage().split("\n")) {
      if (line.startsWith("  ") && !line.startsWith("   ")) {
        String names = line.strip().split("\\s{2,}|\\s+[\\[<]", 2)[0];
        in = Arrays.asList(names.split("[\\s|]+")).contains(verb);
      } else if (!line.startsWith("   ")) {
        in = false;
      }
      if (in) {
        text.append(line).append('\n');
      }
    }
    return text.length() == 0 ? "usage: jpm " + verb + " (see jpm --help)\n" : "usage:\n" + text;
  }

  private static String usage() {
    return String.join("\n",
        "usage: jpm <command> [options]",
        "",
        "  start [script|name|id|ecosystem file] [--name n] [-i N|max] [--interpreter x] [--interpreter-args a]",
        "        [--cwd d] [-f] [--no-autorestart] [--max-restarts N] [--min-uptime ms] [--restart-delay ms]",
        "        [--exp-backoff-restart-delay ms] [--stop-exit-codes c,..] [--kill-timeout ms] [--kill-signal SIG]",
        "        [-o out.log] [-e err.log] [-l [both.log]] [--merge-logs] [--log-date-format fmt] [--time] [--log-type json]",
        "        [--namespace ns] [-p|--pid file] [--no-autostart] [--disable-logs] [--no-treekill] [--uid user] [--gid group]",
        "        [--env name] [--only a,b] [--port P [--host h] [--balance round-robin|",
        "        least-connections|http] [--listen-timeout ms]] [--instance-var V] [--increment-var V]",
        "        [--watch[=paths]] [--ignore-watch \"a b\"] [--watch-delay ms] [--max-memory-restart 300M]",
        "        [--cron-restart|--cron \"expr\"] [--wait-ready] [--shutdown-with-message] [-x] [--ext js,json]",
        "        [--attach] [--parallel N] [-w|--write: save the options as ./<name>-pm2.json] [-m: mini list] [-- args...]",
        "        -: the apps as JSON on stdin ({\"apps\":[...]}, an array or one app); also for stop, restart, delete",
        "        no argument: ./ecosystem.config.js. Ecosystem files: .json, .yml/.yaml, .config.js/.cjs/.mjs (run by node)",
        "        --no-daemon: run the daemon in the foreground (stream the logs, stop everything on Ctrl-C), see bin/jpm-runtime",
        "  startOrRestart|startOrReload|startOrGracefulReload <ecosystem file> [--env name] [--only a,b]",
        "                          restart (reload) the file's apps that run, with its options and env; start the others",
        "  scale <name> <N|+N|-N>  run N instances (balanced apps drain those removed)",
        "  stop|restart|reload|delete|del|reset <id|name|all|/regex/|script|ecosystem file>...",
        "        restart|reload: [--update-env] [--env name]  (else an app keeps the env it started with);",
        "        [--parallel N] at most N restarted at a time; [--attach] then stream their logs until Ctrl-C;",
        "        of an ecosystem file: the file's env is read again and its apps that do not run start",
        "        restart: [--watch] toggles watching, as pm2's does; stop: [--watch] stops watching too",
        "  ls | list | status | l | ps   the process table [-m: one block per process] [--sort field[:desc]]",
        "  jlist | prettylist      the process list as pm2-compatible JSON (prettylist: indented)",
        "  describe|show|desc|info <target>  everything about a process",
        "  pid [name]              the pids of that app (of every app), one per line, 0 when not running",
        "  id <name>               the pm_ids of that app, as [ 0, 1 ]",
        "  env <pm_id>             the process's pm2_env, one key: value a line",
        "  sendSignal <SIG> <target>",
        "  serve|expose [path] [port]  a static file server as an app (static-page-server-<port>; default . 8080,",
        "                          127.0.0.1): [--port P] [--name n] [--spa] [--ftp] [--host h]",
        "                          [--basic-auth-username u --basic-auth-password p]; --spa: a path that names no file",
        "                          answers index.html; --ftp: a folder without index.html answers a listing",
        "  send <pm_id> <line>     write the line (and a newline) to the app's stdin",
        "  attach <pm_id> [sep]    the app's output live; each line typed goes to its stdin (then sep, default a",
        "                          newline); end of input (Ctrl-D) or Ctrl-C detaches, the app runs on",
        "  logs|log [name|id|all|jpm] [--lines N] [--raw] [--json] [--format] [--nostream] [--err] [--out]",
        "        [--timestamp [format]] [--highlight value]",
        "                          last lines of the log files, then live lines until Ctrl-C",
        "  flush [name|id|all]     empty the log files",
        "  reloadLogs              reopen every log file",
        "  events [--all]          live events, one JSON object per line",
        "  monit                   live dashboard: processes, cpu/mem, details, logs (keys: up/down r s q)",
        "  save|dump [--force]     write the app list to JPM_HOME/dump.json (your snapshot)",
        "  resurrect               start the saved apps that do not run",
        "  cleardump               empty JPM_HOME/dump.json",
        "  ecosystem|init [simple] write a sample ./ecosystem.config.js (never over an existing one)",
        "  set <section.option> <value>   change JPM_HOME/jpm.json (validated whole; applied at once)",
        "  unset <section.option>  back to the default",
        "  get [section.option]    a setting, or the whole file; conf [key] [value]: get or set",
        "  report                  versions, settings, processes and the daemon's last log lines, for a bug report",
        "  startup [systemd]       install (root) or print a systemd unit that resurrects jpm at boot",
        "        [-u user] [--hp home] [--service-name name] [--wait-ip: after network-online.target]",
        "  unstartup [systemd]     remove that unit",
        "  ping                    start the daemon if needed and check it answers",
        "  kill                    stop every app and the daemon",
        "  update|updatePM2        replace the daemon with the installed jpm: every app starts again with its pm_id, env",
        "                          and log files (stopped ones stay stopped); dump.json is not touched",
        "  deploy [ecosystem file] <env> [setup|update|revert [n]|curr|prev|list|exec <cmd>|ref <ref>] [--force]",
        "                          pm2's deploy over ssh from the file's deploy section, every host in parallel",
        "                          (no file: ./ecosystem.json, .yml, .config.js, ...; see docs/DEPLOY.md)",
        "",
        "  -s, --silent            nothing on stdout (errors still on stderr); jpm <command> --help: that command's part",
        "");
  }
}
