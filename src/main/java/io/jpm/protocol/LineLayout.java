package io.jpm.protocol;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * How a stream's lines are laid out in its log files, declared once for the two writers that write
 * them: the daemon's LogAggregator (logs.LineFormat renders these pieces) and the keeper, which
 * writes the lines while no daemon runs (jpm-keeper.pl reads the same pieces and time parts from the
 * stream's journal, {@link #keeperText}). A line is its pieces in order: as received (raw), after a
 * timestamp ({@code log_date_format} or {@code time}, pm2's {@code "<date>: <line>"}), or pm2's JSON
 * record {@code {"message","timestamp","type","process_id","app_name"}} (log_type json; message keeps
 * the line's newline, as pm2's does; timestamp is ISO-8601 unless a date format is set).
 */
public final class LineLayout {
    /** What a piece writes. */
    public enum Kind {
        /** Its text, as it is. */
        TEXT,
        /** The time: the dayjs date format, else java.time's ISO-8601 instant. */
        TIME,
        /** The line's bytes as received; a line streamed through in parts starts its later parts here. */
        LINE,
        /** The line and its newline as a JSON string. */
        JSON_LINE,
        /** The line's newline (none after a line written before its end). */
        NEWLINE
    }

    public record Piece(Kind kind, String text) {}

    private final List<Piece> pieces;
    /** Null: the time is an ISO-8601 instant. */
    private final DayjsFormat date;

    private LineLayout(List<Piece> pieces, DayjsFormat date) {
        this.pieces = List.copyOf(pieces);
        this.date = date;
    }

    /** @param dateFormat a format already checked by the config parser, or null */
    public static LineLayout of(String dateFormat, boolean json, String stream, int pmId, String app) {
        DayjsFormat date = dateFormat == null ? null : DayjsFormat.compile(dateFormat);
        if (json) {
            return new LineLayout(
                    List.of(
                            text("{\"message\":"),
                            piece(Kind.JSON_LINE),
                            text(",\"timestamp\":\""),
                            piece(Kind.TIME),
                            text("\",\"type\":\"" + stream + "\",\"process_id\":" + pmId + ",\"app_name\":" + quote(app)
                                    + "}\n")),
                    date);
        }
        if (date != null) {
            return new LineLayout(List.of(piece(Kind.TIME), text(": "), piece(Kind.LINE), piece(Kind.NEWLINE)), date);
        }
        return new LineLayout(List.of(piece(Kind.LINE), piece(Kind.NEWLINE)), null);
    }

    private static Piece piece(Kind kind) {
        return new Piece(kind, "");
    }

    private static Piece text(String text) {
        return new Piece(Kind.TEXT, text);
    }

    public List<Piece> pieces() {
        return pieces;
    }

    /** Whether a piece writes the time. */
    public boolean timed() {
        return pieces.stream().anyMatch(p -> p.kind() == Kind.TIME);
    }

    /** The time text for {@code now} (ms since the epoch), in the system's zone. */
    public String time(long now) {
        Instant at = Instant.ofEpochMilli(now);
        return date != null ? date.format(ZonedDateTime.ofInstant(at, ZoneId.systemDefault())) : at.toString();
    }

    /**
     * The layout as jpm-keeper.pl reads it, one line a piece or time part: {@code piece text <t>},
     * {@code piece time}, {@code piece line}, {@code piece json-line}, {@code piece newline}; then
     * {@code time iso}, or the date format's parts, {@code time token <YYYY>} and {@code time text <t>};
     * each text through {@code encode}.
     */
    public String keeperText(UnaryOperator<String> encode) {
        StringBuilder text = new StringBuilder();
        for (Piece p : pieces) {
            text.append("piece ").append(p.kind().name().toLowerCase().replace('_', '-'));
            if (p.kind() == Kind.TEXT) {
                text.append(' ').append(encode.apply(p.text()));
            }
            text.append('\n');
        }
        if (date == null) {
            text.append("time iso\n");
        } else {
            date.forEachPart((token, part) -> text.append(token ? "time token " : "time text ")
                    .append(encode.apply(part))
                    .append('\n'));
        }
        return text.toString();
    }

    /** {@code s} as a JSON string. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
