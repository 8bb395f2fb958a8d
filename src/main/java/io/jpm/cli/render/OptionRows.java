package io.jpm.cli.render;

import io.jpm.cli.transport.Json;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.OptionRow;
import java.util.List;

/**
 * describe's rows of the options that declare one ({@link AppOption#row}): a group's rows in
 * AppOption's order, each its value at the option's {@code describedAs} path of the process's row,
 * written as the declaration says.
 */
final class OptionRows {
    private OptionRows() {}

    /** Adds to {@code rows} the rows of {@code group} that {@code process} (a jlist row) has. */
    static void add(List<List<String>> rows, Json.Value process, OptionRow.Group group) {
        for (AppOption option : AppOption.values()) {
            OptionRow row = option.row;
            if (row != null && row.group() == group) {
                String value = written(row.form(), at(process, option.describedAs));
                if (value != null) {
                    rows.add(List.of(row.label(), value));
                }
            }
        }
    }

    /** The value as the row shows it; null for no row. */
    private static String written(OptionRow.Form form, Json.Value value) {
        return switch (form) {
            case TEXT -> value.asText();
            case MS -> value.asLong() + " ms";
            case BYTES_WHEN_SET -> value.asLong() > 0 ? Render.bytes(value.asLong()) : null;
            case TEXT_WHEN_SET -> value.isNull() ? null : value.asText();
        };
    }

    private static Json.Value at(Json.Value process, String dottedPath) {
        Json.Value value = process;
        for (String name : dottedPath.split("\\.")) {
            value = value.path(name);
        }
        return value;
    }
}
