package io.jpm.cli.render;

import io.jpm.cli.transport.Json;
import io.jpm.protocol.DayjsFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;

/**
 * When a log file's line was written, as far as the file says: the time an app's
 * {@code log_date_format} or {@code time} put before it ({@code "<date>: "}), the
 * {@code timestamp} of a {@code log_type: json} record, the time that starts a daemon.log line.
 * A file's line carries nothing else: a line without such a time has none ({@code jpm logs
 * --timestamp} says so rather than stamping it with the time it was read).
 */
public final class LineTime {
    /** Lines that carry no time. */
    public static final LineTime NONE = new LineTime(null, false, "");
    /** daemon.log's lines: {@code 2026-11-25 18:40:27.134 INFO ...} in the machine's zone. */
    public static final LineTime DAEMON_LOG = new LineTime(DayjsFormat.compile("YYYY-MM-DD HH:mm:ss.SSS"), false, " ");

    private final DayjsFormat date;
    private final boolean json;
    private final String then;

    private LineTime(DayjsFormat date, boolean json, String then) {
        this.date = date;
        this.json = json;
        this.then = then;
    }

    /** An app's files: its pm2_env {@code log_date_format} (set by {@code time} too) and {@code log_type}. */
    public static LineTime of(String logDateFormat, String logType) {
        DayjsFormat date;
        try {
            date = logDateFormat == null || logDateFormat.isBlank() ? null : DayjsFormat.compile(logDateFormat);
        } catch (IllegalArgumentException e) {
            date = null;
        }
        boolean json = "json".equals(logType);
        return date == null && !json ? NONE : new LineTime(date, json, json ? "" : ": ");
    }

    /** The line's time, epoch ms; null when the line does not carry one. */
    public Long of(String line) {
        Instant at =
                json ? fromRecord(line) : date == null ? null : date.parseStart(line, then, ZoneId.systemDefault());
        return at == null ? null : at.toEpochMilli();
    }

    private Instant fromRecord(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            Json.Value stamp = Json.parse(line.getBytes(StandardCharsets.UTF_8)).path("timestamp");
            if (stamp.isNull()) {
                return null;
            }
            String text = stamp.asText();
            return date != null ? date.parseStart(text, "", ZoneId.systemDefault()) : Instant.parse(text);
        } catch (IOException | RuntimeException e) { // not a record, or no time in it
            return null;
        }
    }
}
