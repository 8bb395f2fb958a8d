package io.jpm.protocol;

/**
 * An option's own row in {@code jpm describe} ({@link AppOption#row}): pm2's word for it (scripts grep
 * it), the group it is shown in, and how its value, read at its {@link AppOption#describedAs} path,
 * is written. Within a group the rows follow AppOption's order.
 */
public record OptionRow(String label, Group group, Form form) {
    /** Where describe shows the row: among how the app restarts, how it stops, or what watches it. */
    public enum Group {
        RESTART,
        STOP,
        WATCHDOG
    }

    /** How the value is written. */
    public enum Form {
        /** As it is. */
        TEXT,
        /** A number of milliseconds ("1600 ms"), 0 when absent. */
        MS,
        /** A size in bytes ("300.0mb"), and the row only when it is over 0. */
        BYTES_WHEN_SET,
        /** As it is, and the row only when it is given. */
        TEXT_WHEN_SET
    }
}
