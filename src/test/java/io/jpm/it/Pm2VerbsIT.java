package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pm2's verbs and flags that scripts call, beyond the differential scenarios: jpm's own output and errors. */
@ExtendWith(JpmExtension.class)
class Pm2VerbsIT {

    @Test
    void ecosystemWritesASampleAndStartWithNoArgumentStartsIt(Jpm jpm) throws Exception {
        Path file = jpm.scratch.resolve("ecosystem.config.js");
        Files.deleteIfExists(file);
        Jpm.Result written = jpm.ok("ecosystem", "simple");
        assertTrue(written.out().contains("File " + file + " generated"), written.toString());
        assertTrue(Files.readString(file).contains("script: './app.js'"));

        Files.writeString(
                file, "module.exports = { apps: [{ name: 'sample', script: '" + Jpm.fixture("idle.sh") + "' }] };\n");
        jpm.ok("start");
        jpm.awaitStatus("sample", "online");
        Files.delete(file);
    }

    /**
     * pm2's init writes its sample over a file that is there (pm2's cli-actions-1.sh runs it in a folder
     * that has one, and expects exit 0); jpm does too, and keeps the file that was there beside it.
     */
    @Test
    void initOverAFileOfTheUsersKeepsItBesideTheSample(Jpm jpm) throws Exception {
        Path file = jpm.scratch.resolve("ecosystem.config.js");
        String mine = "module.exports = { apps: [{ name: 'mine', script: 'x.js' }] };\n";
        Files.writeString(file, mine);
        Jpm.Result first = jpm.ok("init", "simple");
        Path bak = jpm.scratch.resolve("ecosystem.config.js.bak");
        assertTrue(first.out().contains("kept as ecosystem.config.js.bak"), first.toString());
        assertEquals(mine, Files.readString(bak));
        assertTrue(Files.readString(file).contains("script: './app.js'"), "the sample is in place");

        // the sample itself is written over without a copy; another file of the user's takes the next name
        Jpm.Result again = jpm.ok("init", "simple");
        assertFalse(again.out().contains("kept as"), again.toString());
        Files.writeString(file, "// mine too\n");
        Jpm.Result third = jpm.ok("init");
        assertTrue(third.out().contains("kept as ecosystem.config.js.bak.1"), third.toString());
        assertEquals(mine, Files.readString(bak));
        assertEquals("// mine too\n", Files.readString(jpm.scratch.resolve("ecosystem.config.js.bak.1")));
        assertTrue(Files.readString(file).contains("env_production"), "the full sample is in place");
        for (String name : List.of("ecosystem.config.js", "ecosystem.config.js.bak", "ecosystem.config.js.bak.1")) {
            Files.delete(jpm.scratch.resolve(name));
        }
    }

    @Test
    void aScriptWithSpacesIsACommandLineRunByBash(Jpm jpm) {
        jpm.ok("start", "echo from-bash; exec sleep 100000");
        JsonObject p =
                jpm.awaitStatus("echo from-bash; exec sleep 100000", "online").get(0);
        JsonObject env = p.getJsonObject("pm2_env");
        assertTrue(env.getString("pm_exec_path").endsWith("/bash"), env.encode());
        assertEquals(
                List.of("-c", "echo from-bash; exec sleep 100000"),
                env.getJsonArray("args").getList());
        jpm.awaitLog(env.getString("pm_out_log_path"), "from-bash");
    }

    @Test
    void stopExitCodesTakeSpaceSeparatedCodesAsPm2Does(Jpm jpm) {
        jpm.ok(
                "start",
                Jpm.fixture("crash.sh").toString(),
                "--name",
                "codes",
                "--stop-exit-codes",
                "0",
                "3",
                "--",
                "3");
        JsonObject p = jpm.awaitStatus("codes", "stopped").get(0);
        assertEquals(
                List.of(0, 3),
                p.getJsonObject("pm2_env").getJsonArray("stop_exit_codes").getList());
        assertEquals(0, p.getJsonObject("pm2_env").getInteger("restart_time"));
    }

    @Test
    void silentPrintsNothingOnStdoutButErrorsStillShow(Jpm jpm) {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "quiet");
        Jpm.Result quiet = jpm.ok("ls", "-s");
        assertEquals("", quiet.out());
        assertEquals("", jpm.ok("--silent", "jlist").out());
        Jpm.Result failed = jpm.cli("-s", "stop", "nobody");
        assertEquals(1, failed.exit());
        assertTrue(failed.err().contains("nobody not found"), failed.toString());
    }

    @Test
    void verbsLeftOutOnPurposeSayWhatToUseInstead(Jpm jpm) {
        Jpm.Result link = jpm.cli("link");
        assertEquals(1, link.exit());
        assertEquals(
                "jpm: link: pm2's hosted service (pm2.io) has no counterpart in jpm: jpm monit, jpm events and jpm jlist show live state\n",
                link.err());
        // pm2-logrotate alone is accepted, as a no-op (ModuleConfIT): jpm rotates logs itself
        assertTrue(jpm.cli("install", "pm2-server-monit").err().contains("no module system"));
        assertTrue(jpm.cli("frobnicate").err().contains("unknown command 'frobnicate'"));
    }

    /**
     * pm2's monitor and unmonitor set pm2_env._km_monitored (the flag its hosted agent reads), by id,
     * by name and for all, and pm2's e2e cli/monit.sh greps prettylist for it; a restart keeps it.
     */
    @Test
    void monitorAndUnmonitorSetPm2sFlagByIdNameAndAll(Jpm jpm) {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "flagged", "-i", "2");
        List<JsonObject> both = jpm.awaitStatus("flagged", "online");
        assertTrue(both.stream().noneMatch(p -> p.getJsonObject("pm2_env").containsKey("_km_monitored")));
        int first = Math.min(both.get(0).getInteger("pm_id"), both.get(1).getInteger("pm_id"));

        jpm.ok("monitor", String.valueOf(first));
        for (JsonObject p : jpm.named("flagged")) {
            Object flag = p.getJsonObject("pm2_env").getValue("_km_monitored");
            assertEquals(p.getInteger("pm_id") == first ? Boolean.TRUE : null, flag, p.encode());
        }
        jpm.ok("unmonitor", "flagged");
        assertEquals(List.of(false, false), flags(jpm));
        jpm.ok("monitor", "all");
        jpm.ok("restart", "flagged");
        jpm.awaitStatus("flagged", "online");
        assertEquals(List.of(true, true), flags(jpm));
        String pretty = jpm.ok("prettylist").out();
        assertEquals(2, pretty.split("_km_monitored: true", -1).length - 1, pretty);

        Jpm.Result none = jpm.cli("monitor");
        assertEquals(1, none.exit(), none.toString());
        assertTrue(none.err().contains("usage: jpm monitor"), none.toString());
        assertEquals(1, jpm.cli("unmonitor", "nobody").exit());
    }

    private static List<Object> flags(Jpm jpm) {
        return jpm.named("flagged").stream()
                .map(p -> p.getJsonObject("pm2_env").getValue("_km_monitored"))
                .toList();
    }

    @Test
    void envPrettylistInfoAndPsReadTheSameProcesses(Jpm jpm) {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "shown");
        jpm.awaitStatus("shown", "online");
        int id = jpm.named("shown").get(0).getInteger("pm_id");
        String env = jpm.ok("env", String.valueOf(id)).out();
        // pm2's lines (checked with pm2 7.0.4's env 0): the environment and a few fields, last key first;
        // not the fields pm2 sets itself (name, status), nor an object's "[object Object]" (env)
        assertTrue(env.contains("\nNODE_APP_INSTANCE: 0\n") && env.contains("\nnamespace: default\n"), env);
        assertTrue(env.contains("\nHOME: " + System.getenv("HOME") + "\n"), env);
        for (String line : env.split("\n")) {
            assertFalse(
                    line.matches("(name|status|env|pm_id|kill_timeout|max_restarts|axm_monitor): .*"),
                    "no line of pm2's: " + line);
        }
        assertEquals(1, jpm.cli("env", "9999").exit());

        // pm2's prettylist: node's inspect() of the list, what pm2's own e2e suite greps and cuts with sed
        String pretty = jpm.ok("prettylist").out();
        assertTrue(pretty.startsWith("[\n  {\n    pid: "), pretty);
        assertTrue(pretty.contains("\n    name: 'shown',\n"), pretty);
        assertTrue(pretty.contains("\n      status: 'online',\n"), pretty);
        assertTrue(pretty.endsWith("\n]"), "no newline after it, as pm2's: " + pretty);
        assertTrue(jpm.ok("info", "shown").out().contains("shown"));
        assertTrue(jpm.ok("ps").out().contains("shown"));
    }

    @Test
    void setGetUnsetAndConfEditTheSettingsFileOnlyWithValidValues(Jpm jpm) throws Exception {
        Path settings = jpm.home.resolve("jpm.json");
        jpm.ok("ping");
        Jpm.Result set = jpm.ok("set", "satan.hang_timeout", "90s");
        assertTrue(set.out().contains("satan.hang_timeout = \"90s\""), set.toString());
        assertEquals(
                "90s",
                new JsonObject(Files.readString(settings))
                        .getJsonObject("satan")
                        .getString("hang_timeout"));
        assertEquals("90s", jpm.ok("get", "satan.hang_timeout").out().strip());
        assertEquals("90s", jpm.ok("conf", "satan.hang_timeout").out().strip());

        String before = Files.readString(settings);
        Jpm.Result bad = jpm.cli("set", "persist.auto_dump", "sometimes");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("persist: option 'auto_dump' must be true or false"), bad.toString());
        assertEquals(before, Files.readString(settings), "a refused value changes nothing");
        // a key of a section and option that jpm.json cannot hold; nosection.x is pm2's module configuration now
        // (ModuleConfIT)
        assertEquals(1, jpm.cli("set", "persist.auto_dump.x", "1").exit());

        jpm.ok("conf", "persist.auto_dump", "true");
        assertEquals("true", jpm.ok("get", "persist.auto_dump").out().strip());
        jpm.ok("unset", "persist.auto_dump");
        Jpm.Result gone = jpm.cli("get", "persist.auto_dump");
        assertEquals(1, gone.exit());
        assertTrue(gone.err().contains("the default applies"), gone.toString());
        assertTrue(jpm.ok("get").out().contains("\"hang_timeout\" : \"90s\""));
        jpm.ok("unset", "satan.hang_timeout");
    }

    @Test
    void reportHasWhatABugReportNeedsAndNoSecret(Jpm jpm) throws Exception {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "reported");
        jpm.awaitStatus("reported", "online");
        String report = jpm.ok("report").out();
        for (String section :
                List.of("--- Daemon", "--- CLI", "--- System", "--- Settings", "--- Processes", "--- Daemon log")) {
            assertTrue(report.contains(section), section + " in " + report);
        }
        assertTrue(report.contains("reported"), report);
        assertTrue(
                report.contains("java                 : "
                        + System.getProperty("java.version").split("\\.")[0]),
                report);
        assertFalse(report.contains(Files.readString(jpm.home.resolve("token")).strip()), "the admin token stays out");
    }

    @Test
    void cronRestartZeroMeansNone(Jpm jpm) {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "nocron", "--cron-restart", "0");
        JsonObject p = jpm.awaitStatus("nocron", "online").get(0);
        assertFalse(
                p.getJsonObject("pm2_env").containsKey("cron_restart")
                        && p.getJsonObject("pm2_env").getValue("cron_restart") != null,
                p.getJsonObject("pm2_env").encode());
    }
}
