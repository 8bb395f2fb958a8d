package io.jpm.cli.render;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** pm2's box-drawn tables: column widths measured on what shows on screen, colour codes left out. */
final class BoxTable {
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");

    private BoxTable() {}

    /** The width a cell takes on screen: its text without colour codes. */
    private static int visible(String cell) {
        return cell.indexOf('\u001b') < 0
                ? cell.length()
                : ANSI.matcher(cell).replaceAll("").length();
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
