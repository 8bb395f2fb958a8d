package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * jpm under pm2's name (compat/jpm-as-pm2, JPM_FILE_NAMES=pm2) keeps pm2's files in the home, as pm2's
 * own e2e files and a pm2 user's scripts read them: the daemon's pid in pm2.pid, the saved list in
 * dump.pm2 (pm2's array of processes) with dump.pm2.bak beside it, which resurrect reads. Each
 * scenario runs against jpm-as-pm2, and against pm2 7 too with PM2_DIFF=1.
 */
class Pm2FileNamesIT {
    private static final String IDLE_JS =
            "setInterval(() => {}, 1000);\nprocess.on('SIGINT', () => process.exit(0));\n";

    private static String view(Manager m) {
        return m.processes().stream()
                .map(p -> p.getInteger("pm_id") + " " + p.getString("name") + " " + Jpm.status(p))
                .sorted()
                .collect(Collectors.joining("\n"));
    }

    /** pm2's cli-actions-2.sh: {@code kill `cat ~/.pm2/pm2.pid`} stops the daemon, and its apps with it. */
    @EachManager("jpm-as-pm2")
    void thePidInPm2PidIsTheDaemonsAndATermStopsItWithItsApps(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.ok("start", "idle.js", "--name", "a");
        int app = m.awaitStatus("a", 1, "online").get(0).getInteger("pid");
        Path pidFile = m.home.resolve("pm2.pid");
        assertTrue(Files.isRegularFile(pidFile), m.tool + ": no pm2.pid in " + m.home);
        assertFalse(Files.exists(m.home.resolve("jpm.pid")), m.tool + ": jpm's name beside pm2's");
        long daemon = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(Jpm.alive(daemon), m.tool + ": pm2.pid names no live process");

        new ProcessBuilder("kill", Long.toString(daemon)).start().waitFor();
        Jpm.awaitGone(daemon);
        Jpm.awaitGone(app);
        Jpm.await(m.tool + ": pm2.pid removed by the daemon's stop", () -> Files.exists(pidFile) ? null : true);
    }

    /** pm2's dump.sh: save writes dump.pm2, an array with a process's pm2_env per process; resurrect reads it. */
    @EachManager("jpm-as-pm2")
    void saveWritesDumpPm2AsPm2sArrayOfProcessesAndResurrectReadsIt(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.ok("start", "idle.js", "--name", "a", "-i", "2");
        m.ok("start", "idle.js", "--name", "b");
        m.awaitStatus("a", 2, "online");
        m.awaitStatus("b", 1, "online");
        m.ok("stop", "b");
        m.awaitStatus("b", 1, "stopped");
        m.ok("save");

        JsonArray dump = new JsonArray(Files.readString(m.home.resolve("dump.pm2")));
        assertEquals(3, dump.size(), m.tool + ": one object per process: " + dump.encode());
        for (int i = 0; i < 3; i++) {
            JsonObject process = dump.getJsonObject(i);
            assertEquals(i < 2 ? "a" : "b", process.getString("name"), m.tool);
            assertEquals(i < 2 ? "online" : "stopped", process.getString("status"), m.tool);
            assertEquals(m.scratch.resolve("idle.js").toString(), process.getString("pm_exec_path"), m.tool);
            assertEquals(m.scratch.toString(), process.getString("pm_cwd"), m.tool);
            assertEquals(m.home.toString(), process.getJsonObject("env").getString("PM2_HOME"), m.tool);
            assertFalse(process.containsKey("pm_id"), m.tool + ": pm2's save drops pm_id");
        }
        assertFalse(Files.exists(m.home.resolve("dump.json")), m.tool + ": jpm's name beside pm2's");

        m.ok("kill");
        m.ok("resurrect");
        m.awaitStatus("a", 2, "online");
        assertEquals("0 a online\n1 a online\n2 b stopped", view(m));
    }

    /**
     * A pm2 user's own dump.pm2, written by pm2 itself: jpm under pm2's name in that home resurrects
     * its apps, with their instances, arguments, environment and log files, and keeps stopped what
     * was saved stopped. Needs pm2 (PM2_DIFF=1, as the differential scenarios).
     */
    @Test
    void aDumpPm2ThatPm2ItselfWroteIsResurrected() throws Exception {
        assumeTrue("1".equals(System.getenv("PM2_DIFF")), "PM2_DIFF=1 runs pm2");
        try (Manager pm2 = Manager.of("pm2")) {
            pm2.write("idle.js", IDLE_JS);
            pm2.ok(Map.of("FROM_SHELL", "yes"), "start", "idle.js", "--name", "a", "-i", "2");
            pm2.ok("start", "idle.js", "--name", "b", "--", "x", "y");
            pm2.awaitStatus("a", 2, "online");
            pm2.awaitStatus("b", 1, "online");
            pm2.ok("stop", "b");
            pm2.ok("save");
            Map<String, String> logs = new TreeMap<>();
            pm2.processes()
                    .forEach(p -> logs.put(
                            p.getInteger("pm_id") + " " + p.getString("name"),
                            p.getJsonObject("pm2_env").getString("pm_out_log_path")));
            pm2.ok("kill");

            try (Manager jpm = pm2.jpmAsPm2Here()) {
                jpm.ok("resurrect");
                List<JsonObject> a = jpm.awaitStatus("a", 2, "online");
                assertEquals("0 a online\n1 a online\n2 b stopped", view(jpm));
                for (JsonObject p : a) {
                    assertEquals("cluster_mode", p.getJsonObject("pm2_env").getString("exec_mode"));
                    assertEquals("yes", Jpm.environ(p.getInteger("pid"), "FROM_SHELL"), "the env pm2 ran it with");
                }
                JsonObject b = jpm.processes().stream()
                        .filter(p -> p.getString("name").equals("b"))
                        .findFirst()
                        .orElseThrow()
                        .getJsonObject("pm2_env");
                assertEquals(List.of("x", "y"), b.getJsonArray("args").getList());
                Map<String, String> jpmLogs = new TreeMap<>();
                jpm.processes()
                        .forEach(p -> jpmLogs.put(
                                p.getInteger("pm_id") + " " + p.getString("name"),
                                p.getJsonObject("pm2_env").getString("pm_out_log_path")));
                assertEquals(logs, jpmLogs, "the log files pm2 wrote to");
            }
        }
    }

    /** pm2's resurrect.sh: a dump.pm2 that does not parse gives way to dump.pm2.bak, the previous save. */
    @EachManager("jpm-as-pm2")
    void aBrokenDumpPm2GivesWayToDumpPm2Bak(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.ok("start", "idle.js", "--name", "z");
        m.ok("save");
        m.ok("start", "idle.js", "--name", "y");
        m.ok("save"); // the first save is dump.pm2.bak now
        Files.writeString(m.dumpFile(), "[{\n");
        m.ok("kill");
        m.ok("resurrect");
        m.awaitStatus("z", 1, "online");
        assertEquals("0 z online", view(m));
        assertTrue(
                !Files.exists(m.dumpFile()) || !Files.readString(m.dumpFile()).startsWith("[{\n"),
                m.tool + ": the broken dump is still there");
    }
}
