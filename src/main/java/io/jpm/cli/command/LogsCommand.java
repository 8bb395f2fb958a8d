package io.jpm.cli.command;

import io.jpm.cli.Flag;
import io.jpm.cli.Syntax;
import io.jpm.cli.Args;
import io.jpm.cli.CliException;
import io.jpm.cli.render.LogOutput;
import io.jpm.cli.transport.Json;
import io.jpm.cli.transport.Session;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.LogLine;
import io.jpm.protocol.JpmError;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code jpm logs [name|namespace|id|all|/regex/|jpm] [--lines N] [--raw] [--json] [--format] [--nostream]
 * [--err] [--out] [--timestamp [format]] [--highlight value]}: pm2's output ({@link LogOutput}). The last N lines of each log file (read here, the files are local), then live
 * lines from {@code jpm.events.log} until Ctrl-C. {@code jpm logs jpm} shows the daemon's own log.
 * {@code jpm logs api@web-2} (or {@code --host web-2}): the live lines of an app on another host of
 * the cluster, from {@code jpm.host.web-2.events.log} (its files stay there).
 *
 * <pre>
 * [TAILING] Tailing last 15 lines for [all] processes (change the value with --lines option)
 * /home/u/.jpm/logs/api-out.log last 15 lines:
 * 0|api      | listening on 8080
 *
 * 0|api  | a live line
 * </pre>
 */
public final class LogsCommand extends ParsedCommand {
  static final Syntax SYNTAX = Syntax.of("logs", "log").operands("[name|id|all|jpm]", 0, 1)
      .summary("the last lines of the log files, then live lines until Ctrl-C")
      .note("jpm: the daemon's own log")
      .flag(Flag.option("--lines", "lines", "N", "how many of the last lines (default 15; 0: only live lines)"))
      .flag(Flag.toggle("--raw", "raw", "the lines only, without the pm_id|name prefix"))
      .flag(Flag.toggle("--json", "json", "each line as a JSON object"))
      .flag(Flag.toggle("--format", "format", "each line as key=value fields"))
      .flag(Flag.toggle("--nostream", "nostream", "the last lines, then exit"))
      .flag(Flag.toggle("--err", "err", "stderr only"))
      .flag(Flag.toggle("--out", "out", "stdout only"))
      .flag(Flag.option("--timestamp", "timestamp", "[format]", "prefix each line with the time (default format YYYY-MM-DD-HH:mm:ss)"))
      .flag(Flag.option("--highlight", "highlight", "[value]", "mark its first occurrence in each line (on a terminal)"))
      .flag(TargetActionCommand.HOST);

  public LogsCommand() {
    super(SYNTAX);
  }

  static final int DEFAULT_LINES = 15;
  private static final String DAEMON = "jpm";

  /** A file to tail: its label is pm2's "pm_id|name". */
  private record Source(String path, String label, String type) {
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
    String exclusive = args.has("err") && !args.has("out") ? "err" : args.has("out") && !args.has("err") ? "out" : null;
    LogOutput.Shape shape = args.has("json") ? LogOutput.Shape.JSON : args.has("format") ? LogOutput.Shape.FORMAT
        : args.has("raw") ? LogOutput.Shape.RAW : LogOutput.Shape.LABELLED;
    LogOutput out = new LogOutput(session.out, shape, System.console() != null, timestampFormat(args),
        "true".equals(args.get("highlight")) ? null : args.get("highlight"));
    if (host != null && (DAEMON.equals(id) || args.has("nostream"))) {
      throw CliException.usage("the log files of " + host + " are on that host: jpm logs there"
          + (DAEMON.equals(id) ? "" : ", or leave out --nostream for its live lines"));
    }
    if (DAEMON.equals(id)) {
      return daemonLog(session, lines, out, !args.has("nostream"));
    }
    Json.Value list = onHost.request(session, Addresses.QUERY_LIST, Map.of("env", false));
    java.util.Set<String> inNamespace = namespaceIds(list, id);
    List<Source> sources = sources(list, id, exclusive, inNamespace);
    sources.forEach(source -> out.fit(source.label));
    if (host != null) {
      // another host's files are read there: its live lines only, relayed by the cluster (docs/CLUSTER.md)
      if (out.decorated()) {
        session.out.println(out.gray("[TAILING] Live lines of [" + id + "] on " + host + " (its log files are on that host)"));
      }
      sources.clear();
    } else if (out.decorated()) {
      session.out.println(out.gray("[TAILING] Tailing last " + lines + " lines for [" + id + "] process"
          + ("all".equals(id) ? "es" : "") + " (change the value with --lines option)"));
      if ("all".equals(id) && exclusive == null) {
        tail(new Source(session.home.root().resolve("daemon.log").toString(), DAEMON, "daemon"), lines, out);
      }
    }
    sources.sort(Comparator.comparingLong(s -> mtime(s.path)));
    for (Source source : sources) {
      tail(source, lines, out);
    }
    if (args.has("nostream")) {
      return 0;
    }
    Pattern regex = id.length() > 2 && id.startsWith("/") && id.endsWith("/") ? Pattern.compile(id.substring(1, id.length() - 1)) : null;
    String address = host == null ? Addresses.EVENTS_LOG : Addresses.onHost(host, Addresses.EVENTS_LOG);
    session.daemon().listen(List.of(address), message -> {
      for (Json.Value json : message.path("body").path("lines")) {
        LogLine line = LogLine.from(json.asMap());
        String app = line.app();
        String pmId = Integer.toString(line.pmId());
        boolean matches = "all".equals(id) || id.equals(app) || id.equals(pmId) || inNamespace.contains(pmId)
            || (regex != null && regex.matcher(app).find());
        if (matches && (exclusive == null || exclusive.equals(line.stream()))) {
          out.line(pmId + "|" + app, app, pmId, line.stream(), line.line(), line.time());
        }
      }
      session.out.flush();
    });
    return 0;
  }

  /** --timestamp [format]: pm2's default format without one; a format that does not compile is refused. */
  private static io.jpm.protocol.DayjsFormat timestampFormat(Args args) {
    if (!args.has("timestamp")) {
      return null;
    }
    String format = "true".equals(args.get("timestamp")) ? LogOutput.DEFAULT_TIMESTAMP : args.get("timestamp");
    try {
      return io.jpm.protocol.DayjsFormat.compile(format);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--timestamp: " + e.getMessage());
    }
  }

  /** pm2: a target that is no app's name may be a namespace; the pm_ids of its processes. */
  private static java.util.Set<String> namespaceIds(Json.Value list, String id) {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Json.Value p : list) {
      if (id.equals(p.path("name").asText())) {
        return java.util.Set.of();
      }
      if (id.equals(p.path("pm2_env").path("namespace").asText())) {
        ids.add(p.path("pm_id").asText());
      }
    }
    return ids;
  }

  private static List<Source> sources(Json.Value list, String id, String exclusive, java.util.Set<String> inNamespace) {
    Pattern regex = id.length() > 2 && id.startsWith("/") && id.endsWith("/") ? Pattern.compile(id.substring(1, id.length() - 1)) : null;
    List<Source> sources = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    boolean any = false;
    for (Json.Value p : list) {
      Json.Value env = p.path("pm2_env");
      String name = p.path("name").asText();
      String pmId = p.path("pm_id").asText();
      if (!("all".equals(id) || id.equals(name) || id.equals(pmId) || inNamespace.contains(pmId)
          || (regex != null && regex.matcher(name).find()))) {
        continue;
      }
      any = true;
      String label = pmId + "|" + name;
      if (!"err".equals(exclusive)) {
        add(sources, seen, new Source(env.path("pm_out_log_path").asText(), label, "out"));
      }
      if (!"out".equals(exclusive)) {
        add(sources, seen, new Source(env.path("pm_err_log_path").asText(), label, "err"));
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

  private static long mtime(String path) {
    try {
      return Files.getLastModifiedTime(Path.of(path)).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static void tail(Source source, int lines, LogOutput out) throws IOException {
    Path path = Path.of(source.path);
    if (lines == 0 || !Files.isRegularFile(path)) {
      return;
    }
    List<String> last = lastLines(path, lines);
    if (out.decorated()) {
      out.stream.println(out.gray(source.path + " last " + lines + " lines:"));
    }
    for (String line : last) {
      out.line(source.label, source.name(), source.pmId(), source.type, line, null);
    }
    if (!last.isEmpty() && out.decorated()) {
      out.stream.println();
    }
  }

  /** The last {@code n} lines of a file, read backwards in blocks (a huge file is not read whole). */
  static List<String> lastLines(Path path, int n) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
      long end = file.length();
      long start = end;
      int newlines = 0;
      byte[] block = new byte[64 * 1024];
      // a final newline ends the last line; it does not start an empty one
      long limit = end > 0 && readByte(file, end - 1) == '\n' ? end - 1 : end;
      while (start > 0 && newlines < n && end - start < 64L * 1024 * 1024) {
        int size = (int) Math.min(block.length, start);
        start -= size;
        file.seek(start);
        file.readFully(block, 0, size);
        for (int i = size - 1; i >= 0; i--) {
          if (start + i < limit && block[i] == '\n' && ++newlines == n) {
            start = start + i + 1;
            break;
          }
        }
      }
      byte[] bytes = new byte[(int) (limit - start)];
      file.seek(start);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      return text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
    }
  }

  private static int readByte(RandomAccessFile file, long at) throws IOException {
    file.seek(at);
    return file.read();
  }

  /** {@code jpm logs jpm}: the daemon's log, then what it appends (read from the file: no daemon needed). */
  private static int daemonLog(Session session, int lines, LogOutput out, boolean stream) throws IOException {
    Path path = session.home.root().resolve("daemon.log");
    Source source = new Source(path.toString(), DAEMON, "daemon");
    tail(source, lines, out);
    if (!stream) {
      return 0;
    }
    long offset = Files.isRegularFile(path) ? Files.size(path) : 0;
    StringBuilder partial = new StringBuilder();
    while (true) {
      long size = Files.isRegularFile(path) ? Files.size(path) : 0;
      if (size < offset) {
        offset = 0; // the log was replaced
      }
      if (size > offset) {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
          byte[] bytes = new byte[(int) Math.min(size - offset, 1 << 20)];
          file.seek(offset);
          file.readFully(bytes);
          offset += bytes.length;
          partial.append(new String(bytes, StandardCharsets.UTF_8));
        }
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
          out.line(source.label, source.name(), source.pmId(), source.type, partial.substring(0, nl), null);
          partial.delete(0, nl + 1);
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
