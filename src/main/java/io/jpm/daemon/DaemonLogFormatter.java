package io.jpm.daemon;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * daemon.log's line: {@code 2026-11-24 20:41:27.779 INFO jpm.daemon: the message}, then the stack trace of
 * a throwable on the lines after it; the text the JDK's SimpleFormatter wrote with the format
 * {@code "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n"}, but for the level's word, which is the same in every
 * locale (INFO, not the locale's translation): what a script greps for. Written by hand because the first
 * line a daemon logs is on the way to its first answer, and SimpleFormatter's first format costs tens of
 * ms there ({@code java.util.Formatter}'s parser, locale data, the time-zone database); the level's
 * translation alone cost ~6 ms (its resource bundles' lookup).
 */
public final class DaemonLogFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128);
        appendTime(line, record.getMillis(), TimeZone.getDefault());
        line.append(' ')
                .append(record.getLevel().getName())
                .append(' ')
                .append(record.getLoggerName())
                .append(": ")
                .append(formatMessage(record));
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter out = new PrintWriter(trace)) {
                out.println();
                record.getThrown().printStackTrace(out);
            }
            line.append(trace);
        }
        return line.append(System.lineSeparator()).toString();
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSS} in {@code zone} (its offset at that instant, summer time included). */
    static void appendTime(StringBuilder line, long millis, TimeZone zone) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(
                Math.floorDiv(millis, 1000),
                (int) Math.floorMod(millis, 1000) * 1_000_000,
                ZoneOffset.ofTotalSeconds(zone.getOffset(millis) / 1000));
        pad(line, t.getYear(), 4).append('-');
        pad(line, t.getMonthValue(), 2).append('-');
        pad(line, t.getDayOfMonth(), 2).append(' ');
        pad(line, t.getHour(), 2).append(':');
        pad(line, t.getMinute(), 2).append(':');
        pad(line, t.getSecond(), 2).append('.');
        pad(line, t.getNano() / 1_000_000, 3);
    }

    private static StringBuilder pad(StringBuilder line, int value, int digits) {
        String text = Integer.toString(value);
        for (int i = text.length(); i < digits; i++) {
            line.append('0');
        }
        return line.append(text);
    }
}
