package io.jpm.cli.command;

import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.render.LineTime;
import io.jpm.cli.render.LogOutput;
import io.jpm.cli.render.Render;
import io.jpm.cli.render.TerminalText;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.DayjsFormat;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.LastLines;
import io.jpm.protocol.LineCutter;
import io.jpm.protocol.LogLine;
import io.jpm.protocol.ProcessView;
import io.jpm.protocol.ProcessViewPm2Env;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code jpm logs [name|namespace|id|all|/regex/|jpm] [--lines N] [--raw] [--json] [--format] [--nostream]
 * [--err] [--out] [--timestamp [format]] [--highlight value]}: pm2's output ({@link LogOutput}). The last N lines of each log file (read here, the files are local), then live
 * lines from {@code jpm.events.log} until Ctrl-C. {@code jpm logs jpm} shows the daemon's own log.
 * {@code jpm logs api@web-2} (or {@code --host web-2}): an app on another host of the cluster, its
 * last lines read there ({@link RemoteLogs}), then its live lines from {@code jpm.host.web-2.events.log}.
 *
 * <pre>
 * [TAILING] Tailing last 15 lines for [all] processes (change the value with --lines option)
 * /home/u/.jpm/logs/api-out.log last 15 lines:
 * 0|api      | listening on 8080
 *
 * 0|api  | a live line
 * </pre>
 *
 * <p>About ~300 lines: one verb with pm2's many sources of lines (files, the daemon's own log,
 * another host, the live stream) that share its options; the last lines' reading
 * ({@link LastLines}) and the printing ({@link LogOutput}) already stand alone.
 */
public final class LogsCommand extends ParsedCommand {
    static final Syntax SYNTAX = Syntax.of("logs", "log")
            .operands("[name|id|all|jpm]", 0, 1)
            .summary("the last lines of the log files, then live lines until Ctrl-C")
            .note("jpm: the daemon's own log")
            .flag(Flag.option("--lines", "lines", "N", "how many of the last lines (default 15; 0: only live lines)"))
            .flag(Flag.toggle(
                    "--raw", "raw", "the lines only, as written (escape sequences too), without the pm_id|name prefix"))
            .flag(Flag.toggle("--json", "json", "each line as a JSON object"))
            .flag(Flag.toggle("--format", "format", "each line as key=value fields"))
            .flag(Flag.toggle("--nostream", "nostream", "the last lines, then exit"))
            .flag(Flag.toggle("--err", "err", "stderr only"))
            .flag(Flag.toggle("--out", "out", "stdout only"))
            .flag(
                    Flag.option(
                            "--timestamp",
                            "timestamp",
                            "[format]",
                            "prefix each line with when it was written (a file's line: the time it carries, or -; default YYYY-MM-DD-HH:mm:ss)"))
            .flag(Flag.option(
                    "--highlight", "highlight", "[value]", "mark its first occurrence in each line (on a terminal)"))
            .flag(TargetActionCommand.HOST);

    public LogsCommand() {
        super(SYNTAX);
    }

    static final int DEFAULT_LINES = 15;
    private static final String DAEMON = "jpm";

    /** A file to tail: its label is pm2's "pm_id|name"; {@code time}: when its lines say they were written. */
    record Source(String path, String label, String type, LineTime time) {
        String name() {
            return label.contains("|") ? label.substring(label.indexOf('|') + 1) : label;
        }

        String pmId() {
            return label.contains("|") ? label.substring(0, label.indexOf('|')) : "null";
        }
    }

    @Override
    int run(Args args, Session session) throws IOException {
        HostTargets onHost = HostTargets.of(args.positionals, args.get("host")).resolve(session);
        String id = onHost.targets().isEmpty() ? "all" : onHost.targets().get(0);
        String host = onHost.host();
        int lines = DEFAULT_LINES;
        if (args.has("lines")) {
            if (!args.get("lines").matches("-?\\d{1,7}")) {
                throw CliException.usage("--lines expects a number of lines, got '" + args.get("lines") + "'");
            }
            lines = Math.abs(Integer.parseInt(args.get("lines")));
        }
        String exclusive =
                args.has("err") && !args.has("out") ? "err" : args.has("out") && !args.has("err") ? "out" : null;
        LogOutput.Shape shape = args.has("json")
                ? LogOutput.Shape.JSON
                : args.has("format")
                        ? LogOutput.Shape.FORMAT
                        : args.has("raw") ? LogOutput.Shape.RAW : LogOutput.Shape.LABELLED;
        LogOutput out = new LogOutput(
                session.out,
                shape,
                System.console() != null,
                shape != LogOutput.Shape.RAW && TerminalText.stdoutIsTerminal(),
                timestampFormat(args),
                "true".equals(args.get("highlight")) ? null : args.get("highlight"));
        if (host != null && DAEMON.equals(id)) {
            throw CliException.usage("the daemon log of " + host + " is on that host: jpm logs jpm there");
        }
        if (DAEMON.equals(id)) {
            return daemonLog(session, lines, out, !args.has("nostream"));
        }
        Integer fleet = host == null ? FleetLogs.show(session, id, exclusive, lines, out, !args.has("nostream")) : null;
        if (fleet != null) {
            return fleet;
        }
        Json.Value list = onHost.request(session, Addresses.QUERY_LIST, Map.of("env", false));
        Set<String> inNamespace = namespaceIds(list, id);
        List<Source> sources = sources(list, id, exclusive, inNamespace);
        sources.forEach(source -> out.fit(source.label));
        Consumer<Json.Value> live = live(id, exclusive, inNamespace, out, session);
        if (host != null) {
            // another host's files are read there and sent here (bounded), then its live lines relayed
            // (docs/CLUSTER.md)
            return new RemoteLogs(session, onHost, out, live).show(id, sources, lines, !args.has("nostream"));
        }
        if (out.decorated()) {
            session.out.println(out.gray("[TAILING] Tailing last " + lines + " lines for [" + id + "] process"
                    + ("all".equals(id) ? "es" : "") + " (change the value with --lines option)"));
            if ("all".equals(id) && exclusive == null) {
                tail(
                        new Source(
                                session.home.root().resolve("daemon.log").toString(),
                                DAEMON,
                                "daemon",
                                LineTime.DAEMON_LOG),
                        lines,
                        out);
            }
        }
        sources.sort(Comparator.comparingLong(s -> mtime(s.path)));
        for (Source source : sources) {
            tail(source, lines, out);
        }
        if (args.has("nostream")) {
            return 0;
        }
        session.daemon().listen(List.of(Addresses.EVENTS_LOG), live);
        return 0;
    }

    /** Prints the lines of each {@code jpm.events.log} message that the target and the stream filter match. */
    private static Consumer<Json.Value> live(
            String id, String exclusive, Set<String> inNamespace, LogOutput out, Session session) {
        Pattern regex = id.length() > 2 && id.startsWith("/") && id.endsWith("/")
                ? Pattern.compile(id.substring(1, id.length() - 1))
                : null;
        return message -> {
            for (Json.Value json : message.path("body").path("lines")) {
                LogLine line = LogLine.from(json.asMap());
                String app = line.app();
                String pmId = Integer.toString(line.pmId());
                boolean matches = "all".equals(id)
                        || id.equals(app)
                        || id.equals(pmId)
                        || inNamespace.contains(pmId)
                        || (regex != null && regex.matcher(app).find());
                if (matches && (exclusive == null || exclusive.equals(line.stream()))) {
                    out.line(pmId + "|" + app, app, pmId, line.stream(), line.line(), line.time());
                }
            }
            session.out.flush();
        };
    }

    /** --timestamp [format]: pm2's default format without one; a format that does not compile is refused. */
    private static DayjsFormat timestampFormat(Args args) {
        if (!args.has("timestamp")) {
            return null;
        }
        String format = "true".equals(args.get("timestamp")) ? LogOutput.DEFAULT_TIMESTAMP : args.get("timestamp");
        try {
            return DayjsFormat.compile(format);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--timestamp: " + e.getMessage());
        }
    }

    /** pm2: a target that is no app's name may be a namespace; the pm_ids of its processes. */
    private static Set<String> namespaceIds(Json.Value list, String id) {
        Set<String> ids = new HashSet<>();
        for (ProcessView p : Render.views(list)) {
            if (id.equals(Render.text(p.name()))) {
                return Set.of();
            }
            if (id.equals(Render.text(p.pm2Env().ecosystem().namespace()))) {
                ids.add(Render.text(p.listedId()));
            }
        }
        return ids;
    }

    static List<Source> sources(Json.Value list, String id, String exclusive, Set<String> inNamespace) {
        Pattern regex = id.length() > 2 && id.startsWith("/") && id.endsWith("/")
                ? Pattern.compile(id.substring(1, id.length() - 1))
                : null;
        List<Source> sources = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        boolean any = false;
        for (ProcessView p : Render.views(list)) {
            ProcessViewPm2Env env = p.pm2Env();
            String name = Render.text(p.name());
            String pmId = Render.text(p.listedId());
            if (!("all".equals(id)
                    || id.equals(name)
                    || id.equals(pmId)
                    || inNamespace.contains(pmId)
                    || (regex != null && regex.matcher(name).find()))) {
                continue;
            }
            any = true;
            String label = pmId + "|" + name;
            LineTime time = LineTime.of(env.logs().logDateFormat(), env.logs().logType());
            if (!"err".equals(exclusive)) {
                add(sources, seen, new Source(Render.text(env.logs().outLogPath()), label, "out", time));
            }
            if (!"out".equals(exclusive)) {
                add(sources, seen, new Source(Render.text(env.logs().errLogPath()), label, "err", time));
            }
        }
        if (!any && !"all".equals(id)) {
            throw new CliException(JpmError.UNKNOWN_TARGET, "no process matches '" + id + "' (see jpm ls)");
        }
        return sources;
    }

    private static void add(List<Source> sources, List<String> seen, Source source) {
        if (!source.path.isEmpty() && !"/dev/null".equals(source.path) && !seen.contains(source.path)) {
            seen.add(source.path);
            sources.add(source);
        }
    }

    static long mtime(String path) {
        try {
            return Files.getLastModifiedTime(Path.of(path)).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last lines of one local file, one held at a time (a huge line is cut: {@link LastLines}). */
    static void tail(Source source, int lines, LogOutput out) throws IOException {
        Path path = Path.of(source.path);
        if (lines == 0 || !Files.isRegularFile(path)) {
            return;
        }
        header(source.path, lines, out);
        boolean[] any = {false};
        LastLines.each(path, lines, line -> {
            any[0] = true;
            out.line(source.label, source.name(), source.pmId(), source.type, line, source.time.of(line));
        });
        footer(any[0], out);
    }

    /** The last lines of one file, under pm2's header ({@code where}: the file, named for the reader). */
    static void print(Source source, String where, int lines, List<String> last, LogOutput out) {
        header(where, lines, out);
        for (String line : last) {
            out.line(source.label, source.name(), source.pmId(), source.type, line, source.time.of(line));
        }
        footer(!last.isEmpty(), out);
    }

    private static void header(String where, int lines, LogOutput out) {
        if (out.decorated()) {
            out.stream.println(out.gray(where + " last " + lines + " lines:"));
        }
    }

    private static void footer(boolean any, LogOutput out) {
        if (any && out.decorated()) {
            out.stream.println();
        }
    }

    /** {@code jpm logs jpm}: the daemon's log, then what it appends (read from the file: no daemon needed). */
    private static int daemonLog(Session session, int lines, LogOutput out, boolean stream) throws IOException {
        Path path = session.home.root().resolve("daemon.log");
        Source source = new Source(path.toString(), DAEMON, "daemon", LineTime.DAEMON_LOG);
        tail(source, lines, out);
        if (!stream) {
            return 0;
        }
        long offset = Files.isRegularFile(path) ? Files.size(path) : 0;
        LineCutter appended = new LineCutter(
                LineCutter.LINE_BYTES,
                line -> out.line(source.label, source.name(), source.pmId(), source.type, line, source.time.of(line)));
        byte[] bytes = new byte[64 * 1024];
        while (true) {
            long size = Files.isRegularFile(path) ? Files.size(path) : 0;
            if (size < offset) {
                offset = 0; // the log was replaced
            }
            if (size > offset) {
                try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
                    file.seek(offset);
                    int read = file.read(bytes, 0, (int) Math.min(size - offset, bytes.length));
                    offset += Math.max(0, read);
                    appended.feed(bytes, 0, Math.max(0, read));
                }
                out.stream.flush();
            } else {
                try {
                    Thread.sleep(200); // following a file: there is no event to wait for
                } catch (InterruptedException e) {
                    return 0;
                }
            }
        }
    }
}
