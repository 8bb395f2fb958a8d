package io.jpm.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.cli.CliException;
import io.jpm.cli.transport.Json;
import io.jpm.protocol.ProcessView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class RenderTest {

    @Test
    void durationInPm2Words() {
        assertEquals("0s", Render.duration(0));
        assertEquals("0s", Render.duration(999));
        assertEquals("45s", Render.duration(45_000));
        assertEquals("59s", Render.duration(59_999));
        assertEquals("1m", Render.duration(60_000));
        assertEquals("12m", Render.duration(12 * 60_000 + 30_000));
        assertEquals("3h", Render.duration(3 * 3_600_000 + 59 * 60_000));
        assertEquals("1D", Render.duration(86_400_000));
        assertEquals("2D", Render.duration(2 * 86_400_000L + 5));
    }

    @Test
    void negativeDurationIsZero() {
        assertEquals("0s", Render.duration(-5_000));
    }

    @Test
    void bytes() {
        assertEquals("0b", Render.bytes(0));
        assertEquals("1023b", Render.bytes(1023));
        assertEquals("1.0kb", Render.bytes(1024));
        assertEquals("1.5kb", Render.bytes(1536));
        assertEquals("1.0mb", Render.bytes(1024 * 1024));
        assertEquals("42.3mb", Render.bytes((long) (42.3 * 1024 * 1024)));
        assertEquals("2.0gb", Render.bytes(2L * 1024 * 1024 * 1024));
    }

    @Test
    void boxWithHeader() {
        String box = BoxTable.box(List.of("id", "name"), List.of(List.of("0", "api"), List.of("10", "worker")));
        assertEquals(
                String.join(
                        "\n",
                        "┌────┬────────┐",
                        "│ id │ name   │",
                        "├────┼────────┤",
                        "│ 0  │ api    │",
                        "│ 10 │ worker │",
                        "└────┴────────┘",
                        ""),
                box);
    }

    @Test
    void aCellIsAsWideAsItsTextWithoutColourCodes() {
        assertEquals(6, BoxTable.visible("\u001b[32monline\u001b[39m"));
        assertEquals(1, BoxTable.visible("\u001b[1;36m0\u001b[0m"));
        assertEquals(2, BoxTable.visible("\u001b[mab"));
        // what is not a colour code counts: a lone escape, an unfinished or foreign sequence
        assertEquals(3, BoxTable.visible("a\u001bb"));
        assertEquals(4, BoxTable.visible("\u001b[3x"));
        assertEquals(3, BoxTable.visible("\u001b[3"));
        assertEquals(0, BoxTable.visible(""));
    }

    @Test
    void boxWithoutHeaderIsAKeyValueTable() {
        String box = BoxTable.box(null, List.of(List.of("status", "online"), List.of("pid", "42")));
        assertEquals(
                String.join(
                        "\n",
                        "┌────────┬────────┐",
                        "│ status │ online │",
                        "│ pid    │ 42     │",
                        "└────────┴────────┘",
                        ""),
                box);
    }

    @Test
    void everyLineOfABoxHasTheSameWidth() {
        String box = BoxTable.box(
                Render.COLUMNS,
                List.of(List.of(
                        "0",
                        "a-very-long-application-name",
                        "default",
                        "N/A",
                        "fork",
                        "1234",
                        "3h",
                        "12",
                        "online",
                        "0%",
                        "42.3mb",
                        "root",
                        "disabled")));
        List<String> lines = box.lines().toList();
        assertEquals(5, lines.size());
        for (String line : lines) {
            assertEquals(lines.get(0).length(), line.length(), line);
        }
        assertTrue(lines.get(1).contains("↺"), lines.get(1));
        assertTrue(lines.get(1).contains("│ namespace │ version │"), lines.get(1));
    }

    @Test
    void sortedByPm2sFieldsAndOrders() {
        List<Object> list = new ArrayList<>();
        for (String[] p : new String[][] {{"0", "web", "30"}, {"1", "api", "10"}, {"2", "db", "20"}}) {
            Map<String, Object> process = new LinkedHashMap<>();
            process.put("pm_id", Long.parseLong(p[0]));
            process.put("name", p[1]);
            process.put("monit", Map.of("memory", Long.parseLong(p[2])));
            list.add(process);
        }
        Json.Value all = new Json.Value(list);
        assertEquals("[api, db, web]", names(Render.sorted(all, "name")));
        assertEquals("[web, db, api]", names(Render.sorted(all, "memory:desc")));
        assertEquals("[web, api, db]", names(Render.sorted(all, "id")));
        assertTrue(Assertions.assertThrows(CliException.class, () -> Render.sorted(all, "colour"))
                .getMessage()
                .contains("sort by name, namespace, id"));
        assertTrue(MiniList.mini(all).startsWith("+--- web\nnamespace : "), MiniList.mini(all));
    }

    /** The rows of pm2 7.0.4's describe that scripts grep, under its words, N/A for none. */
    @Test
    void describeHasPm2sRows() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("namespace", "shop");
        env.put("version", "1.2.3");
        env.put("pm_pid_path", "/home/me/.jpm/pids/api-0.pid");
        env.put("node_version", "20.20.2");
        env.put("env", Map.of("NODE_ENV", "production"));
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("pm_id", 0L);
        process.put("name", "api");
        process.put("pm2_env", env);
        String described = Render.describe(new Json.Value(process));
        for (String row : List.of(
                "│ namespace         │ shop ",
                "│ version           │ 1.2.3 ",
                "│ pid path          │ /home/me/.jpm/pids/api-0.pid ",
                "│ node.js version   │ 20.20.2 ",
                "│ node env          │ production ",
                "│ script id         │ 0 ",
                "│ script args       │ N/A ")) {
            assertTrue(described.contains(row), row + " in\n" + described);
        }
        process.put("pm2_env", Map.of("env", Map.of()));
        String bare = Render.describe(new Json.Value(process));
        assertTrue(bare.contains("│ node env          │ N/A "), bare);
        assertTrue(bare.contains("│ namespace         │ default "), bare);
    }

    private static String names(List<ProcessView> processes) {
        return processes.stream().map(ProcessView::name).toList().toString();
    }

    /** pm2's columns in colour on a terminal: the codes take no room, so the box stays straight. */
    @Test
    void colourCodesDoNotBendTheBox() {
        boolean before = Render.colour;
        Render.colour = true;
        try {
            Map<String, Object> env = new LinkedHashMap<>();
            env.put("status", "online");
            env.put("exec_mode", "fork_mode");
            env.put("restart_time", 0L);
            env.put("version", "1.2.3");
            env.put("username", "me");
            env.put("watch", true);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("pm_id", 0L);
            p.put("name", "api");
            p.put("namespace", "default");
            p.put("pid", 42L);
            p.put("pm2_env", env);
            String table = Render.table(new Json.Value(List.of(p)));
            assertTrue(table.contains("\u001b[1;32monline\u001b[0m"), table);
            assertTrue(table.contains("enabled"), table);
            List<Integer> widths = table.lines()
                    .map(l -> l.replaceAll("\u001b\\[[0-9;]*m", "").length())
                    .distinct()
                    .toList();
            assertEquals(1, widths.size(), table);
        } finally {
            Render.colour = before;
        }
    }
}
