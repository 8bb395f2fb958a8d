package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.Render;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.EcosystemFileKind;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.ProcessView;
import io.jpm.protocol.StartRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code jpm start [script|name|id|ecosystem file|-]... [options] [-- args...]}: pm2's flags, turned
 * into pm2's ecosystem option names ({@link StartOptions}). With no argument it starts pm2's
 * default file, {@code ecosystem.config.js}; {@code -} reads the apps as JSON on stdin. Several
 * targets start one after the other, each with the same flags, as pm2's do; the first that fails
 * ends the command.
 */
public final class StartCommand extends ParsedCommand {
    static final Syntax SYNTAX = Syntax.of("start")
            .operands("[script|name|id|ecosystem file|-]...", 0, Syntax.MANY)
            .summary("start a script, a stopped app, or an ecosystem file's apps")
            .note("after --: the script's own arguments (jpm start app.py -- --port 8000)")
            .note(
                    "no argument: ./ecosystem.config.js. Ecosystem files: .json, .yml/.yaml, .config.js/.cjs/.mjs (run by node)")
            .note("--watch takes the word after it as a path to watch, as pm2's does: name the script before it")
            .note(
                    "several: each starts in turn with the same options (jpm start a.js b.js); the first that fails ends it")
            .note(
                    "a name or id that exists starts (or restarts) that app, its options changed by the ones given, as pm2's")
            .note(
                    "-: the apps as JSON on stdin ({\"apps\":[...]}, an array or one app); also for stop, restart, delete")
            .note(
                    "--no-daemon: run the daemon in the foreground (stream the logs, stop everything on Ctrl-C), see bin/jpm-runtime")
            .flags(StartFlags.TABLE);

    public StartCommand() {
        super(SYNTAX);
    }

    @Override
    public int run(List<String> words, Session session) throws IOException {
        return run(StartRequests.parse(SYNTAX, words), session);
    }

    @Override
    int run(Args args, Session session) throws IOException {
        List<String> targets = targets(args);
        if (targets.size() > 1 && targets.contains(StdinApps.TARGET)) {
            throw CliException.usage("- reads the apps from stdin: name no other target with it");
        }
        TraceSetup.prepare(args, targets, session);
        if (StdinApps.TARGET.equals(targets.get(0))) {
            return startFromStdin(StartRequests.request(args, StdinApps.TARGET, StartRequest.RESTART), args, session);
        }
        HostTargets onHost = targets.size() == 1 ? remoteName(args, session) : null;
        if (onHost != null) {
            return startOnHost(onHost, args, session);
        }
        List<Json.Value> started = new ArrayList<>();
        boolean launched = true;
        for (String target : targets) {
            StartRequest request = StartRequests.request(args, target, StartRequest.RESTART);
            if (args.has("write")) {
                writeConfig(request, session);
            }
            Json.Value one = session.request(Addresses.CMD_START, request.toMap());
            boolean all = StartRequests.printStarted(one, session);
            if (all) {
                HotReloadNote.print(target, session);
            }
            launched &= all;
            started.add(one);
        }
        if (args.has("mini_list")) {
            new LsCommand().run(List.of("-m"), session);
        } else {
            Set<String> names = new LinkedHashSet<>();
            started.forEach(one -> names.addAll(Session.names(one)));
            session.printTable(names);
        }
        if (!launched) {
            return StartRequests.exitStatus(false); // the apps that did launch run on; no attach to a partial start
        }
        return args.has("attach") ? AttachLogs.follow(started, session) : 0;
    }

    /** The start request these words ask for (jpm-runtime sends it to the daemon it runs). */
    public StartRequest request(List<String> words) throws IOException {
        Args args = StartRequests.parse(SYNTAX, words);
        if (args.positionals.size() > 1) {
            throw CliException.usage("start one script or ecosystem file here, got " + args.positionals.size());
        }
        return StartRequests.request(args, target(args), StartRequest.RESTART);
    }

    /** The targets in the order given; none is pm2's default file. */
    private static List<String> targets(Args args) {
        if (args.positionals.isEmpty()) {
            watchTookTheScript(args);
            return List.of(EcosystemFileKind.DEFAULT_FILE);
        }
        return args.positionals;
    }

    /**
     * {@code jpm start --watch app.js} with no ecosystem.config.js here: the word after --watch is
     * the path it watches (pm2's reading too, which then looks for ecosystem.config.js), so no
     * script is left; said as such rather than as a missing file.
     */
    private static void watchTookTheScript(Args args) {
        String watched = args.get("watch");
        if (watched != null && !watched.equals("true") && !Files.exists(Path.of(EcosystemFileKind.DEFAULT_FILE))) {
            throw CliException.usage("no script to start: --watch took '" + watched
                    + "' as the path it watches; name the script first (jpm start " + watched + " --watch)");
        }
    }

    /**
     * {@code jpm start api@web-2}: a name (not a file here) with a cluster member's node after its
     * last {@code @}, on a clustered daemon; null for anything else. ({@code --host} is the balancer's
     * address for start, as in pm2: only {@code name@node} names a host here.)
     */
    private static HostTargets remoteName(Args args, Session session) throws IOException {
        String target = target(args);
        if (args.positionals.isEmpty() || Files.exists(Path.of(target)) || EcosystemFileKind.isEcosystemFile(target)) {
            return null;
        }
        HostTargets onHost = HostTargets.of(List.of(target), null);
        return onHost.host() == null ? null : onHost.resolve(session).host() == null ? null : onHost;
    }

    /**
     * Starts (or restarts, pm2's rule for a known name) an app the host already knows: the script,
     * its folder and its options are that host's, so none is sent from here, nor this shell's env.
     */
    private static int startOnHost(HostTargets onHost, Args args, Session session) throws IOException {
        String name = onHost.targets().get(0);
        if (!args.passthrough.isEmpty() || args.optionCount() > 0) {
            throw CliException.usage("start " + name + "@" + onHost.host() + " starts an app that host already knows:"
                    + " options and arguments are that app's own there (leave them out)");
        }
        boolean known = false;
        for (ProcessView p : Render.views(onHost.request(session, Addresses.QUERY_LIST, Session.TABLE_QUERY))) {
            known |= name.equals(p.name());
        }
        if (!known) {
            throw new CliException(
                    JpmError.UNKNOWN_TARGET,
                    "no app named '" + name + "' on " + onHost.host()
                            + ": start a new app on that host itself (its script is there)");
        }
        StartRequest request = StartRequest.builder()
                .apps(List.of(Map.of("script", name)))
                .cwd("/")
                .build();
        boolean launched =
                StartRequests.printStarted(onHost.request(session, Addresses.CMD_START, request.toMap()), session);
        session.out.print(Render.table(
                Render.sorted(onHost.request(session, Addresses.QUERY_LIST, Session.TABLE_QUERY), "name")));
        return StartRequests.exitStatus(launched);
    }

    private static String target(Args args) {
        return args.positionals.isEmpty() ? EcosystemFileKind.DEFAULT_FILE : args.positionals.get(0);
    }

    /**
     * pm2's {@code -w/--write}: the app's options go to {@code <name>-pm2.json} in the current folder
     * (a temp file, then renamed), a file {@code jpm start} (and pm2) can start again.
     */
    @SuppressWarnings("unchecked")
    private static void writeConfig(StartRequest request, Session session) throws IOException {
        List<Object> apps = request.apps();
        if (apps.isEmpty()) {
            throw CliException.usage(
                    "--write writes the options of a script started from the command line, not of an ecosystem file");
        }
        Map<String, Object> app = (Map<String, Object>) apps.get(0);
        Object script = app.get("script");
        String name = app.containsKey("name")
                ? String.valueOf(app.get("name"))
                : Path.of(String.valueOf(script)).getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Path target = Path.of(System.getProperty("user.dir")).resolve(name + "-pm2.json");
        Path temp = Files.createTempFile(target.getParent(), "." + name, ".tmp");
        Files.writeString(temp, Json.pretty(app) + "\n");
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        session.out.println("[jpm] Writing configuration to " + target);
    }

    /** pm2's {@code start -}: each app of the JSON on stdin is started as if named on the command line. */
    private int startFromStdin(StartRequest request, Args args, Session session) throws IOException {
        if (!args.passthrough.isEmpty()) {
            throw CliException.usage("arguments after -- go with a script, not with apps read from stdin");
        }
        List<Map<String, Object>> apps = StdinApps.read(System.in);
        boolean launched = true;
        for (Map<String, Object> app : apps) {
            launched &= StartRequests.printStarted(
                    session.request(
                            Addresses.CMD_START, request.withApps(List.of(app)).toMap()),
                    session);
        }
        session.printTable();
        return StartRequests.exitStatus(launched);
    }
}
