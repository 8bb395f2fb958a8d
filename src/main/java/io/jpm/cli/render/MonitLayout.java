package io.jpm.cli.render;

import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code jpm monit}'s parts go in a terminal of a given size, apart from drawing them, so
 * every size can be checked without a terminal. Row 0 is the title and the last row the status
 * line; the rows between hold the process list on the left and, on the right, the selected
 * process's details over its log lines. Details that do not fit are cut, with a line saying how
 * many more there are and which key scrolls to them (pm2 monit scrolls its boxes too); the logs
 * keep a few rows whatever the details take.
 */
final class MonitLayout {
    /** The smallest terminal monit draws in (pm2 monit's 40x10 still shows its list and logs). */
    static final int MIN_COLUMNS = 40;

    static final int MIN_ROWS = 10;
    /** What the logs keep when the details do not fit: their title and two lines. */
    private static final int LOG_ROWS_KEPT = 3;

    private MonitLayout() {}

    /** What the screen says instead of monit when it is smaller than {@link #MIN_COLUMNS}x{@link #MIN_ROWS}. */
    static String tooSmall(int columns, int rows) {
        return columns >= MIN_COLUMNS && rows >= MIN_ROWS
                ? null
                : "terminal too small (" + columns + "x" + rows + "): jpm monit needs " + MIN_COLUMNS + "x" + MIN_ROWS
                        + "; q quits";
    }

    /** The width of the process list; the details take the rest, right of a separator. */
    static int listWidth(int columns) {
        return Math.max(MIN_COLUMNS / 2, Math.min(58, columns / 2));
    }

    /**
     * The first process of the list shown, so that the selected one is on screen.
     *
     * @param rows the terminal's rows
     */
    static int firstListed(int selected, int rows) {
        int room = Math.max(1, rows - 3); // title, column names, status line
        return Math.max(0, selected - room + 1);
    }

    /**
     * The right side, top to bottom.
     *
     * @param details every line of the details
     * @param logs the process's log lines, oldest first
     * @param rows the terminal's rows
     * @param scroll how many detail lines the user scrolled down (clamped here)
     */
    static Right right(List<String> details, List<String> logs, int rows, int scroll) {
        int room = Math.max(0, rows - 2);
        if (details.size() + 1 + LOG_ROWS_KEPT <= room) { // all the details, a blank row, the logs below
            int logRoom = room - details.size() - 2;
            return new Right(details, 0, true, lastOf(logs, logRoom));
        }
        int detailRoom = Math.max(0, room - LOG_ROWS_KEPT);
        int top = Math.max(0, Math.min(scroll, details.size() - detailRoom));
        List<String> shown = new ArrayList<>(details.subList(top, Math.min(details.size(), top + detailRoom)));
        if (top > 0 && !shown.isEmpty()) {
            shown.set(0, "↑ " + (top + 1) + " more (PgUp)");
        }
        int below = details.size() - top - shown.size();
        if (below > 0 && !shown.isEmpty()) {
            shown.set(shown.size() - 1, "↓ " + (below + 1) + " more (PgDn)");
        }
        return new Right(shown, top, false, lastOf(logs, Math.max(0, room - shown.size() - 1)));
    }

    private static List<String> lastOf(List<String> lines, int count) {
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }

    /**
     * The right side's rows.
     *
     * @param details the detail lines shown, from row 1 on
     * @param scroll the scroll they were drawn at (what PgUp and PgDn move from)
     * @param gap whether a blank row parts the details from the logs' title (not when the details are cut)
     * @param logs the log lines shown under the logs' title
     */
    record Right(List<String> details, int scroll, boolean gap, List<String> logs) {}
}
