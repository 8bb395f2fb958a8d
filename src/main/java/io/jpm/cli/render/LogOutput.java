package io.jpm.cli.render;

import io.jpm.cli.transport.Json;
import io.jpm.protocol.DayjsFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Prints log lines in pm2's shapes: a padded {@code "pm_id|name | "} label (coloured on a
 * terminal), {@code --raw}, {@code --json} (one object a line, the same fields for lines read from
 * the files and live ones) or {@code --format}'s {@code key=value} line. {@code --timestamp [format]}
 * puts a dayjs-formatted time before each line: the time the daemon captured a live line, the time a
 * file's line carries ({@link LineTime}), or {@code -} where it carries none; never the time it was
 * read (pm2 7 stamps only live lines; docs/COMPAT.md). {@code --highlight value} marks its first occurrence on
 * a terminal, as pm2's chalk does. Old and live lines share one label width, the widest label + 1.
 * On a terminal an app's escape sequences and other control characters are shown, not obeyed
 * ({@link TerminalText}: an OSC 52 would write the operator's clipboard), unless {@code --raw};
 * into a pipe or a file the lines go byte for byte (pm2 passes them through in both cases).
 */
public final class LogOutput {
    public enum Shape {
        LABELLED,
        RAW,
        JSON,
        FORMAT
    }

    /** pm2's --format time: {@code YYYY-MM-DD-HH:mm:ssZZ}. */
    static final DayjsFormat FORMAT_TIME = DayjsFormat.compile("YYYY-MM-DD-HH:mm:ssZZ");
    /** pm2's --timestamp without a format. */
    public static final String DEFAULT_TIMESTAMP = "YYYY-MM-DD-HH:mm:ss";

    public final PrintStream stream;
    final Shape shape;
    private final boolean color;
    private final DayjsFormat timestamp;
    private final String highlight;
    /** App lines are shown with their control characters made visible ({@link TerminalText}). */
    private final boolean defused;

    private int padding = 3;

    /**
     * @param timestamp --timestamp's format, null for none
     * @param highlight --highlight's value, null for none
     */
    public LogOutput(PrintStream stream, Shape shape, boolean terminal, DayjsFormat timestamp, String highlight) {
        this(stream, shape, terminal, terminal && shape != Shape.RAW, timestamp, highlight);
    }

    /**
     * @param terminal colours and --highlight (a console, as pm2's chalk sees it)
     * @param defused app lines shown with their control characters made visible: the output is a
     *     terminal and --raw was not asked for
     */
    public LogOutput(
            PrintStream stream,
            Shape shape,
            boolean terminal,
            boolean defused,
            DayjsFormat timestamp,
            String highlight) {
        this.stream = stream;
        this.shape = shape;
        this.defused = defused;
        this.color = terminal && shape == Shape.LABELLED;
        this.timestamp = timestamp;
        this.highlight = terminal && highlight != null && !highlight.isEmpty() ? highlight : null;
    }

    public boolean decorated() {
        return shape == Shape.LABELLED;
    }

    /** Makes room for this label: every line printed after is padded as wide. */
    public void fit(String label) {
        padding = Math.max(padding, label.length() + 1);
    }

    public String gray(String text) {
        return color ? "\u001b[90m" + text + "\u001b[39m" : text;
    }

    /**
     * @param type out, err, or another source's word (the daemon's log)
     * @param time when the line was written, epoch ms: captured by the daemon (a live line) or
     *     written in the line (a file's, {@link LineTime}); null when not known
     */
    public void line(String label, String app, String pmId, String type, String line, Long time) {
        // JSON escapes the C0 controls itself: the data stays exact, only the C1 ones need escaping
        String text = !defused ? line : shape == Shape.JSON ? line : TerminalText.harmless(line);
        switch (shape) {
            case JSON -> stream.println("{\"message\":" + (defused ? TerminalText.escapeC1(quote(text)) : quote(text))
                    + ",\"timestamp\":"
                    + (time == null ? "null" : quote(Instant.ofEpochMilli(time).toString())) + ",\"type\":\"" + type
                    + "\",\"process_id\":" + pmId + ",\"app_name\":" + quote(app) + "}");
            case RAW -> ("err".equals(type) ? System.err : stream).println(text);
            case FORMAT -> stream.println(stamp(time, FORMAT_TIME, "timestamp=")
                    + ("null".equals(pmId) ? "app=" + app : "app=" + app + " id=" + pmId) + " type="
                    + ("err".equals(type) ? "error" : type) + " message=" + marked(text));
            default -> {
                fit(label);
                stream.println(stamp(time, timestamp, "") + colored(type, pad(label, padding) + " | ") + marked(text));
            }
        }
    }

    private String stamp(Long time, DayjsFormat format, String key) {
        if (format == null) {
            return "";
        }
        if (time == null) {
            // no time known: a dash, as wide as a time in a column (so that the lines after it stay in line)
            return key.isEmpty() ? pad("-", format.format(ZonedDateTime.now()).length()) + " " : key + "- ";
        }
        ZonedDateTime at = ZonedDateTime.ofInstant(Instant.ofEpochMilli(time), ZoneId.systemDefault());
        return key + gray(format.format(at)) + " ";
    }

    private String marked(String text) {
        int at = highlight == null ? -1 : text.indexOf(highlight);
        return at < 0
                ? text
                : text.substring(0, at) + "\u001b[100m" + highlight + "\u001b[49m"
                        + text.substring(at + highlight.length());
    }

    private String colored(String type, String text) {
        if (!color) {
            return text;
        }
        String code =
                switch (type) {
                    case "out" -> "\u001b[32m";
                    case "err" -> "\u001b[31m";
                    default -> "\u001b[34m";
                };
        return code + text + "\u001b[39m";
    }

    /** pm2's pad(): the text cut or filled with spaces to exactly {@code width}. */
    static String pad(String text, int width) {
        String padded = text + " ".repeat(Math.max(0, width - text.length()));
        return padded.substring(0, width);
    }

    static String quote(String s) {
        try {
            return Json.text(s);
        } catch (IOException e) {
            return "\"\"";
        }
    }
}
