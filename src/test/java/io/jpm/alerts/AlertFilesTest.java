package io.jpm.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmHome;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** alerts.json and exceptions.json: written and read back whole; a damaged one starts its part empty, said once. */
class AlertFilesTest {
    @TempDir
    Path home;

    private AlertFiles files() {
        return new AlertFiles(new JpmHome(home));
    }

    private static Alert firing(long id, String app) {
        return new Alert(id, "down", "errored", app, Alert.FIRING, app + " is errored", 1_000 + id);
    }

    @Test
    void whatIsWrittenIsReadBackWithTheGroupsCountsAndFirstSeen() throws IOException {
        AlertLog log = new AlertLog();
        log.add(firing(1, "api"), "box").getJsonObject("deliveries").put("ops", "sent (HTTP 200)");
        log.add(firing(2, "web"), "box");
        ExceptionGroups groups = new ExceptionGroups();
        groups.add(
                "api",
                0,
                "Error: disk 12 full",
                "at write (/srv/a.js:1:1)",
                "Error: disk 12 full\n  at ..",
                "stderr",
                5);
        groups.add("api", 0, "Error: disk 13 full", "at write (/srv/a.js:1:1)", "", "stderr", 9);
        CarriedRules rules = new CarriedRules(
                List.of(new CarriedRules.Firing("down", "api", 1_001, true)),
                java.util.Map.of("down", List.of(1_001L)),
                java.util.Map.of("api", List.of(900L, 950L)));
        files().writeAlerts(log.newest(AlertLog.MAX_ALERTS), rules);
        files().writeExceptions(groups.save());
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("alerts.json"))));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("exceptions.json"))));

        AlertFiles.Loaded read = files().load();
        assertEquals(List.of(), read.problems());
        assertEquals(log.newest(10), read.log().newest(10));
        assertEquals(2, read.log().lastId());
        JsonObject group =
                read.exceptions().answer(null, 10).getJsonArray("groups").getJsonObject(0);
        assertEquals(2, group.getLong("count"));
        assertEquals(5, group.getLong("first_seen"));
        assertEquals(9, group.getLong("last_seen"));
        assertEquals(rules.toJson(), read.rules().toJson());
        // the same error once more after the restart: counted in the group read back
        read.exceptions().add("api", 0, "Error: disk 14 full", "at write (/srv/a.js:1:1)", "", "stderr", 20);
        assertEquals(
                3,
                read.exceptions()
                        .answer("api", 10)
                        .getJsonArray("groups")
                        .getJsonObject(0)
                        .getLong("count"));
    }

    @Test
    void noFilesIsAnEmptyStartWithoutAProblem() {
        AlertFiles.Loaded read = files().load();
        assertEquals(List.of(), read.problems());
        assertEquals(0, read.log().newest(10).size());
        assertEquals(0, read.exceptions().answer(null, 10).getInteger("total_groups"));
    }

    @Test
    void aCorruptOrForeignFileIsOneProblemLineAndAnEmptyStart() throws IOException {
        for (String text : List.of(
                "{\"alerts\":[{\"id\":1,\"rule\":\"down\"", // cut short by a full disk
                "\u0000\u0001garbage",
                "[1,2,3]",
                "{\"alerts\":[{\"id\":\"one\"}]}",
                "{\"alerts\":5}")) {
            Files.writeString(home.resolve("alerts.json"), text);
            Files.writeString(home.resolve("exceptions.json"), text);
            AlertFiles.Loaded read = files().load();
            assertEquals(2, read.problems().size(), text + ": " + read.problems());
            assertTrue(
                    read.problems().get(0).startsWith("cannot read " + home.resolve("alerts.json") + ": "),
                    read.problems().get(0));
            assertTrue(read.problems().get(1).startsWith("cannot read " + home.resolve("exceptions.json") + ": "));
            read.problems().forEach(p -> assertEquals(1, p.lines().count(), p));
            assertEquals(0, read.log().newest(10).size(), text);
            assertEquals(0, read.exceptions().answer(null, 10).getInteger("total_groups"), text);
            assertEquals(0, read.rules().firing().size(), text);
        }
    }

    @Test
    void aFolderOrALinkInThePlaceOfAFileIsAProblemNotAFailedStart() throws IOException {
        Files.createDirectory(home.resolve("alerts.json"));
        Path elsewhere = Files.writeString(home.resolve("elsewhere"), "{\"groups\":[]}");
        Files.createSymbolicLink(home.resolve("exceptions.json"), elsewhere);
        AlertFiles.Loaded read = files().load();
        assertEquals(2, read.problems().size(), read.problems().toString());
        assertTrue(
                read.problems().get(1).contains("symbolic link"),
                read.problems().get(1));
    }

    @Test
    void theCapsHoldOnDiskAsInMemory() throws IOException {
        ExceptionGroups groups = new ExceptionGroups();
        for (int i = 0; i < ExceptionGroups.MAX_GROUPS + 20; i++) {
            groups.add("app" + i, 0, "Error: boom", "at f", "x".repeat(ExceptionGroups.MAX_STACK * 2), "stderr", i);
        }
        AlertLog log = new AlertLog();
        for (int i = 1; i <= AlertLog.MAX_ALERTS + 20; i++) {
            log.add(firing(i, "a"), "box");
        }
        files().writeAlerts(log.newest(AlertLog.MAX_ALERTS), CarriedRules.none());
        files().writeExceptions(groups.save());
        AlertFiles.Loaded read = files().load();
        assertEquals(AlertLog.MAX_ALERTS, read.log().newest(Integer.MAX_VALUE).size());
        JsonObject answer = read.exceptions().answer(null, Integer.MAX_VALUE);
        assertEquals(ExceptionGroups.MAX_GROUPS, answer.getInteger("total_groups"));
        assertEquals(20, answer.getLong("dropped_groups"));
        // the one seen longest ago went: app0..app19
        assertTrue(answer.encode().contains("\"app\":\"app20\""));
        assertTrue(!answer.encode().contains("\"app\":\"app19\""));
        assertTrue(Files.size(home.resolve("exceptions.json")) < 6L << 20, "bounded on disk");
    }
}
