package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Editing an ecosystem file the daemon started apps from: each case checks the apps' pids before and
 * after, and the event published on jpm.events.config.
 */
@ExtendWith(JpmExtension.class)
@WithoutTuning
class HotReloadIT {
    private static final String APP = Jpm.fixture("envapp.sh").toString();

    private static String app(String name, String var) {
        return "{\"name\":\"" + name + "\",\"script\":\"" + APP + "\",\"kill_timeout\":3000,\"env\":{\"VAR\":\"" + var
                + "\"}}";
    }

    private static String apps(String... apps) {
        return "{\"apps\":[" + String.join(",", apps) + "]}\n";
    }

    /** Starts the file's apps and returns the pid of each app by name, once all are online. */
    private static Map<String, Integer> start(Jpm jpm, Path file, String text, String... names) throws IOException {
        Files.writeString(file, text);
        jpm.ok("start", file.toString());
        return pids(jpm, names);
    }

    private static Map<String, Integer> pids(Jpm jpm, String... names) {
        Map<String, Integer> pids = new LinkedHashMap<>();
        for (String name : names) {
            pids.put(name, jpm.awaitStatus(name, "online").get(0).getInteger("pid"));
        }
        return pids;
    }

    @Test
    void anAddedAppStartsAndTheOthersAreUntouched(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("add.json");
        Map<String, Integer> before = start(jpm, file, apps(app("add-a", "1")), "add-a");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, apps(app("add-a", "1"), app("add-b", "2")));
            JsonObject event = events.applied(file);
            assertEquals(new JsonArray().add("add-b"), event.getJsonArray("added"), event.encode());
            assertEquals(new JsonArray().add("add-a"), event.getJsonArray("unchanged"), event.encode());
        }
        Map<String, Integer> after = pids(jpm, "add-a", "add-b");
        assertEquals(before.get("add-a"), after.get("add-a"));
        assertEquals("2", Jpm.environ(after.get("add-b"), "VAR"));
    }

    @Test
    void aRemovedAppStopsAndIsDeleted(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("remove.json");
        Map<String, Integer> before = start(jpm, file, apps(app("rm-a", "1"), app("rm-b", "2")), "rm-a", "rm-b");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, apps(app("rm-a", "1")));
            assertEquals(new JsonArray().add("rm-b"), events.applied(file).getJsonArray("removed"));
        }
        assertEquals(List.of("rm-a"), jpm.names());
        Jpm.awaitGone(before.get("rm-b"));
        assertEquals(before.get("rm-a"), pids(jpm, "rm-a").get("rm-a"));
    }

    @Test
    void aChangedAppRestartsWithItsNewConfigAndOnlyIt(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("change.json");
        Map<String, Integer> before = start(jpm, file, apps(app("ch-a", "1"), app("ch-b", "1")), "ch-a", "ch-b");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, apps(app("ch-a", "1"), app("ch-b", "changed")));
            JsonObject event = events.applied(file);
            assertEquals(new JsonArray().add("ch-b"), event.getJsonArray("changed"), event.encode());
        }
        int newB = jpm.awaitNewPid("ch-b to run again", "ch-b", before.get("ch-b"));
        assertEquals("changed", Jpm.environ(newB, "VAR"));
        assertEquals(before.get("ch-a"), pids(jpm, "ch-a").get("ch-a"));
        Jpm.awaitGone(before.get("ch-b"));
    }

    @Test
    void aStoppedAppTakesItsNewConfigAndStaysStopped(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("stopped.json");
        start(jpm, file, apps(app("st-a", "1"), app("st-b", "1")), "st-a", "st-b");
        jpm.ok("stop", "st-b");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, apps(app("st-a", "1"), app("st-b", "2")));
            assertEquals(new JsonArray().add("st-b"), events.applied(file).getJsonArray("changed"));
        }
        assertEquals("stopped", Jpm.status(jpm.named("st-b").get(0)));
        jpm.ok("restart", "st-b");
        assertEquals("2", Jpm.environ(pids(jpm, "st-b").get("st-b"), "VAR"));
    }

    @Test
    void aFileStartedWithOnlyIsDiffedOverThoseAppsOnly(Jpm jpm) throws IOException {
        Path file = jpm.write("only.json", apps(app("on-a", "1"), app("on-b", "1")));
        jpm.ok("start", file.toString(), "--only", "on-a");
        int a = pids(jpm, "on-a").get("on-a");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, apps(app("on-a", "2"), app("on-b", "2"), app("on-c", "1")));
            JsonObject event = events.applied(file);
            assertEquals(new JsonArray().add("on-a"), event.getJsonArray("changed"), event.encode());
            assertTrue(event.getJsonArray("added").isEmpty(), event.encode());
        }
        int newA = Jpm.await("on-a to run again", () -> {
            JsonObject p = jpm.named("on-a").get(0);
            return "online".equals(Jpm.status(p)) && p.getInteger("pid") != a ? p.getInteger("pid") : null;
        });
        assertEquals("2", Jpm.environ(newA, "VAR"));
        assertEquals(List.of("on-a"), jpm.names());
        // an app gone from the file goes, selection or not
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, apps(app("on-b", "2")));
            assertEquals(new JsonArray().add("on-a"), events.applied(file).getJsonArray("removed"));
        }
        assertEquals(List.of(), jpm.names());
    }

    @Test
    void anEditAfterUpdateEnvKeepsTheUpdatedEnv(Jpm jpm) throws IOException {
        Path file = jpm.write("updated.json", apps(app("up-a", "1")));
        jpm.cli(Map.of("JPM_CLIENT_VAR", "one"), "start", file.toString());
        int first = pids(jpm, "up-a").get("up-a");
        assertEquals(
                0,
                jpm.cli(Map.of("JPM_CLIENT_VAR", "two"), "restart", file.toString(), "--update-env")
                        .exit());
        int second = Jpm.await("up-a restarted", () -> {
            JsonObject p = jpm.named("up-a").get(0);
            return "online".equals(Jpm.status(p)) && p.getInteger("pid") != first ? p.getInteger("pid") : null;
        });
        assertEquals("two", Jpm.environ(second, "JPM_CLIENT_VAR"));
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, apps(app("up-a", "1"), app("up-b", "1")));
            assertEquals(new JsonArray().add("up-a"), events.applied(file).getJsonArray("unchanged"));
        }
        assertEquals(second, pids(jpm, "up-a", "up-b").get("up-a"));
        assertEquals("two", Jpm.environ(pids(jpm, "up-b").get("up-b"), "JPM_CLIENT_VAR"));
    }

    /**
     * After a resurrect, and options given on the command line, an edit restarts the app it
     * changes and only it, each app re-read with the file's env (not another app's).
     */
    @Test
    void afterAResurrectAnEditRestartsOnlyTheAppItChanges(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("resurrected.json");
        String onlyA = "{\"name\":\"res-a\",\"script\":\"" + APP + "\",\"env\":{\"VAR\":\"1\",\"ONLY_A\":\"a\"}}";
        start(jpm, file, apps(onlyA, app("res-b", "1"), app("res-e", "1")), "res-a", "res-b", "res-e");
        jpm.ok("restart", "res-b", "--kill-timeout", "2000"); // no edit of the file
        jpm.ok("save");
        jpm.ok("kill");
        jpm.ok("resurrect");
        Map<String, Integer> before = pids(jpm, "res-a", "res-b", "res-e");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, apps(onlyA.replace("\"1\"", "\"2\""), app("res-b", "1"), app("res-e", "1")));
            JsonObject event = events.applied(file);
            assertEquals(new JsonArray().add("res-a"), event.getJsonArray("changed"), event.encode());
            Files.writeString(file, apps(onlyA.replace("\"1\"", "\"2\""), app("res-b", "3"), app("res-e", "1")));
            event = events.applied(file);
            assertEquals(new JsonArray().add("res-b"), event.getJsonArray("changed"), event.encode());
        }
        Map<String, Integer> after = pids(jpm, "res-a", "res-b", "res-e");
        assertEquals(before.get("res-e"), after.get("res-e"));
        assertEquals("2", Jpm.environ(after.get("res-a"), "VAR"));
        assertEquals("3", Jpm.environ(after.get("res-b"), "VAR"));
        assertEquals(null, Jpm.environ(after.get("res-b"), "ONLY_A"), "res-a's env is not res-b's");
    }

    @Test
    void anEditThatChangesNothingTouchesNothing(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("same.json");
        Map<String, Integer> before = start(jpm, file, apps(app("same-a", "1")), "same-a");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            // other text, same meaning: the file is read again and diffed, and nothing differs
            Files.writeString(file, "{ \"apps\": [\n  " + app("same-a", "1") + "\n] }\n");
            JsonObject event = events.applied(file);
            assertEquals(new JsonArray().add("same-a"), event.getJsonArray("unchanged"), event.encode());
            assertTrue(event.getJsonArray("changed").isEmpty()
                    && event.getJsonArray("added").isEmpty());
        }
        JsonObject a = jpm.named("same-a").get(0);
        assertEquals(before.get("same-a"), a.getInteger("pid"));
        assertEquals(0, a.getJsonObject("pm2_env").getInteger("restart_time"));
    }

    /**
     * A pm2 user does not expect a save of the file to restart an app: its start says that it does
     * here, and how to turn that off, in one line; not when the file or jpm.json names hot_reload.
     */
    @Test
    void aStartOfAFileSaysInOneLineThatASaveAppliesAndHowToTurnItOff(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("said.json");
        Files.writeString(file, apps(app("said-a", "1")));
        String out = jpm.ok("start", file.toString()).out();
        assertEquals(
                List.of("[jpm] hot reload: a saved edit of " + file + " applies at once (pm2 waits for a restart);"
                        + " turn it off with hot_reload: false beside apps in the file, or jpm set"
                        + " ecosystem.hot_reload false"),
                out.lines().filter(line -> line.contains("hot reload")).toList(),
                out);

        Path off = jpm.scratch.resolve("said-off.json");
        Files.writeString(off, "{\"hot_reload\": false, \"apps\":[" + app("said-b", "1") + "]}\n");
        out = jpm.ok("start", off.toString()).out();
        assertFalse(out.contains("hot reload"), out);
        jpm.ok("set", "ecosystem.hot_reload", "false");
        try {
            Path quiet = jpm.scratch.resolve("said-quiet.json");
            Files.writeString(quiet, apps(app("said-c", "1")));
            out = jpm.ok("start", quiet.toString()).out();
            assertFalse(out.contains("hot reload"), out);
        } finally {
            jpm.ok("unset", "ecosystem.hot_reload");
        }
    }

    /** pm2's habit, per file: with "hot_reload": false an edit waits until the file is reloaded. */
    @Test
    void aFileWithHotReloadOffKeepsItsEditWaitingUntilReloaded(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("manual.json");
        Map<String, Integer> before =
                start(jpm, file, "{\"hot_reload\": false, \"apps\":[" + app("manual-a", "1") + "]}\n", "manual-a");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, "{\"hot_reload\": false, \"apps\":[" + app("manual-a", "2") + "]}\n");
            events.waiting(file);
        }
        assertEquals(before, pids(jpm, "manual-a"), "nothing restarted");
        assertTrue(jpm.ok("ls")
                .out()
                .contains(file + ": edited, not applied (hot reload is off): jpm reload " + file + " applies it"));

        jpm.ok("reload", file.toString());
        int after = jpm.awaitNewPid("manual-a reloaded", "manual-a", before.get("manual-a"));
        assertEquals("2", Jpm.environ(after, "VAR"));
        Jpm.await("the waiting edit shown as applied", () -> jpm.ok("ls").out().contains("not applied") ? null : true);
    }

    /** The same habit for every file, from jpm.json (jpm set ecosystem.hot_reload false). */
    @Test
    void hotReloadOffInTheSettingsLeavesEveryEditWaiting(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("settings-off.json");
        Map<String, Integer> before = start(jpm, file, apps(app("off-a", "1")), "off-a");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            jpm.ok("set", "ecosystem.hot_reload", "false");
            events.await(jpm.home.resolve("jpm.json"), e -> "applied".equals(e.getString("status")));
            Files.writeString(file, apps(app("off-a", "2")));
            events.waiting(file);
        } finally {
            jpm.ok("unset", "ecosystem.hot_reload");
        }
        assertEquals(before, pids(jpm, "off-a"), "nothing restarted");
    }

    @Test
    void malformedJsonIsRefusedAndTheLastGoodConfigKeepsRunning(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("malformed.json");
        Map<String, Integer> before = start(jpm, file, apps(app("bad-a", "1")), "bad-a");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, "{\"apps\":[{\"name\":\"bad-a\",");
            JsonObject event = events.refused(file);
            assertTrue(
                    event.getString("error").matches(Pattern.quote(file.toString()) + ":\\d+:\\d+: not valid JSON.*"),
                    event.encode());
        }
        String table = jpm.ok("ls").out();
        assertTrue(table.contains(file + ": last edit refused: " + file + ":1:"), table);
        assertTrue(table.contains(": not valid JSON"), table);
        assertEquals(before, pids(jpm, "bad-a"));
        // fixing the file applies it and clears the error
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, apps(app("bad-a", "1"), app("bad-b", "2")));
            events.applied(file);
        }
        assertTrue(!jpm.ok("ls").out().contains("last edit refused"));
        assertEquals(before.get("bad-a"), pids(jpm, "bad-a", "bad-b").get("bad-a"));
    }

    @Test
    void validJsonWithABadOptionIsRefusedNamingTheAppAndTheOption(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("badoption.json");
        Map<String, Integer> before = start(jpm, file, apps(app("opt-a", "1")), "opt-a");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            // a valid app added next to an invalid one: nothing of the file is applied
            Files.writeString(
                    file,
                    apps(
                            app("opt-a", "2").replace("\"kill_timeout\":3000", "\"kill_timeout\":\"soon\""),
                            app("opt-b", "1")));
            JsonObject event = events.refused(file);
            String error = event.getString("error");
            assertTrue(error.contains(file + ": app 'opt-a': option 'kill_timeout' must be a duration"), error);
        }
        assertEquals(List.of("opt-a"), jpm.names());
        assertEquals(before, pids(jpm, "opt-a"));
        assertTrue(jpm.ok("ls").out().contains("option 'kill_timeout'"));
    }

    @Test
    void anUnknownOptionInAnEditIsAppliedWithAWarning(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("typo-edit.json");
        start(jpm, file, apps(app("typo-a", "1")), "typo-a");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(
                    file, apps(app("typo-a", "1").replace("\"kill_timeout\"", "\"kill_timout\""), app("typo-b", "1")));
            JsonObject event = events.applied(file);
            assertEquals(new JsonArray().add("typo-b"), event.getJsonArray("added"), event.encode());
            assertEquals(
                    new JsonArray()
                            .add(file + ": app 'typo-a': option 'kill_timout' is not a known option: ignored;"
                                    + " did you mean 'kill_timeout'?"),
                    event.getJsonArray("warnings"),
                    event.encode());
        }
        jpm.awaitStatus("typo-b", "online");
        assertTrue(
                jpm.ok("ls").out().contains("typo-a: 1 warning reading its options"),
                jpm.ok("ls").out());
    }

    @Test
    void aDeletedFileIsReportedAndItsAppsKeepRunning(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("deleted.json");
        Map<String, Integer> before = start(jpm, file, apps(app("del-a", "1")), "del-a");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.delete(file);
            assertTrue(events.refused(file).getString("error").contains("the file was deleted"));
        }
        assertEquals(before, pids(jpm, "del-a"));
        // the file comes back changed: applied
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Files.writeString(file, apps(app("del-a", "back")));
            assertEquals(new JsonArray().add("del-a"), events.applied(file).getJsonArray("changed"));
        }
        int pid = jpm.awaitNewPid("del-a to run again", "del-a", before.get("del-a"));
        assertEquals("back", Jpm.environ(pid, "VAR"));
    }

    @Test
    void aFileReplacedByRenameAsEditorsSaveIsApplied(Jpm jpm) throws IOException {
        Path file = jpm.scratch.resolve("renamed.json");
        Map<String, Integer> before = start(jpm, file, apps(app("ren-a", "1"), app("ren-b", "1")), "ren-a", "ren-b");
        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Path swap = jpm.write(".renamed.json.swp", apps(app("ren-a", "1"), app("ren-c", "3")));
            Files.move(swap, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            JsonObject event = events.applied(file);
            assertEquals(new JsonArray().add("ren-c"), event.getJsonArray("added"), event.encode());
            assertEquals(new JsonArray().add("ren-b"), event.getJsonArray("removed"), event.encode());
        }
        assertEquals(List.of("ren-a", "ren-c"), jpm.names());
        assertEquals(before.get("ren-a"), pids(jpm, "ren-a", "ren-c").get("ren-a"));
        Jpm.awaitGone(before.get("ren-b"));
        assertNotEquals(before.get("ren-b"), pids(jpm, "ren-c").get("ren-c"));
    }
}
