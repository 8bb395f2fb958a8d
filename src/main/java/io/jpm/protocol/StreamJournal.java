package io.jpm.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The LogAggregator's side of a stream's output journal (docs/ARCHITECTURE.md, "The keeper"): the
 * launcher keeps every byte it reads from an app's pipe in a journal the keeper holds until the
 * aggregator says it is in the log files, so a daemon killed between the read and the write loses
 * nothing: the next one writes what the journal still holds. Called on the aggregator's thread,
 * in the order the stream's bytes came.
 */
public interface StreamJournal {
    /** One file about to be written and its size before: what a write cut short is cut back to. */
    record Target(String path, long size) {}

    /**
     * Where and how the stream's lines go, for the keeper, which writes them itself while no daemon
     * runs (docs/ARCHITECTURE.md, "The keeper"): the files (the stream's own and the app's combined
     * log), the dayjs date format before each line (null: none), pm2's JSON records, and the
     * stream's name, pm_id and app for those records.
     */
    record Targets(List<String> files, String dateFormat, boolean json, String stream, int pmId, String app) {
        public Targets {
            files = List.copyOf(files);
        }

        /**
         * The lines jpm-keeper.pl reads at the journal's TARGETS_AT, ended by a NUL: "file <path>"
         * (one or two), then the lines' {@link LineLayout} (its pieces and time parts: the keeper
         * lays the lines out from these, as the daemon does); each value percent-encoded. The
         * "date", "json", "stream", "pm_id" and "app" lines are for a keeper of an earlier jpm,
         * which laid the lines out itself from them.
         */
        public String keeperText() {
            StringBuilder text = new StringBuilder();
            files.forEach(file -> text.append("file ").append(encode(file)).append('\n'));
            text.append(LineLayout.of(dateFormat, json, stream, pmId, app).keeperText(Targets::encode));
            if (dateFormat != null) {
                text.append("date ").append(encode(dateFormat)).append('\n');
            }
            if (json) {
                text.append("json\n");
            }
            text.append("stream ").append(encode(stream)).append('\n');
            text.append("pm_id ").append(pmId).append('\n');
            return text.append("app ").append(encode(app)).append("\n\0").toString();
        }

        /** Every byte but a letter, digit or one of {@code /._-:+} as %XX of its UTF-8. */
        private static String encode(String value) {
            StringBuilder out = new StringBuilder(value.length());
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "/._-:+".indexOf(c) >= 0) {
                    out.append((char) c);
                } else {
                    out.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                }
            }
            return out.toString();
        }
    }

    /** Says where the stream's lines go, before its first bytes (and again for an adopted run). */
    default void describe(Targets targets) {}

    /** The aggregator has taken the next {@code bytes} of the stream (a chunk). */
    void taken(int bytes);

    /**
     * The aggregator is about to write to these files: a daemon killed before {@link #written}
     * cuts them back to these sizes and writes the same bytes again, so nothing is doubled.
     */
    void writing(List<Target> files);

    /** Every byte taken is in the files (or given up, a full disk) but the last {@code held}: an unfinished line. */
    void written(int held);

    /** The next {@code bytes} of the stream never reach the aggregator (a delivery given up): not kept for a next daemon. */
    void skipped(int bytes);
}
