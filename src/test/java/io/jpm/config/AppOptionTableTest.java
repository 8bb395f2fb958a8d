package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.AppOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIG.md's options tables against {@link AppOption}, so neither drifts from the other:
 * every declared option has a row, with its declared default and every spelling of its start
 * flag; every row names a declared option; every ignored option is listed as such.
 */
class AppOptionTableTest {
    private static final Path CONFIG = Path.of("docs/CONFIG.md");
    /** A cell's leading option name: {@code `kill_timeout`}. */
    private static final Pattern NAME = Pattern.compile("^`([a-z_<>]+)`");

    /** One row of an options table: the option it names, its flag and default cells. */
    record Row(String option, String flags, String defaults) {}

    @Test
    void everyDeclaredOptionHasARowWithItsDefaultAndItsFlags() throws IOException {
        List<Row> rows = rows();
        List<String> problems = new ArrayList<>();
        for (AppOption option : AppOption.values()) {
            List<Row> mine =
                    rows.stream().filter(r -> r.option().equals(option.key)).toList();
            if (mine.isEmpty()) {
                problems.add(option.key + ": no row in docs/CONFIG.md's options tables");
                continue;
            }
            for (Row row : mine) {
                if (option.defaultValue != null && !row.defaults().contains(String.valueOf(option.defaultValue))) {
                    problems.add(option.key + ": declared default " + option.defaultValue + ", the table says '"
                            + row.defaults() + "'");
                }
            }
            if (option.flag() != null) {
                for (String spelling : option.flag().spellings().split("\\|")) {
                    Pattern written = Pattern.compile("`" + Pattern.quote(spelling) + "[` =\\[]");
                    if (mine.stream().noneMatch(r -> written.matcher(r.flags()).find())) {
                        problems.add(option.key + ": flag " + spelling + " is not in its row's flag column");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyRowNamesADeclaredOption() throws IOException {
        List<Row> rows = rows();
        assertTrue(rows.size() > 50, "the tables were found: " + rows.size() + " rows");
        for (Row row : rows) {
            assertTrue(
                    row.option().equals("env_<name>")
                            || AppOption.named(row.option()).isPresent(),
                    "docs/CONFIG.md has a row for '" + row.option() + "', which AppOption does not declare");
        }
    }

    @Test
    void everyIgnoredOptionIsListedAsIgnored() throws IOException {
        String text = Files.readString(CONFIG);
        int section = text.indexOf("### Accepted and ignored");
        String listed = text.substring(section, text.indexOf("\n#", section + 1));
        for (String option : AppOption.IGNORED) {
            assertTrue(
                    listed.contains("`" + option + "`"), option + " is not in docs/CONFIG.md's 'Accepted and ignored'");
        }
    }

    /** The rows of every table whose header is "| option ... | flag | type | default | ...". */
    private static List<Row> rows() throws IOException {
        List<String> lines = Files.readAllLines(CONFIG);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("| option")) {
                continue;
            }
            List<String> header = cells(lines.get(i));
            if (!header.contains("flag") || !header.contains("default")) {
                continue;
            }
            int flag = header.indexOf("flag");
            int defaults = header.indexOf("default");
            for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
                List<String> cells = cells(lines.get(i));
                Matcher name = NAME.matcher(cells.get(0));
                assertTrue(name.find(), "a row without an option name: " + lines.get(i));
                rows.add(new Row(name.group(1), cells.get(flag), cells.get(defaults)));
            }
        }
        return rows;
    }

    /** A table line's cells, trimmed; {@code \|} inside a cell is not a separator. */
    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        return List.of(inner.split("(?<!\\\\)\\|", -1)).stream()
                .map(String::strip)
                .toList();
    }
}
