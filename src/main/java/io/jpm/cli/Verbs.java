package io.jpm.cli;

import io.jpm.cli.command.AttachCommand;
import io.jpm.cli.command.ClearDumpCommand;
import io.jpm.cli.command.ClusterCommand;
import io.jpm.cli.command.CompletionCommand;
import io.jpm.cli.command.ConfCommand;
import io.jpm.cli.command.DeleteCommand;
import io.jpm.cli.command.DeployCommand;
import io.jpm.cli.command.DescribeCommand;
import io.jpm.cli.command.EcosystemCommand;
import io.jpm.cli.command.EnvCommand;
import io.jpm.cli.command.EventsCommand;
import io.jpm.cli.command.FileStartCommand;
import io.jpm.cli.command.FlushCommand;
import io.jpm.cli.command.GetCommand;
import io.jpm.cli.command.IdCommand;
import io.jpm.cli.command.InstallCommand;
import io.jpm.cli.command.JlistCommand;
import io.jpm.cli.command.KillCommand;
import io.jpm.cli.command.LogsCommand;
import io.jpm.cli.command.LsCommand;
import io.jpm.cli.command.MonitCommand;
import io.jpm.cli.command.MonitorCommand;
import io.jpm.cli.command.MultisetCommand;
import io.jpm.cli.command.OtelCommand;
import io.jpm.cli.command.PidCommand;
import io.jpm.cli.command.PingCommand;
import io.jpm.cli.command.PrettylistCommand;
import io.jpm.cli.command.ReloadCommand;
import io.jpm.cli.command.ReloadLogsCommand;
import io.jpm.cli.command.ReportCommand;
import io.jpm.cli.command.ResetCommand;
import io.jpm.cli.command.RestartCommand;
import io.jpm.cli.command.ResurrectCommand;
import io.jpm.cli.command.SaveCommand;
import io.jpm.cli.command.ScaleCommand;
import io.jpm.cli.command.SendCommand;
import io.jpm.cli.command.ServeCommand;
import io.jpm.cli.command.SetCommand;
import io.jpm.cli.command.SignalCommand;
import io.jpm.cli.command.StartCommand;
import io.jpm.cli.command.StartupCommand;
import io.jpm.cli.command.StopCommand;
import io.jpm.cli.command.TriggerCommand;
import io.jpm.cli.command.UnsetCommand;
import io.jpm.cli.command.UnstartupCommand;
import io.jpm.cli.command.UpdateCommand;
import io.jpm.cli.command.WebCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every verb the CLI knows, by each of its names, in the order {@code jpm --help} lists them, and
 * the pm2 verbs jpm leaves out on purpose. A command's names come from its {@link Syntax}, so the
 * table and the help cannot disagree.
 */
final class Verbs {
    /** The primary names, in the order {@code jpm --help} lists them. */
    private static final List<String> HELP_ORDER = List.of(
            "start",
            "startOrRestart",
            "startOrReload",
            "startOrGracefulReload",
            "stop",
            "restart",
            "reload",
            "delete",
            "reset",
            "monitor",
            "unmonitor",
            "scale",
            "ls",
            "jlist",
            "prettylist",
            "describe",
            "pid",
            "id",
            "env",
            "sendSignal",
            "serve",
            "send",
            "trigger",
            "attach",
            "logs",
            "flush",
            "reloadLogs",
            "events",
            "monit",
            "web",
            "save",
            "resurrect",
            "cleardump",
            "ecosystem",
            "set",
            "unset",
            "multiset",
            "get",
            "conf",
            "install",
            "install-otel",
            "uninstall-otel",
            "report",
            "startup",
            "unstartup",
            "cluster",
            "ping",
            "kill",
            "update",
            "deploy",
            "completion");

    private Verbs() {}

    /**
     * The command a name (or alias) runs, null for none. A switch rather than a map of every command:
     * a verb loads only its own classes, which keeps {@code jpm ls} as fast as before the table
     * existed (19 classes fewer, ~1 ms). {@code VerbsTest} checks the names against each syntax.
     */
    static Command named(String name) {
        return switch (name) {
            case "start" -> new StartCommand();
            case "startOrRestart" -> FileStartCommand.startOrRestart();
            case "startOrReload" -> FileStartCommand.startOrReload();
            case "startOrGracefulReload" -> FileStartCommand.startOrGracefulReload();
            case "stop" -> new StopCommand();
            case "restart" -> new RestartCommand();
            case "reload" -> new ReloadCommand();
            case "delete", "del" -> new DeleteCommand();
            case "reset" -> new ResetCommand();
            case "monitor" -> MonitorCommand.monitor();
            case "unmonitor" -> MonitorCommand.unmonitor();
            case "scale" -> new ScaleCommand();
            case "ls", "list", "status", "l", "ps" -> new LsCommand();
            case "jlist" -> new JlistCommand();
            case "prettylist" -> new PrettylistCommand();
            case "describe", "show", "desc", "info" -> new DescribeCommand();
            case "pid" -> new PidCommand();
            case "id" -> new IdCommand();
            case "env" -> new EnvCommand();
            case "sendSignal" -> new SignalCommand();
            case "serve", "expose" -> new ServeCommand();
            case "send" -> new SendCommand();
            case "trigger" -> new TriggerCommand();
            case "attach" -> new AttachCommand();
            case "logs", "log" -> new LogsCommand();
            case "flush" -> new FlushCommand();
            case "reloadLogs" -> new ReloadLogsCommand();
            case "events" -> new EventsCommand();
            case "monit" -> new MonitCommand();
            case "web" -> new WebCommand();
            case "save", "dump" -> new SaveCommand();
            case "resurrect" -> new ResurrectCommand();
            case "cleardump" -> new ClearDumpCommand();
            case "ecosystem", "init" -> new EcosystemCommand();
            case "set" -> new SetCommand();
            case "unset" -> new UnsetCommand();
            case "get" -> new GetCommand();
            case "multiset" -> new MultisetCommand();
            case "conf", "config" -> new ConfCommand();
            case "install", "module:install" -> new InstallCommand();
            case "install-otel" -> OtelCommand.install();
            case "uninstall-otel" -> OtelCommand.uninstall();
            case "report" -> new ReportCommand();
            case "startup" -> new StartupCommand();
            case "unstartup" -> new UnstartupCommand();
            case "cluster" -> new ClusterCommand();
            case "ping" -> new PingCommand();
            case "kill" -> new KillCommand();
            case "update", "updatePM2" -> new UpdateCommand();
            case "deploy" -> new DeployCommand();
            case "completion" -> new CompletionCommand();
            default -> null;
        };
    }

    /** Each command once, in help order. */
    static List<Command> all() {
        List<Command> all = new ArrayList<>();
        for (String name : HELP_ORDER) {
            all.add(named(name));
        }
        return all;
    }

    /** Every name, aliases included, as the commands' syntax declares them. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Command command : all()) {
            names.addAll(command.syntax().names());
        }
        return names;
    }

    /**
     * pm2 verbs jpm leaves out on purpose, each with what to use instead: one line and exit 1, not
     * "unknown command", so a pm2 user learns where the feature went.
     */
    static final Map<String, String> LEFT_OUT = new HashMap<>();

    static {
        String hosted =
                "pm2's hosted service (pm2.io) has no counterpart in jpm: jpm monit, jpm events and jpm jlist show live state";
        for (String verb : List.of("link", "unlink", "plus", "login", "logout", "open", "register")) {
            LEFT_OUT.put(verb, hosted);
        }
        String modules = InstallCommand.NO_MODULES;
        // install is a command of its own: it takes pm2-logrotate (jpm rotates logs itself)
        for (String verb : List.of("uninstall", "module:update", "module:generate", "publish", "package")) {
            LEFT_OUT.put(verb, modules);
        }
        String profiling =
                "profiling a Node app is node's job: start it with --interpreter-args \"--cpu-prof\" or \"--inspect\"";
        for (String verb : List.of("profile:mem", "profile:cpu", "inspect")) {
            LEFT_OUT.put(verb, profiling);
        }
        LEFT_OUT.put(
                "logrotate",
                "jpm rotates logs itself: see the max_size, retain and compress options in docs/CONFIG.md");
        LEFT_OUT.put("dashboard", "use jpm monit");
        LEFT_OUT.put("imonit", "use jpm monit");
        LEFT_OUT.put("slist", "use jpm jlist or jpm describe");
        LEFT_OUT.put("sysinfos", "use jpm jlist or jpm describe");
        LEFT_OUT.put("deepUpdate", "jpm does not install itself: install the new jpm, then jpm update");
        for (String verb : List.of("pull", "forward", "backward")) {
            LEFT_OUT.put(
                    verb, "jpm does not move apps between git commits: check out the commit, then jpm reload <name>");
        }
    }
}
