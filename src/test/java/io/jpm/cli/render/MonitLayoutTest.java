package io.jpm.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitLayoutTest {
    /** A Node app's details: 9 lines of its own, 13 code metrics. */
    private static List<String> details(int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add("detail " + i);
        }
        return lines;
    }

    /** The rows the right side takes: details, the gap, the logs' title, the logs. */
    private static int rowsUsed(MonitLayout.Right right) {
        return right.details().size() + (right.gap() ? 1 : 0) + 1 + right.logs().size();
    }

    /** The bug: 22 detail lines and no log line at 21 rows asked for logs.subList(2, 0). */
    @Test
    void detailsTallerThanTheTerminalAreCutNotAFailure() {
        MonitLayout.Right right = MonitLayout.right(details(22), List.of(), 21, 0);
        assertTrue(rowsUsed(right) <= 19, right.toString());
        assertEquals("↓ 7 more (PgDn)", right.details().get(right.details().size() - 1));
    }

    @Test
    void everySizeFitsItsRows() {
        for (int rows = 0; rows <= 60; rows++) {
            for (int logs : new int[] {0, 1, 5, 100}) {
                for (int scroll : new int[] {0, 3, 50}) {
                    MonitLayout.Right right = MonitLayout.right(details(22), details(logs), rows, scroll);
                    String at = rows + " rows, " + logs + " logs, scroll " + scroll + ": " + right;
                    assertTrue(rows < 3 || rowsUsed(right) <= rows - 2, at);
                    if (rows >= MonitLayout.MIN_ROWS) {
                        assertTrue(right.logs().size() >= Math.min(2, logs), at);
                        assertTrue(right.details().size() >= 3, at);
                    }
                }
            }
        }
    }

    @Test
    void detailsThatFitAreWholeWithTheLogsBelow() {
        MonitLayout.Right right = MonitLayout.right(details(9), details(100), 40, 7);
        assertEquals(details(9), right.details());
        assertTrue(right.gap());
        assertEquals(40 - 2 - 9 - 2, right.logs().size());
        assertEquals("detail 99", right.logs().get(right.logs().size() - 1));
    }

    @Test
    void scrollingShowsTheRestAndStopsAtTheEnd() {
        // 10 rows: 8 between title and status, 3 kept for the logs, 5 for the details
        MonitLayout.Right middle = MonitLayout.right(details(22), List.of(), 10, 4);
        assertEquals(
                List.of("↑ 5 more (PgUp)", "detail 5", "detail 6", "detail 7", "↓ 14 more (PgDn)"), middle.details());
        MonitLayout.Right end = MonitLayout.right(details(22), List.of(), 10, 100);
        assertEquals(17, end.scroll());
        assertEquals("detail 21", end.details().get(4));
        assertEquals("↑ 18 more (PgUp)", end.details().get(0));
    }

    @Test
    void smallerThan40x10SaysSo() {
        assertNull(MonitLayout.tooSmall(40, 10));
        assertNotNull(MonitLayout.tooSmall(39, 10));
        assertNotNull(MonitLayout.tooSmall(80, 9));
        assertTrue(MonitLayout.tooSmall(30, 8).startsWith("terminal too small (30x8)"));
    }

    @Test
    void theSelectedProcessStaysInTheList() {
        assertEquals(0, MonitLayout.firstListed(3, 10)); // rows 2..8 hold 7
        assertEquals(3, MonitLayout.firstListed(9, 10));
    }
}
