package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * save, resurrect, the dump kept by the daemon, a SIGKILLed daemon replaced without duplicates or
 * leftovers of a killed daemon, the settings file, and the systemd unit. Each test has its own JPM_HOME and daemon.
 */
@WithoutTuning
class PersistIT {
    private static final String APP = Jpm.fixture("envapp.sh").toString();

    private static JsonArray dumpedApps(Path file) throws IOException {
        return new JsonObject(Files.readString(file)).getJsonArray("apps");
    }

    @Test
    void aSigkilledDaemonWithoutItsKeeperIsReplacedAndEveryAppComesBackOnceWithItsEnv() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path file = jpm.write(
                    "eco.json",
                    "{\"apps\":[{\"name\":\"api\",\"script\":\"" + APP
                            + "\",\"instances\":2,\"env\":{\"VAR\":\"from-file\"}}]}");
            // no keeper (no perl): the next daemon cannot adopt them (AdoptionIT), it replaces them
            assertEquals(
                    0,
                    jpm.cli(Map.of("JPM_KEEPER", "0"), "start", file.toString()).exit());
            jpm.cli(Map.of("JPM_CLIENT_VAR", "from-shell"), "start", APP, "--name", "solo");
            List<Integer> before = jpm.awaitStatus("api", "online").stream()
                    .map(p -> p.getInteger("pid"))
                    .toList();
            int soloBefore = jpm.pidOf("solo");
            // the daemon keeps its own record current: no save needed, and the user's dump is not touched
            Jpm.await("the daemon's record to hold both apps with their pids", () -> {
                try {
                    JsonArray apps = Files.isRegularFile(jpm.home.resolve("state.json"))
                            ? dumpedApps(jpm.home.resolve("state.json"))
                            : new JsonArray();
                    return apps.size() == 2
                                    && apps.stream().allMatch(a -> !((JsonObject) a)
                                            .getJsonArray("processes")
                                            .isEmpty())
                            ? true
                            : null;
                } catch (IOException e) {
                    return null;
                }
            });

            long daemon = jpm.daemonPid();
            new ProcessBuilder("kill", "-KILL", Long.toString(daemon)).start().waitFor();
            Jpm.awaitGone(daemon);
            assertTrue(Jpm.alive(soloBefore), "apps outlive a SIGKILLed daemon (their own sessions)");

            jpm.ok("ping"); // a new daemon: it stops the leftovers, then resurrects
            assertEquals(List.of("api", "api", "solo"), Jpm.await("the apps back", () -> {
                List<String> names = jpm.names();
                return names.size() == 3 ? names : null;
            }));
            List<JsonObject> api = jpm.awaitStatus("api", "online");
            int solo = jpm.pidOf("solo");
            for (int pid : before) {
                Jpm.awaitGone(pid);
            }
            Jpm.awaitGone(soloBefore);
            for (JsonObject p : api) {
                assertFalse(before.contains(p.getInteger("pid")));
                assertEquals("from-file", Jpm.environ(p.getInteger("pid"), "VAR"));
            }
            assertEquals("from-shell", Jpm.environ(solo, "JPM_CLIENT_VAR"));
            // the file is watched again by the new daemon
            try (ConfigEvents events = new ConfigEvents(jpm.home)) {
                Files.writeString(
                        file,
                        "{\"apps\":[{\"name\":\"api\",\"script\":\"" + APP
                                + "\",\"instances\":2,\"env\":{\"VAR\":\"from-file\"}},"
                                + "{\"name\":\"more\",\"script\":\"" + APP + "\"}]}");
                assertEquals(new JsonArray().add("more"), events.applied(file).getJsonArray("added"));
            }
            jpm.pidOf("more");
        }
    }

    @Test
    void withoutADumpTheLeftoversOfASigkilledDaemonAreStoppedFromThePidFiles() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.settings(new JsonObject().put("persist", new JsonObject().put("auto_dump", false)));
            jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "orphan");
            int pid = jpm.pidOf("orphan");
            long grandchild = jpm.grandchildOf(pid);
            Path pidFile = jpm.home.resolve("pids").resolve("orphan-0.pid");
            Jpm.await("the pid file", () -> Files.isRegularFile(pidFile) ? true : null);
            long daemon = jpm.daemonPid();
            new ProcessBuilder("kill", "-KILL", Long.toString(daemon)).start().waitFor();
            Jpm.awaitGone(daemon);
            assertTrue(Jpm.alive(pid));

            jpm.ok("ping");
            Jpm.awaitGone(pid);
            Jpm.awaitGone(grandchild);
            assertEquals(List.of(), jpm.names(), "auto_dump is off: nothing is resurrected");
            assertFalse(Files.exists(jpm.home.resolve("dump.json")));
            assertFalse(Files.exists(jpm.home.resolve("state.json")));
        }
    }

    @Test
    void resurrectFallsBackToTheBakWhenTheDumpIsCorrupted() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.cli(Map.of("JPM_CLIENT_VAR", "kept"), "start", APP, "--name", "one");
            jpm.ok("start", APP, "--name", "two");
            jpm.pidOf("one");
            jpm.pidOf("two");
            jpm.ok("save");
            jpm.ok("save"); // the first save is now dump.json.bak
            jpm.ok("kill");
            Files.writeString(jpm.home.resolve("dump.json"), "{\"apps\":[{\"name\":\"one\",");

            Jpm.Result resurrected = jpm.ok("resurrect");
            assertTrue(
                    resurrected.out().contains("resurrecting from " + jpm.home.resolve("dump.json.bak")),
                    resurrected.toString());
            assertEquals(List.of("one", "two"), jpm.names());
            assertEquals("kept", Jpm.environ(jpm.pidOf("one"), "JPM_CLIENT_VAR"));

            // a second resurrect starts only what does not run
            int one = jpm.pidOf("one");
            Jpm.Result again = jpm.ok("resurrect");
            assertTrue(again.out().contains("one already runs"), again.toString());
            assertEquals(List.of("one", "two"), jpm.names());
            assertEquals(one, jpm.pidOf("one"));
        }
    }

    /** The issue "save is the user's snapshot": what runs after a save never changes what resurrect brings back. */
    @Test
    void resurrectBringsBackExactlyWhatWasSavedAndTheBakSurvivesACorruptedDump() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", APP, "--name", "saved");
            jpm.ok("start", APP, "--name", "deleted-later");
            jpm.pidOf("saved");
            jpm.pidOf("deleted-later");
            jpm.ok("save");
            jpm.ok("delete", "deleted-later");
            jpm.ok("start", APP, "--name", "never-saved");
            jpm.pidOf("never-saved");
            jpm.ok("kill");

            jpm.ok("resurrect");
            assertEquals(List.of("deleted-later", "saved"), jpm.names(), "exactly the saved list");

            Files.writeString(jpm.home.resolve("dump.json"), "garbage");
            jpm.ok("delete", "all");
            Jpm.Result again = jpm.ok("resurrect");
            assertTrue(
                    again.out().contains("resurrecting from " + jpm.home.resolve("dump.json.bak")), again.toString());
            assertEquals(List.of("deleted-later", "saved"), jpm.names());

            jpm.ok("cleardump");
            assertEquals(0, dumpedApps(jpm.home.resolve("dump.json")).size());
        }
    }

    /** pm2 keeps a process stopped when saved stopped; its dump entry has no processes. */
    @Test
    void anInstanceStoppedWhenSavedStaysStoppedAfterAResurrect() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", APP, "--name", "halted");
            jpm.ok("start", APP, "--name", "pair", "-i", "2");
            jpm.awaitStatus("pair", "online");
            jpm.ok("stop", "halted");
            jpm.ok("stop", String.valueOf(jpm.named("pair").get(0).getInteger("pm_id")));
            jpm.ok("save");
            jpm.ok("kill");

            jpm.ok("resurrect");
            assertEquals(
                    List.of("stopped"),
                    jpm.named("halted").stream().map(Jpm::status).toList());
            Jpm.await(
                    "pair's second instance online, its first stopped",
                    () -> List.of("stopped", "online")
                                    .equals(jpm.named("pair").stream()
                                            .map(Jpm::status)
                                            .toList())
                            ? true
                            : null);
            jpm.ok("start", "halted");
            jpm.pidOf("halted");
        }
    }

    @Test
    void savingAnEmptyListWarnsAndKeepsTheDumpUnlessForced() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.settings(new JsonObject().put("persist", new JsonObject().put("auto_dump", false)));
            jpm.ok("start", APP, "--name", "keep");
            jpm.pidOf("keep");
            Jpm.Result saved = jpm.ok("save");
            assertTrue(saved.out().contains("saved 1 app(s)"), saved.toString());
            jpm.ok("delete", "all");
            assertEquals(
                    1, dumpedApps(jpm.home.resolve("dump.json")).size(), "auto_dump is off: delete leaves the dump");

            Jpm.Result empty = jpm.ok("save");
            assertTrue(empty.err().contains("warning: no app to save"), empty.toString());
            assertEquals(1, dumpedApps(jpm.home.resolve("dump.json")).size());

            jpm.ok("save", "--force");
            assertEquals(0, dumpedApps(jpm.home.resolve("dump.json")).size());
            assertEquals(1, dumpedApps(jpm.home.resolve("dump.json.bak")).size());
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(jpm.home.resolve("dump.json"))));
        }
    }

    @Test
    void theSettingsFileReloadsAndABadEditIsRefused() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.settings(new JsonObject().put("persist", new JsonObject().put("auto_dump", false)));
            jpm.ok("ping");
            Path settings = jpm.home.resolve("jpm.json");
            try (ConfigEvents events = new ConfigEvents(jpm.home)) {
                Files.writeString(settings, "{\"persist\":{\"autoDump\":true}}");
                JsonObject refused = events.refused(settings);
                assertTrue(
                        refused.getString("error")
                                .contains(
                                        "persist: option 'autoDump' is not a known option (did you mean 'auto_dump'?)"),
                        refused.encode());
                assertTrue(jpm.ok("ls").out().contains(settings + ": last edit refused"));
                Files.writeString(settings, "{\"persist\":{\"auto_dump\":true}}");
                assertEquals("settings", events.applied(settings).getString("kind"));
            }
            jpm.ok("start", APP, "--name", "dumped");
            Jpm.await("auto_dump, switched on, to write the daemon's record", () -> {
                try {
                    Path dump = jpm.home.resolve("state.json");
                    return Files.isRegularFile(dump) && dumpedApps(dump).size() == 1 ? true : null;
                } catch (IOException e) {
                    return null;
                }
            });
        }
    }

    @Test
    void startupWritesASystemdUnitAndUnstartupRemovesIt() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path units = jpm.scratch.resolve("units");
            Map<String, String> env = Map.of("JPM_SYSTEMD_DIR", units.toString());
            Jpm.Result result = jpm.cli(env, "startup", "systemd");
            assertEquals(0, result.exit(), result.toString());
            String user = System.getProperty("user.name");
            Path unit = units.resolve("jpm-" + user + ".service");
            String text = Files.readString(unit);
            assertTrue(text.contains("\nUser=" + user + "\n"), text);
            assertTrue(text.contains("\nEnvironment=JPM_HOME=" + jpm.home + "\n"), text);
            // perl is on the PATH here: systemd follows the keeper, which outlives the daemon
            assertTrue(text.contains("\nPIDFile=" + jpm.home.resolve("keeper.pid") + "\n"), text);
            assertTrue(text.contains("\nType=forking\n"), text);
            assertTrue(text.matches("(?s).*\nExecStart=\\S+.* resurrect\n.*"), text);
            assertTrue(text.contains(" kill\n"), text);
            assertTrue(text.contains("WantedBy=multi-user.target"), text);
            assertFalse(Files.exists(jpm.home.resolve("jpm.pid")), "startup needs no daemon");

            assertEquals(1, jpm.cli(env, "startup", "upstart").exit());
            assertEquals(0, jpm.cli(env, "unstartup").exit());
            assertFalse(Files.exists(unit));
        }
    }
}
