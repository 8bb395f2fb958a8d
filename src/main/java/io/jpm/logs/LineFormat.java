package io.jpm.logs;

import io.jpm.protocol.DayjsFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * How a line goes to disk: as received (raw), after a timestamp ({@code log_date_format} or
 * {@code time}, pm2's {@code "<date>: <line>"}), or as pm2's JSON object
 * {@code {"message","timestamp","type","process_id","app_name"}} (log_type json; message keeps the
 * line's newline, as pm2's does; timestamp is ISO-8601 unless a date format is set).
 */
final class LineFormat {
    enum Kind {
        RAW,
        DATE,
        JSON
    }

    final Kind kind;
    private final DayjsFormat date;
    private final byte[] jsonTail;
    private long cachedAt = -1;
    private String cachedTime;
    private byte[] cachedPrefix;

    private LineFormat(Kind kind, DayjsFormat date, byte[] jsonTail) {
        this.kind = kind;
        this.date = date;
        this.jsonTail = jsonTail;
    }

    static final LineFormat RAW = new LineFormat(Kind.RAW, null, null);

    /** @param dateFormat a format already checked by the config parser, or null */
    static LineFormat of(String dateFormat, boolean json, String stream, int pmId, String app) {
        DayjsFormat date = dateFormat == null ? null : DayjsFormat.compile(dateFormat);
        if (json) {
            String tail =
                    "\",\"type\":\"" + stream + "\",\"process_id\":" + pmId + ",\"app_name\":" + quote(app) + "}\n";
            return new LineFormat(Kind.JSON, date, tail.getBytes(StandardCharsets.UTF_8));
        }
        return date == null ? RAW : new LineFormat(Kind.DATE, date, null);
    }

    /** The timestamp text for {@code now}, computed once per millisecond. */
    String time(long now) {
        if (now != cachedAt) {
            cachedAt = now;
            cachedTime = date != null
                    ? date.format(ZonedDateTime.ofInstant(Instant.ofEpochMilli(now), ZoneId.systemDefault()))
                    : Instant.ofEpochMilli(now).toString();
            cachedPrefix = (cachedTime + ": ").getBytes(StandardCharsets.UTF_8);
        }
        return cachedTime;
    }

    /** Appends one formatted line ({@code line} without its newline) to {@code out}. */
    void append(Bytes out, byte[] line, int offset, int length, long now) {
        switch (kind) {
            case RAW -> {
                out.append(line, offset, length);
                out.append((byte) '\n');
            }
            case DATE -> {
                time(now);
                out.append(cachedPrefix);
                out.append(line, offset, length);
                out.append((byte) '\n');
            }
            case JSON -> {
                String message = new String(line, offset, length, StandardCharsets.UTF_8) + "\n";
                out.append(("{\"message\":" + quote(message) + ",\"timestamp\":\"" + time(now))
                        .getBytes(StandardCharsets.UTF_8));
                out.append(jsonTail);
            }
            default -> throw new AssertionError(kind);
        }
    }

    /** What goes before the first bytes of a line streamed through (too long to hold). */
    byte[] prefix(long now) {
        if (kind != Kind.DATE) {
            return new byte[0];
        }
        time(now);
        return cachedPrefix;
    }

    static String quote(String s) {
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
