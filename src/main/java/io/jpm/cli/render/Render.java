package io.jpm.cli.render;

import io.jpm.cli.CliException;
import io.jpm.cli.transport.Json;

import java.util.ArrayList;
import java.util.List;

/** Text rendering of replies, pm2's look: the process table and describe's key/value table. */
public final class Render {
  private Render() {}

  /** pm2 7's columns, in its order. */
  static final List<String> COLUMNS = List.of("id", "name", "namespace", "version", "mode", "pid", "uptime", "↺", "status",
      "cpu", "mem", "user", "watching");
  private static final String BOLD_CYAN = "\u001b[1;36m";
  private static final String GREEN = "\u001b[1;32m";
  private static final String RED = "\u001b[1;31m";
  private static final String GREY = "\u001b[90m";
  private static final String RESET = "\u001b[0m";
  private static final java.util.regex.Pattern ANSI = java.util.regex.Pattern.compile("\u001b\\[[0-9;]*m");

  /** Colour, as pm2 has, only on a terminal and unless NO_COLOR is set (no-color.org). */
  static boolean colour = System.console() != null && System.getenv("NO_COLOR") == null;

  public static String table(Json.Value processes) {
    List<List<String>> rows = new ArrayList<>();
    long now = System.currentTimeMillis();
    // the health column appears once an app has a probe: tables without one keep pm2's columns
    boolean health = false;
    for (Json.Value p : processes) {
      health |= !p.path("jpm").path("health").isNull() && p.path("jpm").has("health");
    }
    // the host column appears in a cluster-wide table (ls --all): each process then has its host
    boolean hosts = false;
    for (Json.Value p : processes) {
      hosts |= p.has("host");
    }
    for (Json.Value p : processes) {
      Json.Value env = p.path("pm2_env");
      boolean online = "online".equals(env.path("status").asText());
      String status = env.path("status").asText();
      boolean watching = watching(env);
      List<String> row = new ArrayList<>(List.of(
          paint(BOLD_CYAN, p.path("pm_id").asText()),
          p.path("name").asText(),
          p.path("namespace").asText(env.path("namespace").asText("default")),
          env.path("version").asText("N/A"),
          env.path("exec_mode").asText().replace("_mode", ""),
          p.path("pid").asInt() == 0 ? "0" : p.path("pid").asText(),
          online ? duration(now - env.path("pm_uptime").asLong()) : "0",
          env.path("restart_time").asText(),
          paint(online ? GREEN : "errored".equals(status) || "stopped".equals(status) ? RED : "", status),
          Math.round(p.path("monit").path("cpu").asDouble()) + "%",
          bytes(p.path("monit").path("memory").asLong()),
          env.path("username").asText(""),
          watching ? paint(GREEN, "enabled") : paint(GREY, "disabled")));
      if (health) {
        row.add(p.path("jpm").path("health").isNull() || !online ? "" : p.path("jpm").path("health").asText());
      }
      if (hosts) {
        row.add(2, p.path("host").asText());
      }
      rows.add(row);
    }
    List<String> columns = new ArrayList<>(COLUMNS);
    if (health) {
      columns.add("health");
    }
    if (hosts) {
      columns.add(2, "host");
    }
    return box(columns, rows) + warned(processes);
  }

  /**
   * Under the table, the apps whose options gave warnings when they were read (an option jpm does
   * not know, ...): they run, and {@code jpm describe} says what was ignored.
   */
  private static String warned(Json.Value processes) {
    java.util.Map<String, Integer> byName = new java.util.LinkedHashMap<>();
    for (Json.Value p : processes) {
      int count = 0;
      for (Json.Value ignored : p.path("jpm").path("warnings")) {
        count++;
      }
      if (count > 0) {
        byName.put(p.path("name").asText(), count);
      }
    }
    StringBuilder out = new StringBuilder();
    byName.forEach((name, count) -> out.append("[jpm] ").append(paint(RED, "!")).append(' ').append(name).append(": ")
        .append(count).append(count == 1 ? " warning" : " warnings").append(" reading its options (jpm describe ")
        .append(name).append(")\n"));
    return out.toString();
  }

  /** pm2_env.watch is true, or the paths watched as the app gave them (an array or a string). */
  static boolean watching(Json.Value env) {
    Json.Value watch = env.path("watch");
    return !watch.isNull() && !"false".equals(watch.asText()) && !watch.asText().isEmpty() || watch.iterator().hasNext();
  }

  public static String describe(Json.Value p) {
    Json.Value env = p.path("pm2_env");
    Json.Value jpm = p.path("jpm");
    List<List<String>> rows = new ArrayList<>();
    add(rows, "status", env.path("status").asText());
    add(rows, "name", p.path("name").asText());
    add(rows, "pm_id", p.path("pm_id").asText());
    add(rows, "pid", p.path("pid").asText());
    add(rows, "host", jpm.path("host").asText());
    add(rows, "exec mode", env.path("exec_mode").asText());
    add(rows, "instance id", jpm.path("instance_id").asText());
    add(rows, "restarts", env.path("restart_time").asText());
    add(rows, "unstable restarts", env.path("unstable_restarts").asText());
    add(rows, "uptime", "online".equals(env.path("status").asText()) ? duration(jpm.path("uptime_ms").asLong()) : "0");
    add(rows, "created at", java.time.Instant.ofEpochMilli(env.path("created_at").asLong()).toString());
    add(rows, "script path", env.path("pm_exec_path").asText());
    add(rows, "script args", join(env.path("args")));
    add(rows, "interpreter", env.path("exec_interpreter").asText());
    add(rows, "interpreter args", join(env.path("interpreter_args")));
    add(rows, "exec cwd", env.path("pm_cwd").asText());
    add(rows, "out log path", env.path("pm_out_log_path").asText());
    add(rows, "error log path", env.path("pm_err_log_path").asText());
    add(rows, "autorestart", env.path("autorestart").asText());
    add(rows, "max restarts", env.path("max_restarts").asText());
    add(rows, "min uptime", env.path("min_uptime").asText() + " ms");
    add(rows, "restart delay", env.path("restart_delay").asText() + " ms");
    add(rows, "exp backoff delay", env.path("exp_backoff_restart_delay").asText() + " ms");
    add(rows, "kill signal", jpm.path("kill_signal").asText());
    add(rows, "kill timeout", env.path("kill_timeout").asText() + " ms");
    if (jpm.has("listen_timeout")) {
      add(rows, "listen timeout", jpm.path("listen_timeout").asText() + " ms");
    }
    add(rows, "stop exit codes", join(env.path("stop_exit_codes")));
    add(rows, "last exit code", env.path("exit_code").isNull() ? "" : env.path("exit_code").asText());
    add(rows, "last exit signal", jpm.path("exit_signal").isNull() ? "" : jpm.path("exit_signal").asText());
    add(rows, "last event", jpm.path("last_reason").asText());
    Json.Value watchdog = jpm.path("watchdog");
    if (!jpm.path("health").isNull() && jpm.has("health")) {
      add(rows, "health", jpm.path("health").asText());
      add(rows, "health probe", probe(watchdog.path("health")));
      add(rows, "health reason", jpm.path("health_reason").isNull() ? "" : jpm.path("health_reason").asText());
    }
    add(rows, "watch & reload", watching(env) ? "✔ " + join(watchdog.path("watch_paths")) : "✘");
    if (!jpm.path("watchdog_restart").isNull()) {
      add(rows, "watchdog restart", jpm.path("watchdog_restart").asText());
    }
    if (env.path("max_memory_restart").asLong() > 0) {
      add(rows, "max memory restart", bytes(env.path("max_memory_restart").asLong()));
    }
    if (!env.path("cron_restart").isNull() && env.has("cron_restart")) {
      add(rows, "cron restart", env.path("cron_restart").asText());
    }
    if (watchdog.path("errored_retry").asLong() > 0) {
      add(rows, "errored retry", watchdog.path("errored_retry").asText() + " ms");
    }
    add(rows, "cpu", oneDecimal(p.path("monit").path("cpu").asDouble()) + "%");
    add(rows, "memory", bytes(p.path("monit").path("memory").asLong()));
    if (jpm.has("balancer")) {
      rows.addAll(BalancerRows.of(jpm.path("balancer")));
    }
    for (Json.Value warning : jpm.path("warnings")) {
      add(rows, "warning", warning.asText());
    }
    return " Describing process with id " + p.path("pm_id").asText() + " - name " + p.path("name").asText() + "\n"
        + box(null, rows);
  }

  /** "http /healthz every 5000 ms, timeout 1000 ms, unhealthy after 3". */
  private static String probe(Json.Value h) {
    String kind = h.has("http") ? "http" : h.has("tcp") ? "tcp" : "exec";
    return kind + " " + h.path(kind).asText() + " every " + h.path("interval").asText() + " ms, timeout "
        + h.path("timeout").asText() + " ms, unhealthy after " + h.path("unhealthy_after").asText();
  }

  private static void add(List<List<String>> rows, String key, String value) {
    rows.add(List.of(key, value));
  }

  private static String join(Json.Value array) {
    List<String> words = new ArrayList<>();
    for (Json.Value n : array) {
      words.add(n.asText());
    }
    return String.join(" ", words);
  }

  /** pm2's uptime words: 45s, 12m, 3h, 2D. */
  public static String duration(long ms) {
    long s = Math.max(0, ms / 1000);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m";
    }
    if (s < 86400) {
      return s / 3600 + "h";
    }
    return s / 86400 + "D";
  }

  static String bytes(long b) {
    if (b < 1024) {
      return b + "b";
    }
    if (b < 1024 * 1024) {
      return oneDecimal(b / 1024.0) + "kb";
    }
    if (b < 1024L * 1024 * 1024) {
      return oneDecimal(b / 1024.0 / 1024) + "mb";
    }
    return oneDecimal(b / 1024.0 / 1024 / 1024) + "gb";
  }

  /** "12.3": not String.format, whose Formatter costs the client milliseconds at every start. */
  static String oneDecimal(double value) {
    long tenths = Math.round(value * 10);
    return tenths / 10 + "." + Math.abs(tenths % 10);
  }

  /** A box-drawn table; {@code header} null for a key/value table without one. */
  /** pm2's {@code ls --sort field[:asc|desc]}: name, namespace, id, pid, cpu, memory, uptime or status. */
  public static Json.Value sorted(Json.Value processes, String sort) {
    String[] parts = sort.split(":", 2);
    String field = parts[0].toLowerCase(java.util.Locale.ROOT);
    boolean desc = parts.length == 2 && parts[1].equals("desc");
    if (parts.length == 2 && !parts[1].equals("asc") && !desc) {
      throw CliException.usage("--sort: the order is asc or desc, got '" + parts[1] + "'");
    }
    java.util.function.Function<Json.Value, Json.Value> key = switch (field) {
      case "name" -> p -> p.path("name");
      case "namespace" -> p -> p.path("pm2_env").path("namespace");
      case "id" -> p -> p.path("pm_id");
      case "pid" -> p -> p.path("pid");
      case "cpu" -> p -> p.path("monit").path("cpu");
      case "memory" -> p -> p.path("monit").path("memory");
      case "uptime" -> p -> p.path("pm2_env").path("pm_uptime");
      case "status" -> p -> p.path("pm2_env").path("status");
      default -> throw CliException.usage("--sort: sort by name, namespace, id, pid, cpu, memory, uptime or status, got '" + parts[0] + "'");
    };
    List<Json.Value> list = new ArrayList<>();
    for (Json.Value p : processes) {
      list.add(p);
    }
    java.util.Comparator<Json.Value> order = (a, b) -> {
      Object x = key.apply(a).raw;
      Object y = key.apply(b).raw;
      if (x instanceof Number n && y instanceof Number m) {
        return Double.compare(n.doubleValue(), m.doubleValue());
      }
      return String.valueOf(x).compareTo(String.valueOf(y));
    };
    list.sort(desc ? order.reversed() : order);
    List<Object> raw = new ArrayList<>();
    list.forEach(p -> raw.add(p.raw));
    return new Json.Value(raw);
  }

  /** pm2's {@code ls -m}: one block per process, {@code key : value} lines. */
  public static String mini(Json.Value processes) {
    StringBuilder out = new StringBuilder();
    long now = System.currentTimeMillis();
    for (Json.Value p : processes) {
      Json.Value env = p.path("pm2_env");
      boolean online = "online".equals(env.path("status").asText());
      out.append("+--- ").append(p.path("name").asText()).append('\n')
          .append("namespace : ").append(env.path("namespace").asText()).append('\n')
          .append("version : ").append(env.path("version").asText("N/A")).append('\n')
          .append("pid : ").append(p.path("pid").asText("0")).append('\n')
          .append("pm2 id : ").append(p.path("pm_id").asText()).append('\n')
          .append("status : ").append(env.path("status").asText()).append('\n')
          .append("mode : ").append(env.path("exec_mode").asText().replace("_mode", "")).append('\n')
          .append("restarted : ").append(env.path("restart_time").asText("0")).append('\n')
          .append("uptime : ").append(online ? duration(now - env.path("pm_uptime").asLong()) : "0").append('\n')
          .append("memory usage : ").append(bytes(p.path("monit").path("memory").asLong())).append('\n')
          .append("error log : ").append(env.path("pm_err_log_path").asText()).append('\n')
          .append("watching : ").append(watching(env) ? "yes" : "no").append('\n')
          .append("PID file : ").append(env.path("pm_pid_path").asText()).append("\n\n");
    }
    return out.toString();
  }

  private static String paint(String code, String text) {
    return colour && !code.isEmpty() ? code + text + RESET : text;
  }

  /** The width a cell takes on screen: its text without colour codes. */
  private static int visible(String cell) {
    return cell.indexOf('\u001b') < 0 ? cell.length() : ANSI.matcher(cell).replaceAll("").length();
  }

  static String box(List<String> header, List<List<String>> rows) {
    int columns = header != null ? header.size() : rows.isEmpty() ? 2 : rows.get(0).size();
    int[] width = new int[columns];
    List<List<String>> all = new ArrayList<>();
    if (header != null) {
      all.add(header);
    }
    all.addAll(rows);
    for (List<String> row : all) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], visible(row.get(c)));
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, width, '┌', '┬', '┐');
    if (header != null) {
      row(sb, width, header);
      line(sb, width, '├', '┼', '┤');
    }
    for (List<String> row : rows) {
      row(sb, width, row);
    }
    line(sb, width, '└', '┴', '┘');
    return sb.toString();
  }

  private static void line(StringBuilder sb, int[] width, char left, char mid, char right) {
    sb.append(left);
    for (int c = 0; c < width.length; c++) {
      sb.append("─".repeat(width[c] + 2)).append(c == width.length - 1 ? right : mid);
    }
    sb.append('\n');
  }

  private static void row(StringBuilder sb, int[] width, List<String> cells) {
    sb.append('│');
    for (int c = 0; c < width.length; c++) {
      String cell = cells.get(c);
      sb.append(' ').append(cell).append(" ".repeat(width[c] - visible(cell) + 1)).append('│');
    }
    sb.append('\n');
  }
}
