package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.Render;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.ActionRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.Durations;
import io.jpm.protocol.EcosystemFileKind;
import io.jpm.protocol.ProcessSummary;
import io.jpm.protocol.TargetRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the verbs that act on named processes share ({@code stop|restart|reload|delete|reset
 * <id|name|all|/regex/|ecosystem file|->...}): the targets (from stdin for {@code -}), one request,
 * a line per process acted on, then the table, like pm2. Each verb is a subclass that names its
 * address, its flags and its watch rule.
 */
abstract class TargetActionCommand extends ParsedCommand {
    static final String TARGETS = "<id|name|all|/regex/|script|ecosystem file>...";
    static final Flag ATTACH = Flag.toggle("--attach", "attach", "then stream their logs until Ctrl-C");
    static final Flag HOST = Flag.option(
            "--host", "host", "node", "the cluster host the targets run on (name@node says the same; docs/CLUSTER.md)");
    /** pm2's --only on a verb with ecosystem files: only those apps of the files. */
    static final Flag ONLY = Flag.option("--only", "only", "a,b", "of the ecosystem files named, only these apps");

    /** The bus address the request goes to. */
    private final String address;
    /** What the line per process says was done ({@code stopped}). */
    private final String done;

    TargetActionCommand(Syntax syntax, String address, String done) {
        super(syntax);
        this.address = address;
        this.done = done;
    }

    /** What the request does to watching: pm2's --watch on restart and stop. */
    ActionRequest.Watch watch(Args args) {
        return ActionRequest.Watch.KEEP;
    }

    /** The app options the flags change (restart and reload); none for the other verbs. */
    Map<String, Object> options(Args args) throws IOException {
        return Map.of();
    }

    @Override
    int run(Args args, Session session) throws IOException {
        HostTargets onHost = HostTargets.of(
                        args.positionals.equals(List.of(StdinApps.TARGET))
                                ? StdinApps.names(System.in)
                                : onlyOfFiles(args),
                        args.get("host"))
                .resolve(session);
        if (onHost.host() != null && args.has("attach")) {
            throw CliException.usage("--attach follows this host's logs only: leave out --attach or the host");
        }
        boolean updateEnv = args.has("update_env") || args.has("env_name");
        int parallel = args.has("parallel") ? Parallel.instances(args.get("parallel")) : 0;
        // --update-env sends the client's whole environment, else only for an ecosystem file's names
        TargetRequest target = updateEnv
                ? new TargetRequest(onHost.targets(), System.getProperty("user.dir"), System.getenv())
                : TargetRequest.fromClient(onHost.targets(), System.getenv());
        ActionRequest request = new ActionRequest(
                target, updateEnv, args.get("env_name"), parallel, watch(args), listenTimeout(args), options(args));
        Json.Value acted = onHost.request(session, address, request.toMap());
        for (ProcessSummary p : Session.summaries(acted)) {
            session.out.println("[jpm] " + named(p) + " (id " + p.pmId() + ") " + done);
            if (p.escaped() != null) {
                System.err.println("[jpm] " + named(p) + " (id " + p.pmId() + "): " + p.escaped());
            }
        }
        if (onFleet(acted)) {
            printClusterTable(session);
        } else if (onHost.host() == null) {
            session.printTable(Session.names(acted));
        } else {
            session.out.print(Render.table(
                    Render.sorted(session.request(onHost.address(Addresses.QUERY_LIST), Session.TABLE_QUERY), "name")));
        }
        return args.has("attach") ? AttachLogs.follow(acted, session) : 0;
    }

    /** A process of a command's answer: {@code api}, or {@code api@web-2} for a fleet app's (docs/CLUSTER.md). */
    static String named(ProcessSummary p) {
        return p.host() == null ? p.name() : p.name() + "@" + p.host();
    }

    /** Whether a command's answer covers a fleet app: its processes say their hosts. */
    static boolean onFleet(Json.Value acted) {
        return Session.summaries(acted).stream().anyMatch(p -> p.host() != null);
    }

    /** Every host's table ({@code ls --all}), after a command on a fleet app. */
    static void printClusterTable(Session session) throws IOException {
        Json.Value all = ClusterList.request(session, Session.TABLE_QUERY);
        session.out.print(Render.table(Render.sorted(all.path("processes"), "name")));
        ClusterList.printUnreachable(all, session.out);
    }

    /**
     * The targets; with pm2's {@code --only a,b} and ecosystem files named, the apps a and b
     * instead of every app of the files (pm2 acts on those apps of the file).
     */
    static List<String> onlyOfFiles(Args args) {
        if (!args.has("only") || args.positionals.stream().noneMatch(EcosystemFileKind::isEcosystemFile)) {
            return args.positionals;
        }
        List<String> targets = new ArrayList<>();
        args.positionals.stream()
                .filter(t -> !EcosystemFileKind.isEcosystemFile(t))
                .forEach(targets::add);
        for (String name : args.get("only").split("[,\\s]+")) {
            if (!name.isEmpty() && !targets.contains(name)) {
                targets.add(name);
            }
        }
        return targets;
    }

    /** restart and reload's {@code --listen-timeout}: its form checked here, its value by the daemon. */
    private static String listenTimeout(Args args) {
        String value = args.get(AppOption.LISTEN_TIMEOUT.key);
        if (value != null && Durations.parseMillis(value) < 0) {
            throw CliException.usage(
                    "--listen-timeout expects a duration like 20000, 500ms or 20s, got '" + value + "'");
        }
        return value;
    }
}
