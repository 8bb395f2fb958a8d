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
    VERBS.put("jlist", new ListCommand(ListCommand.Form.JSON));
    VERBS.put("describe", new ListCommand(ListCommand.Form.DESCRIBE));
    VERBS.put("show", VERBS.get("describe"));
    VERBS.put("desc", VERBS.get("describe"));
    VERBS.put("sendSignal", new SignalCommand());
    VERBS.put("ping", new DaemonCommand(DaemonCommand.Kind.PING));
    VERBS.put("kill", new DaemonCommand(DaemonCommand.Kind.KILL));
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
  }

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
    Command command = VERBS.get(argv.get(0));
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

  private static String usage() {
    return String.join("\n",
        "usage: jpm <command> [options]",
        "",
        "  start <script|name|id|file.json> [--name n] [-i N|max] [--interpreter x] [--interpreter-args a]",
        "        [--cwd d] [-f] [--no-autorestart] [--max-restarts N] [--min-uptime ms] [--restart-delay ms]",
        "        [--exp-backoff-restart-delay ms] [--stop-exit-codes c,..] [--kill-timeout ms] [--kill-signal SIG]",
        "        [-o out.log] [-e err.log] [-l [both.log]] [--merge-logs] [--log-date-format fmt] [--time] [--log-type json]",
        "        [--namespace ns] [-p|--pid file] [--no-autostart] [--disable-logs] [--no-treekill] [--uid user] [--gid group]",
        "        [-o out.log] [-e err.log] [--env name] [--only a,b] [--port P [--host h] [--balance round-robin|",
        "        least-connections|http] [--listen-timeout ms]] [--instance-var V] [--increment-var V]",
        "        [--watch[=paths]] [--ignore-watch \"a b\"] [--watch-delay ms] [--max-memory-restart 300M]",
        "        [--cron-restart|--cron \"expr\"] [-- args...]",
        "  scale <name> <N|+N|-N>  run N instances (balanced apps drain those removed)",
        "  stop|restart|reload|delete|reset <id|name|all|/regex/|file.json>...",
        "        restart|reload: [--update-env] [--env name]  (else an app keeps the env it started with)",
        "        restart: [--watch] toggles watching, as pm2's does",
        "  ls | list | status      the process table",
        "  jlist                   the process list as pm2-compatible JSON",
        "  describe|show <target>  everything about a process",
        "  sendSignal <SIG> <target>",
        "  logs [name|id|all|jpm] [--lines N] [--raw] [--json] [--nostream] [--err] [--out]",
        "                          last lines of the log files, then live lines until Ctrl-C",
        "  flush [name|id|all]     empty the log files",
        "  reloadLogs              reopen every log file",
        "  events [--all]          live events, one JSON object per line",
        "  monit                   live dashboard: processes, cpu/mem, details, logs (keys: up/down r s q)",
        "  save [--force]          write the app list to JPM_HOME/dump.json",
        "  resurrect               start the saved apps that do not run",
        "  startup [systemd]       install (root) or print a systemd unit that resurrects jpm at boot",
        "  unstartup [systemd]     remove that unit",
        "  ping                    start the daemon if needed and check it answers",
        "  kill                    stop every app and the daemon",
        "");
  }
}
