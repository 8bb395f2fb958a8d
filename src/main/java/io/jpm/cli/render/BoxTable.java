package io.jpm.cli.render;

import java.util.ArrayList;
import java.util.List;

/** pm2's box-drawn tables: column widths measured on what shows on screen, colour codes left out. */
final class BoxTable {
    private BoxTable() {}

    /**
     * The width a cell takes on screen: its text without colour codes (ESC [ digits and ; m). Read
     * by hand, not with a regex: a table of 50 apps measures ~300 coloured cells, each a regex
     * replace in a client that has not compiled it (milliseconds of every start and ls).
     */
    static int visible(String cell) {
        int width = cell.length();
        for (int at = cell.indexOf('\u001b'); at >= 0; at = cell.indexOf('\u001b', at + 1)) {
            int end = at + 1;
            if (end < cell.length() && cell.charAt(end) == '[') {
                end++;
                while (end < cell.length() && (isDigit(cell.charAt(end)) || cell.charAt(end) == ';')) {
                    end++;
                }
                if (end < cell.length() && cell.charAt(end) == 'm') {
                    width -= end - at + 1;
                    at = end;
                }
            }
        }
        return width;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A box-drawn table; {@code header} null for a key/value table without one. */
    static String box(List<String> header, List<List<String>> rows) {
        int columns = header != null
                ? header.size()
                : rows.isEmpty() ? 2 : rows.get(0).size();
        int[] width = new int[columns];
        List<List<String>> all = new ArrayList<>();
        if (header != null) {
            all.add(header);
        }
        all.addAll(rows);
        for (List<String> row : all) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], visible(row.get(c)));
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, width, '┌', '┬', '┐');
        if (header != null) {
            row(sb, width, header);
            line(sb, width, '├', '┼', '┤');
        }
        for (List<String> row : rows) {
            row(sb, width, row);
        }
        line(sb, width, '└', '┴', '┘');
        return sb.toString();
    }

    private static void line(StringBuilder sb, int[] width, char left, char mid, char right) {
        sb.append(left);
        for (int c = 0; c < width.length; c++) {
            sb.append("─".repeat(width[c] + 2)).append(c == width.length - 1 ? right : mid);
        }
        sb.append('\n');
    }

    private static void row(StringBuilder sb, int[] width, List<String> cells) {
        sb.append('│');
        for (int c = 0; c < width.length; c++) {
            String cell = cells.get(c);
            sb.append(' ')
                    .append(cell)
                    .append(" ".repeat(width[c] - visible(cell) + 1))
                    .append('│');
        }
        sb.append('\n');
    }
}
