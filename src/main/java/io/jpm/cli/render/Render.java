package io.jpm.cli.render;

import io.jpm.cli.CliException;
import io.jpm.cli.transport.Json;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.Fields;
import io.jpm.protocol.OptionRow;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.ProcessView;
import io.jpm.protocol.ProcessViewJpm;
import io.jpm.protocol.ProcessViewPm2Env;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Text rendering of replies, pm2's look: the process table (and its --sort) and describe's key/value table; the boxes are drawn by {@link BoxTable}, {@code ls -m} is {@link MiniList}. */
public final class Render {
    private Render() {}

    /** pm2 7's columns, in its order. */
    static final List<String> COLUMNS = List.of(
            "id",
            "name",
            "namespace",
            "version",
            "mode",
            "pid",
            "uptime",
            "↺",
            "status",
            "cpu",
            "mem",
            "user",
            "watching");

    private static final String BOLD_CYAN = "\u001b[1;36m";
    private static final String GREEN = "\u001b[1;32m";
    private static final String RED = "\u001b[1;31m";
    private static final String GREY = "\u001b[90m";
    private static final String RESET = "\u001b[0m";

    /** Colour, as pm2 has, only on a terminal and unless NO_COLOR is set (no-color.org). */
    static boolean colour = System.console() != null && System.getenv("NO_COLOR") == null;

    /** The table with a warning mark under it for every app whose options gave warnings ({@code jpm ls}). */
    public static String table(Json.Value processes) {
        return table(processes, null);
    }

    /**
     * The table with the warning marks of these apps only: a command's table marks the apps it
     * read the options of, not every warned app under every command.
     *
     * @param marked the names whose warnings are marked; null for every app
     */
    public static String table(Json.Value processes, Collection<String> marked) {
        return table(views(processes), marked);
    }

    /** The table of rows already read ({@link #sorted}). */
    public static String table(List<ProcessView> views) {
        return table(views, null);
    }

    /** {@link #table(Json.Value, Collection)} of rows already read ({@link #sorted}). */
    public static String table(List<ProcessView> views, Collection<String> marked) {
        List<List<String>> rows = new ArrayList<>();
        long now = System.currentTimeMillis();
        // the health column appears once an app has a probe: tables without one keep pm2's columns
        boolean health = false;
        // the host column appears in a cluster-wide table (ls --all): each process then has its host
        boolean hosts = false;
        for (ProcessView p : views) {
            health |= p.jpm().health() != null;
            hosts |= p.node() != null;
        }
        for (ProcessView p : views) {
            ProcessViewPm2Env env = p.pm2Env();
            boolean online = p.online();
            String status = text(env.run().status());
            List<String> row = new ArrayList<>(List.of(
                    paint(BOLD_CYAN, text(p.listedId())),
                    text(p.name()),
                    env.ecosystem().namespace() == null
                            ? AppOption.NAMESPACE.textDefault()
                            : env.ecosystem().namespace(),
                    env.facts().version() == null ? "N/A" : env.facts().version(),
                    text(env.program().execMode()).replace("_mode", ""),
                    text(p.pid()),
                    online ? duration(now - env.run().pmUptime()) : "0",
                    text(env.run().restartTime()),
                    paint(
                            online
                                    ? GREEN
                                    : ProcessState.ERRORED.is(status) || ProcessState.STOPPED.is(status) ? RED : "",
                            status),
                    Math.round(p.cpu()) + "%",
                    bytes(p.memory()),
                    text(env.facts().username()),
                    env.watch().watching() ? paint(GREEN, "enabled") : paint(GREY, "disabled")));
            if (health) {
                row.add(p.jpm().health() == null || !online ? "" : p.jpm().health());
            }
            if (hosts) {
                row.add(2, text(p.node()));
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
        return BoxTable.box(columns, rows) + warned(views, marked);
    }

    /**
     * Under the table, the apps whose options gave warnings when they were read (an option jpm does
     * not know, ...): they run, and {@code jpm describe} says what was ignored.
     */
    private static String warned(List<ProcessView> processes, Collection<String> marked) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (ProcessView p : processes) {
            int count = p.jpm().warnings().size();
            if (count > 0 && (marked == null || marked.contains(p.name()))) {
                byName.put(text(p.name()), count);
            }
        }
        StringBuilder out = new StringBuilder();
        byName.forEach((name, count) -> out.append("[jpm] ")
                .append(paint(RED, "!"))
                .append(' ')
                .append(name)
                .append(": ")
                .append(count)
                .append(count == 1 ? " warning" : " warnings")
                .append(" reading its options (jpm describe ")
                .append(name)
                .append(")\n"));
        return out.toString();
    }

    /** The rows of a list reply, read as {@link ProcessView}s. */
    public static List<ProcessView> views(Json.Value processes) {
        List<ProcessView> views = new ArrayList<>();
        for (Json.Value p : processes) {
            views.add(ProcessView.from(p.asMap()));
        }
        return views;
    }

    /** A value as the JSON reader's text of it: "" for null, whole numbers without a fraction. */
    public static String text(Object value) {
        return new Json.Value(value).asText();
    }

    public static String describe(Json.Value row) {
        ProcessView p = ProcessView.from(row.asMap());
        ProcessViewPm2Env env = p.pm2Env();
        ProcessViewJpm jpm = p.jpm();
        List<List<String>> rows = new ArrayList<>();
        // pm2's rows under pm2's words (scripts grep them: "pid path", "node env"), N/A for none as pm2 prints it
        identityRows(rows, p);
        programRows(rows, p);
        policyRows(rows, row, env, jpm);
        watchdogRows(rows, row, env, jpm);
        add(rows, "cpu", oneDecimal(p.cpu()) + "%");
        add(rows, "memory", bytes(p.memory()));
        if (jpm.balancer() != null) {
            rows.addAll(BalancerRows.of(jpm.balancer()));
        }
        for (String warning : jpm.warnings()) {
            add(rows, "warning", warning);
        }
        // a fleet app's description comes from each member that runs it (docs/CLUSTER.md): say which
        String on = row.has("host") ? " on " + row.path("host").asText() : "";
        return " Describing process with id " + text(p.listedId()) + " - name " + text(p.name()) + on + "\n"
                + BoxTable.box(null, rows);
    }

    /** Which process this is, and how long it has run. */
    private static void identityRows(List<List<String>> rows, ProcessView p) {
        ProcessViewPm2Env env = p.pm2Env();
        ProcessViewJpm jpm = p.jpm();
        add(rows, "status", text(env.run().status()));
        add(rows, "name", text(p.name()));
        add(
                rows,
                "namespace",
                env.ecosystem().namespace() == null
                        ? AppOption.NAMESPACE.textDefault()
                        : env.ecosystem().namespace());
        add(rows, "version", orNone(env.facts().version()));
        add(rows, "pm_id", text(p.listedId()));
        add(rows, "pid", text(p.pid()));
        add(rows, "host", text(jpm.host()));
        add(rows, "exec mode", text(env.program().execMode()));
        add(rows, "node.js version", orNone(env.facts().nodeVersion()));
        add(rows, "node env", orNone(env.env().get("NODE_ENV")));
        add(rows, "instance id", text(jpm.instanceId()));
        add(rows, "restarts", text(env.run().restartTime()));
        add(rows, "unstable restarts", text(env.run().unstableRestarts()));
        add(rows, "uptime", p.online() ? duration(jpm.uptimeMs()) : "0");
        add(rows, "created at", Instant.ofEpochMilli(env.run().createdAt()).toString());
    }

    /** What it runs, where, and where its output goes. */
    private static void programRows(List<List<String>> rows, ProcessView p) {
        ProcessViewPm2Env env = p.pm2Env();
        add(rows, "script path", text(env.program().execPath()));
        add(rows, "script args", orNone(String.join(" ", env.program().args())));
        add(rows, "interpreter", text(env.program().interpreter()));
        add(rows, "interpreter args", orNone(String.join(" ", env.program().interpreterArgs())));
        add(rows, "script id", text(p.listedId()));
        add(rows, "exec cwd", text(env.program().cwd()));
        add(rows, "out log path", text(env.logs().outLogPath()));
        add(rows, "error log path", text(env.logs().errLogPath()));
        if (env.logs().logPath() != null) {
            add(rows, "entire log path", env.logs().logPath());
        }
        add(rows, "pid path", orNone(env.ecosystem().pidPath()));
    }

    /** How it is restarted and stopped, and how its last run ended. */
    private static void policyRows(List<List<String>> rows, Json.Value row, ProcessViewPm2Env env, ProcessViewJpm jpm) {
        OptionRows.add(rows, row, OptionRow.Group.RESTART);
        add(rows, "kill signal", text(jpm.killSignal()));
        OptionRows.add(rows, row, OptionRow.Group.STOP);
        List<String> codes = new ArrayList<>();
        for (Integer code : env.policy().stopExitCodes()) {
            codes.add(text(code));
        }
        add(rows, "stop exit codes", String.join(" ", codes));
        add(rows, "last exit code", text(env.run().exitCode()));
        add(rows, "last exit signal", text(jpm.exitSignal()));
        add(rows, "last event", text(jpm.lastReason()));
    }

    /** What watches it: health probe, file watch, memory, cron, errored retry (only those set). */
    private static void watchdogRows(
            List<List<String>> rows, Json.Value row, ProcessViewPm2Env env, ProcessViewJpm jpm) {
        if (jpm.health() != null) {
            add(rows, "health", jpm.health());
            add(rows, "health probe", probe(jpm.healthProbe()));
            add(rows, "health reason", text(jpm.healthReason()));
        }
        add(rows, "watch & reload", env.watch().watching() ? "✔ " + String.join(" ", jpm.watchPaths()) : "✘");
        if (jpm.watchdogRestart() != null) {
            add(rows, "watchdog restart", jpm.watchdogRestart());
        }
        OptionRows.add(rows, row, OptionRow.Group.WATCHDOG);
        if (jpm.erroredRetryMs() > 0) {
            add(rows, "errored retry", jpm.erroredRetryMs() + " ms");
        }
    }

    /** "http /healthz every 5000 ms, timeout 1000 ms, unhealthy after 3". */
    private static String probe(Fields h) {
        String kind = h.asMap().containsKey("http") ? "http" : h.asMap().containsKey("tcp") ? "tcp" : "exec";
        return kind + " " + text(h.get(kind)) + " every " + text(h.get("interval")) + " ms, timeout "
                + text(h.get("timeout")) + " ms, unhealthy after " + text(h.get("unhealthy_after"));
    }

    private static void add(List<List<String>> rows, String key, String value) {
        rows.add(List.of(key, value));
    }

    /** A value, or pm2's "N/A" for none (null or empty). */
    private static String orNone(Object value) {
        String text = text(value);
        return text.isEmpty() ? "N/A" : text;
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

    /**
     * pm2's {@code ls --sort field[:asc|desc]}: name, namespace, id, pid, cpu, memory, uptime or status.
     * The rows come back read, as {@link #table} takes them: each row is read once ({@link
     * ProcessView#from} writes pm2_env back whole to find what it does not know).
     */
    public static List<ProcessView> sorted(Json.Value processes, String sort) {
        String[] parts = sort.split(":", 2);
        String field = parts[0].toLowerCase(Locale.ROOT);
        boolean desc = parts.length == 2 && parts[1].equals("desc");
        if (parts.length == 2 && !parts[1].equals("asc") && !desc) {
            throw CliException.usage("--sort: the order is asc or desc, got '" + parts[1] + "'");
        }
        Function<ProcessView, Object> key =
                switch (field) {
                    case "name" -> ProcessView::name;
                    case "namespace" -> p -> p.pm2Env().ecosystem().namespace();
                    case "id" -> ProcessView::listedId;
                    case "pid" -> ProcessView::pid;
                    case "cpu" -> ProcessView::cpu;
                    case "memory" -> ProcessView::memory;
                    case "uptime" -> p -> p.pm2Env().run().pmUptime();
                    case "status" -> p -> p.pm2Env().run().status();
                    default -> throw CliException.usage(
                            "--sort: sort by name, namespace, id, pid, cpu, memory, uptime or status, got '" + parts[0]
                                    + "'");
                };
        List<ProcessView> views = views(processes);
        Comparator<ProcessView> order = (a, b) -> {
            Object x = key.apply(a);
            Object y = key.apply(b);
            if (x instanceof Number n && y instanceof Number m) {
                return Double.compare(n.doubleValue(), m.doubleValue());
            }
            return String.valueOf(x).compareTo(String.valueOf(y));
        };
        views.sort(desc ? order.reversed() : order);
        return views;
    }

    private static String paint(String code, String text) {
        return colour && !code.isEmpty() ? code + text + RESET : text;
    }
}
