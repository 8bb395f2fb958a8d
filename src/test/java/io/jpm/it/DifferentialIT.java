package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The differential scenarios: each one is a pm2 user's session, run word for word against jpm
 * (always) and against pm2 itself (with {@code PM2_DIFF=1}; pm2 from {@code PM2_BIN} or PATH), and
 * held to the same expected view of {@code jlist} (status, restart_time, pm_id, NODE_APP_INSTANCE,
 * env, log paths), the same files and the same exit codes. A scenario that passes on both shows jpm
 * does what pm2 does; where jpm differs on purpose, docs/COMPAT.md says so and no scenario asserts
 * pm2's way.
 */
class DifferentialIT {
    private static final String IDLE_JS = "console.log('up', process.pid, process.env.NODE_APP_INSTANCE);\n"
            + "setInterval(() => {}, 1000);\nprocess.on('SIGINT', () => process.exit(0));\n";
    private static final String CRASH_SH = "#!/bin/bash\necho \"crash $$\"\nexit 3\n";
    /**
     * Says what each run was started with: the heap flag node was given (jpm's own preloads are
     * node arguments too), then the script's arguments.
     */
    private static final String ARGV_JS =
            "console.log('run', process.execArgv.filter(a => a.startsWith('--max-old-space-size')).join(' '),"
                    + " '|', process.argv.slice(2).join(' '));\n"
                    + "setInterval(() => {}, 1000);\nprocess.on('SIGINT', () => process.exit(0));\n";

    /** One line per process, in pm_id order: what a script reading jlist sees. */
    private static String view(Manager m, String... envKeys) {
        return m.view(p -> {
            JsonObject env = p.getJsonObject("pm2_env");
            for (String key : envKeys) {
                // pm2 also puts the app's environment at the top of pm2_env: scripts read pm2_env.NODE_ENV
                assertEquals(
                        Manager.appEnv(p).getValue(key),
                        env.getValue(key),
                        m.tool + ": pm2_env." + key + " and pm2_env.env." + key);
            }
            return p.getInteger("pm_id") + " " + p.getString("name") + " " + env.getString("status") + " restarts="
                    + env.getValue("restart_time") + " instance=" + env.getValue("NODE_APP_INSTANCE") + " out="
                    + m.inHome(env.getString("pm_out_log_path")) + Manager.envValues(p, envKeys);
        });
    }

    /** Asserts the view, a line per process; no lines when nothing is listed. */
    private static void assertView(Manager m, String... lines) {
        assertEquals(String.join("\n", lines), view(m));
    }

    /** Waits until the view with {@code envKeys} is {@code expected}; {@code what} names the wait. */
    private static void awaitView(Manager m, String what, String expected, String... envKeys) {
        Jpm.await(m.tool + ": " + what, () -> view(m, envKeys).equals(expected) ? true : null);
    }

    private static String pids(Manager m) {
        return m.processes().stream()
                .map(p -> String.valueOf(p.getValue("pid")))
                .collect(Collectors.joining(","));
    }

    @EachManager
    void anEcosystemConfigJsStartsWithItsEnvAndStartOrReloadReappliesIt(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.writeLines(
                "ecosystem.config.js",
                "module.exports = {",
                "  apps: [",
                "    { name: 'web', script: './idle.js', env: { GREETING: process.env.GREETING_IN || 'hello' },",
                "      env_production: { NODE_ENV: 'production' } },",
                "    { name: 'worker', script: 'idle.js', instances: 2, env: { ROLE: 'worker' } },",
                "  ],",
                "};");
        assertEquals(
                0, m.cli("start", "ecosystem.config.js", "--env", "production").exit());
        m.awaitStatus("web", 1, "online");
        m.awaitStatus("worker", 2, "online");
        assertEquals(
                String.join(
                        "\n",
                        "0 web online restarts=0 instance=0 out=logs/web-out.log GREETING=hello NODE_ENV=production",
                        "1 worker online restarts=0 instance=0 out=logs/worker-out-1.log GREETING=null NODE_ENV=null",
                        "2 worker online restarts=0 instance=1 out=logs/worker-out-2.log GREETING=null NODE_ENV=null"),
                view(m, "GREETING", "NODE_ENV"));

        // the file's env is read again: running apps are restarted (reloaded) with it
        String before = pids(m);
        assertEquals(
                0,
                m.cli(Map.of("GREETING_IN", "bonjour"), "startOrReload", "ecosystem.config.js", "--env", "production")
                        .exit());
        Jpm.await(
                m.tool + ": new pids",
                () -> !pids(m).equals(before) && m.processes().stream().allMatch(p -> "online".equals(Jpm.status(p)))
                        ? true
                        : null);
        assertEquals(
                String.join(
                        "\n",
                        "0 web online restarts=1 instance=0 out=logs/web-out.log GREETING=bonjour NODE_ENV=production",
                        "1 worker online restarts=1 instance=0 out=logs/worker-out-1.log GREETING=null NODE_ENV=null",
                        "2 worker online restarts=1 instance=1 out=logs/worker-out-2.log GREETING=null NODE_ENV=null"),
                view(m, "GREETING", "NODE_ENV"));

        // pid and id, as scripts call them
        String webPid = m.ok("pid", "web").out().strip();
        assertEquals(String.valueOf(m.awaitStatus("web", 1, "online").get(0).getInteger("pid")), webPid);
        assertEquals("[ 1, 2 ]", m.ok("id", "worker").out().strip());
        assertEquals("[]", m.ok("id", "nobody").out().strip());
        assertEquals("", m.ok("pid", "nobody").out().strip());
        m.ok("stop", "web");
        m.awaitStatus("web", 1, "stopped");
        assertEquals("0", m.ok("pid", "web").out().strip());
    }

    @EachManager
    void restartOfAFileWhoseAppsDoNotRunStartsThem(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.write(
                "ecosystem.config.js",
                "module.exports = { apps: [{ name: 'api', script: 'idle.js',"
                        + " env: { GREETING: process.env.GREETING_IN || 'hello' } }] };\n");
        assertEquals(0, m.cli("restart", "ecosystem.config.js").exit());
        m.awaitStatus("api", 1, "online");
        assertEquals(
                0,
                m.cli(Map.of("GREETING_IN", "hola"), "startOrRestart", "ecosystem.config.js")
                        .exit());
        awaitView(
                m,
                "api restarted",
                "0 api online restarts=1 instance=0 out=logs/api-out.log GREETING=hola",
                "GREETING");
        // restart of the file reads its env again too
        assertEquals(
                0,
                m.cli(Map.of("GREETING_IN", "ciao"), "restart", "ecosystem.config.js")
                        .exit());
        awaitView(
                m,
                "api restarted with the file's env",
                "0 api online restarts=2 instance=0 out=logs/api-out.log GREETING=ciao",
                "GREETING");
        assertEquals(0, m.cli("delete", "ecosystem.config.js").exit());
        assertView(m);
    }

    @EachManager
    void aForkAppsPortIsItsPortVariable(Manager m) throws Exception {
        m.write("port.js", "console.log('PORT=' + process.env.PORT);\nsetInterval(() => {}, 1000);\n");
        // pm2 (Common.js prepareAppConf): PORT = port, over env's PORT, under env_<name>'s; no balancer
        m.write(
                "ports.json",
                Jpm.ecosystem(
                        new JsonObject()
                                .put("name", "bare")
                                .put("script", "port.js")
                                .put("port", 4321),
                        new JsonObject()
                                .put("name", "env")
                                .put("script", "port.js")
                                .put("port", 4322)
                                .put("env", new JsonObject().put("PORT", "1111")),
                        new JsonObject()
                                .put("name", "named")
                                .put("script", "port.js")
                                .put("port", 4323)
                                .put("env_production", new JsonObject().put("PORT", "9999"))));
        m.ok("start", "ports.json", "--env", "production");
        for (String[] app : new String[][] {{"bare", "4321"}, {"env", "4322"}, {"named", "9999"}}) {
            m.awaitStatus(app[0], 1, "online");
            // what the app itself sees (pm2's jlist shows env '{}' for the app whose env set PORT)
            Jpm.await(m.tool + ": " + app[0] + " logs its PORT", () -> {
                        try {
                            Path log = m.home.resolve("logs/" + app[0] + "-out.log");
                            return Files.isRegularFile(log)
                                            && Files.readString(log).contains("PORT=")
                                    ? Files.readString(log)
                                    : null;
                        } catch (IOException e) {
                            return null;
                        }
                    })
                    .lines()
                    .forEach(line -> assertEquals("PORT=" + app[1], line, m.tool + ": " + app[0]));
        }
        assertView(
                m,
                "0 bare online restarts=0 instance=0 out=logs/bare-out.log",
                "1 env online restarts=0 instance=0 out=logs/env-out.log",
                "2 named online restarts=0 instance=0 out=logs/named-out.log");
        assertTrue(
                m.processes().stream().allMatch(p -> "fork_mode"
                        .equals(p.getJsonObject("pm2_env").getString("exec_mode"))),
                m.tool + ": fork apps");
    }

    @EachManager
    void moduleConfigurationIsPm2sFileAndTheAppsEnvironment(Manager m) throws Exception {
        m.write(
                "conf.js",
                "console.log('api_key=' + process.env.api_key + ' self=' + process.env.api);\n"
                        + "setInterval(() => {}, 1000);\nprocess.on('SIGINT', () => process.exit(0));\n");
        Path file = m.home.resolve("module_conf.json");
        assertEquals(0, m.cli("unset", "all").exit());
        assertEquals("{}", Files.readString(file));
        assertEquals(0, m.cli("set", "key1", "val1").exit());
        assertEquals(0, m.cli("set", "api.api_key", "abc").exit()); // no app named api yet: nothing restarted
        assertEquals(
                "{\n    \"key1\": \"val1\",\n    \"api\": {\n        \"api_key\": \"abc\"\n    }\n}",
                Files.readString(file));
        assertEquals(0, m.cli("get", "api.api_key").exit());
        assertEquals(1, m.cli("get", "api.nothere").exit());
        assertEquals(1, m.cli("get", "nothere").exit());

        // the app's configuration is in its environment from the start, and its JSON under the app's name
        m.ok("start", "conf.js", "--name", "api");
        m.awaitStatus("api", 1, "online");
        Path log = m.home.resolve("logs/api-out.log");
        Jpm.await(m.tool + ": api logs its key", () -> logged(log, "api_key=abc self={\"api_key\":\"abc\"}"));
        assertEquals(
                "0 api online restarts=0 instance=0 out=logs/api-out.log api_key=abc api={\"api_key\":\"abc\"}",
                view(m, "api_key", "api"));

        // set <app>.<key> restarts the app with the new value
        assertEquals(0, m.cli("set", "api.api_key", "xyz").exit());
        Jpm.await(m.tool + ": restarted with xyz", () -> logged(log, "api_key=xyz self={\"api_key\":\"xyz\"}"));
        assertEquals(
                "0 api online restarts=1 instance=0 out=logs/api-out.log api_key=xyz api={\"api_key\":\"xyz\"}",
                view(m, "api_key", "api"));
        assertEquals(0, m.cli("multiset", "api.api_key k2 api.other o").exit());
        Jpm.await(
                m.tool + ": restarted with k2",
                () -> logged(log, "api_key=k2 self={\"api_key\":\"k2\",\"other\":\"o\"}"));
        assertEquals(
                "0 api online restarts=2 instance=0 out=logs/api-out.log api_key=k2 other=o",
                view(m, "api_key", "other"));

        // unset restarts nothing; the entry stays, empty, as pm2 leaves it
        assertEquals(0, m.cli("unset", "api:api_key").exit());
        assertEquals(0, m.cli("unset", "key1").exit());
        assertEquals("{\n    \"api\": {\n        \"other\": \"o\"\n    }\n}", Files.readString(file));
        assertEquals(2, m.processes().get(0).getJsonObject("pm2_env").getInteger("restart_time"));
        assertEquals(0, m.cli("unset", "all").exit());
        assertEquals("{}", Files.readString(file));
    }

    /** The log's text when it holds {@code line} as a line, else null (for Jpm.await). */
    private static String logged(Path log, String line) {
        try {
            return Files.isRegularFile(log) && Files.readString(log).lines().anyMatch(line::equals)
                    ? Files.readString(log)
                    : null;
        } catch (IOException e) {
            return null;
        }
    }

    @EachManager
    void aCrashLoopRunsMaxRestartsTimesThenIsErrored(Manager m) throws Exception {
        m.write("crash.sh", CRASH_SH).toFile().setExecutable(true);
        assertEquals(
                0,
                m.cli("start", "crash.sh", "--name", "loop", "--max-restarts", "3")
                        .exit());
        JsonObject loop = m.awaitStatus("loop", 1, "errored").get(0);
        assertEquals(2, loop.getJsonObject("pm2_env").getInteger("restart_time"));
        assertEquals(3, loop.getJsonObject("pm2_env").getInteger("exit_code"));
        assertEquals(0, loop.getInteger("pid"));
        // each run's line reaches the log, the last maybe just after the status says errored (the log
        // writer runs on): waited for, and a line lost still fails here
        String log = Jpm.await(m.tool + ": the three runs' lines in loop-out.log", () -> {
            String text = log(m, "logs/loop-out.log", "crash ");
            return crashLines(text) >= 3 ? text : null;
        });
        assertEquals(3, crashLines(log), log);
    }

    private static int crashLines(String log) {
        return log == null ? 0 : log.split("crash ", -1).length - 1;
    }

    @EachManager
    void scaleDownRemovesTheOldestAndUpTakesTheLowestFreeInstance(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.ok("start", "idle.js", "--name", "s", "-i", "4");
        m.awaitStatus("s", 4, "online");
        m.ok("scale", "s", "2");
        m.awaitStatus("s", 2, "online");
        assertView(
                m,
                "2 s online restarts=0 instance=2 out=logs/s-out-2.log",
                "3 s online restarts=0 instance=3 out=logs/s-out-3.log");
        m.ok("scale", "s", "3");
        m.awaitStatus("s", 3, "online");
        assertView(
                m,
                "2 s online restarts=0 instance=2 out=logs/s-out-2.log",
                "3 s online restarts=0 instance=3 out=logs/s-out-3.log",
                "4 s online restarts=0 instance=0 out=logs/s-out-4.log");
    }

    @EachManager
    void aScriptPathIsATarget(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.write("other.js", IDLE_JS);
        m.ok("start", "idle.js", "--name", "a");
        m.ok("start", "other.js", "--name", "b");
        m.awaitStatus("a", 1, "online");
        m.awaitStatus("b", 1, "online");
        assertEquals(0, m.cli("stop", "idle.js").exit());
        m.awaitStatus("a", 1, "stopped");
        assertEquals("online", Jpm.status(m.awaitStatus("b", 1, "online").get(0)));
        assertEquals(0, m.cli("delete", "./other.js").exit());
        assertView(m, "0 a stopped restarts=0 instance=0 out=logs/a-out.log");
    }

    @EachManager
    void resurrectBringsBackTheSavedListWithItsLogNames(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.ok("start", "idle.js", "--name", "z");
        m.ok("start", "idle.js", "--name", "gone");
        m.ok("start", "idle.js", "--name", "c", "-i", "2");
        m.awaitStatus("c", 2, "online");
        m.ok("delete", "gone");
        m.ok("save");
        m.ok("start", "idle.js", "--name", "not-saved");
        m.awaitStatus("not-saved", 1, "online");
        m.ok("kill");
        m.ok("resurrect");
        m.awaitStatus("z", 1, "online");
        m.awaitStatus("c", 2, "online");
        // pm_ids are given again from 0 in the saved order; a multi-instance app's logs follow its new
        // pm_ids (c-out-2 becomes c-out-1), a one-instance fork app keeps its name
        assertView(
                m,
                "0 z online restarts=0 instance=0 out=logs/z-out.log",
                "1 c online restarts=0 instance=0 out=logs/c-out-1.log",
                "2 c online restarts=0 instance=1 out=logs/c-out-2.log");
        // the table's other forms scripts call
        String mini = m.ok("ls", "-m").out();
        assertTrue(mini.contains("+--- z\n") && mini.contains("+--- c\n"), mini);
        assertTrue(m.ok("ls", "--sort", "name:desc").out().contains("z"));
    }

    @EachManager
    void jsonWithCommentsAndBareKeysAndYamlReadAsPm2ReadsThem(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.write(
                "apps.json",
                "// pm2 evaluates this file\n{\n  apps: [{ name: 'j', script: 'idle.js', env: { A: 1 }, }],\n}\n");
        m.write("apps.yml", "apps:\n  - name: y\n    script: idle.js\n    env:\n      A: 2\n");
        m.ok("start", "apps.json");
        m.ok("start", "apps.yml");
        m.awaitStatus("j", 1, "online");
        m.awaitStatus("y", 1, "online");
        String view = view(m);
        assertTrue(view.contains("0 j online restarts=0 instance=0 out=logs/j-out.log"), view);
        assertTrue(view.contains("1 y online restarts=0 instance=0 out=logs/y-out.log"), view);
    }

    @EachManager
    void badInputExitsOneAndChangesNothing(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.ok("start", "idle.js", "--name", "keep");
        String pid = m.ok("pid", "keep").out().strip();
        assertEquals(1, m.cli("start", "missing.js").exit());
        assertEquals(1, m.cli("stop", "nobody").exit());
        assertEquals(1, m.cli("restart", "nobody").exit());
        assertEquals(1, m.cli("start", "missing.config.js").exit());
        assertEquals(1, m.cli("frobnicate").exit());
        assertNotEquals("", pid);
        assertEquals(pid, m.ok("pid", "keep").out().strip());
        assertView(m, "0 keep online restarts=0 instance=0 out=logs/keep-out.log");
    }

    @EachManager
    void waitReadyHoldsTheStartAndShutdownWithMessageStopsByMessage(Manager m) throws Exception {
        Path trigger = m.writeLines(
                        "ready.js",
                        "const fs = require('fs');",
                        "const t = setInterval(() => { if (fs.existsSync(__dirname + '/go')) { clearInterval(t); console.log('ready now'); process.send('ready'); } }, 50);",
                        "process.on('message', (m) => { if (m === 'shutdown') { console.log('bye via message'); process.exit(0); } });",
                        "process.on('SIGINT', () => console.log('got SIGINT'));",
                        "setInterval(() => {}, 1000);")
                .resolveSibling("go");
        m.write("idle.js", IDLE_JS);
        m.write(
                "ecosystem.config.js",
                "module.exports = { apps: [{ name: 'slow', script: './ready.js', wait_ready: true,"
                        + " listen_timeout: 60000, shutdown_with_message: true, kill_timeout: 60000 },"
                        + " { name: 'mute', script: './idle.js', wait_ready: true, listen_timeout: 1500 }] };\n");
        m.ok("ping"); // the daemon is up: a jlist racing its start would print pm2's spawn messages
        CompletableFuture<Jpm.Result> start =
                CompletableFuture.supplyAsync(() -> m.cli("start", "ecosystem.config.js", "--only", "slow"));
        m.awaitStatus("slow", 1, "launching");
        assertTrue(!start.isDone(), m.tool + ": start waits for the ready signal");
        Files.writeString(trigger, "");
        assertEquals(0, start.get(90, TimeUnit.SECONDS).exit());
        assertView(m, "0 slow online restarts=0 instance=0 out=logs/slow-out.log");

        // said nothing: online once listen_timeout has passed
        assertEquals(0, m.cli("start", "ecosystem.config.js", "--only", "mute").exit());
        m.awaitStatus("mute", 1, "online");

        m.ok("stop", "slow");
        m.awaitStatus("slow", 1, "stopped");
        String log = Files.readString(Path.of(m.processes().stream()
                .filter(p -> p.getString("name").equals("slow"))
                .findFirst()
                .orElseThrow()
                .getJsonObject("pm2_env")
                .getString("pm_out_log_path")));
        assertTrue(log.contains("bye via message") && !log.contains("got SIGINT"), m.tool + ": " + log);
    }

    /**
     * pm2 keeps a Node app that leaves a promise rejection unhandled running and
     * logs it (its cluster container in its own words, @pm2/io's console.error in fork mode); an
     * uncaught exception is logged as the stack alone and ends the run.
     */
    @EachManager
    void aNodeAppsUnhandledRejectionIsLoggedAndItRunsOn(Manager m) throws Exception {
        m.write("reject.js", "let n = 0;\nsetInterval(() => Promise.reject(new Error(`rejection ${++n}`)), 100);\n");
        m.write("throw.js", "setInterval(() => {}, 1000);\nsetTimeout(() => { throw new Error('thrown'); }, 100);\n");
        m.ok("start", "reject.js", "--name", "f");
        m.ok("start", "reject.js", "--name", "c", "-i", "1");
        m.ok("start", "throw.js", "--name", "t", "--no-autorestart");
        m.awaitStatus("t", 1, "stopped");
        String fork =
                Jpm.await(m.tool + ": f's fifth rejection", () -> log(m, "logs/f-error.log", "Error: rejection 5\n"));
        String cluster =
                Jpm.await(m.tool + ": c's fifth rejection", () -> log(m, "logs/c-error-1.log", "Error: rejection 5\n"));
        assertView(
                m,
                "0 f online restarts=0 instance=0 out=logs/f-out.log",
                "1 c online restarts=0 instance=0 out=logs/c-out-1.log",
                "2 t stopped restarts=0 instance=0 out=logs/t-out.log");
        assertTrue(fork.startsWith("Error: rejection 1\n    at "), m.tool + ": " + fork);
        assertTrue(
                cluster.startsWith(
                        "You have triggered an unhandledRejection, you may have forgotten to catch a Promise rejection:\n"
                                + "Error: rejection 1\n    at "),
                m.tool + ": " + cluster);
        String thrown = Files.readString(m.home.resolve("logs/t-error.log"));
        assertTrue(
                thrown.startsWith("Error: thrown\n    at ") && !thrown.contains("Node.js v"), m.tool + ": " + thrown);
    }

    /**
     * Two cluster apps whose code listens on one port both run, and the port's
     * connections reach every instance of both; deleting one leaves the other serving, with no
     * connection refused.
     */
    @EachManager
    void twoClusterAppsListeningOnOnePortShareIt(Manager m) throws Exception {
        int port = Ports.free();
        m.write(
                "web.js",
                "const server = require('http').createServer((q, r) => r.end(`pid=${process.pid}\\n`));\n"
                        + "server.keepAliveTimeout = 1000;\nserver.listen(" + port + ");\n"
                        + "process.on('SIGINT', () => { server.close(() => process.exit(0)); server.closeIdleConnections(); });\n");
        m.ok("start", "web.js", "--name", "blue", "-i", "2");
        m.ok("start", "web.js", "--name", "green", "-i", "2");
        Set<Long> pids = new HashSet<>();
        m.awaitStatus("blue", 2, "online").forEach(p -> pids.add(p.getLong("pid")));
        m.awaitStatus("green", 2, "online").forEach(p -> pids.add(p.getLong("pid")));
        try (Load load = new Load(port, false, 2)) {
            load.awaitPids(pids);
            m.ok("delete", "blue");
            load.awaitMore(100);
            load.close();
            assertEquals(0, load.failed.get(), m.tool + ": " + load.report());
        }
        assertView(
                m,
                "2 green online restarts=0 instance=0 out=logs/green-out-2.log",
                "3 green online restarts=0 instance=1 out=logs/green-out-3.log");
    }

    /** The log file's text once it holds {@code text}, else null. */
    private static String log(Manager m, String path, String text) {
        try {
            Path file = m.home.resolve(path);
            String content = Files.isRegularFile(file) ? Files.readString(file) : "";
            return content.contains(text) ? content : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitLog(Manager m, String file, String line) {
        try {
            Jpm.await(m.tool + ": '" + line + "' in " + file, () -> log(m, file, line));
        } catch (AssertionError e) {
            Path path = m.home.resolve(file);
            String text;
            try {
                text = Files.isRegularFile(path) ? Files.readString(path) : "(no file)";
            } catch (IOException read) {
                text = "(unreadable: " + read.getMessage() + ")";
            }
            throw new AssertionError(e.getMessage() + "; the file holds: " + text, e);
        }
    }

    /** Args and pm_log_path only when the app has them; instance_var and increment_var as pm2 lists them. */
    @EachManager
    void jlistListsWhatPm2ListsForArgsLogsAndInstanceVariables(Manager m) throws Exception {
        m.write("argv.js", ARGV_JS);
        m.write(
                "vars.js",
                "console.log('vars', process.env.INSTANCE_ID, process.env.PORT, process.env.NODE_APP_INSTANCE);\n"
                        + "setInterval(() => {}, 1000);\nprocess.on('SIGINT', () => process.exit(0));\n");
        m.write(
                "vars.config.js",
                "module.exports = { apps: [{ name: 'v', script: 'vars.js', instances: 2,"
                        + " instance_var: 'INSTANCE_ID', increment_var: 'PORT', env: { PORT: 3000 } }] };\n");
        m.ok("start", "argv.js", "--name", "plain");
        m.ok("start", "argv.js", "--name", "withargs", "-l", "--", "one", "two");
        m.ok("start", "vars.config.js");
        JsonObject plain = m.awaitPm2Env("plain", "online");
        assertTrue(
                !plain.containsKey("args") && !plain.containsKey("pm_log_path") && !plain.containsKey("increment_var"),
                plain.encode());
        assertEquals("NODE_APP_INSTANCE", plain.getString("instance_var"));
        assertEquals(0, plain.getInteger("NODE_APP_INSTANCE"));
        JsonObject withArgs = m.awaitPm2Env("withargs", "online");
        assertEquals(List.of("one", "two"), withArgs.getJsonArray("args").getList());
        assertEquals("logs/withargs.log", m.inHome(withArgs.getString("pm_log_path")));
        List<String> vars = new ArrayList<>();
        for (JsonObject p : m.awaitStatus("v", 2, "online")) {
            JsonObject env = p.getJsonObject("pm2_env");
            vars.add(env.getString("instance_var") + " " + env.getString("increment_var") + " INSTANCE_ID="
                    + env.getValue("INSTANCE_ID")
                    + " PORT=" + env.getValue("PORT") + " env.PORT="
                    + env.getJsonObject("env").getValue("PORT")
                    + " NODE_APP_INSTANCE=" + env.containsKey("NODE_APP_INSTANCE"));
            awaitLog(
                    m,
                    m.inHome(env.getString("pm_out_log_path")),
                    "vars " + env.getValue("INSTANCE_ID") + " " + env.getValue("PORT") + " undefined");
        }
        vars.sort(null);
        assertEquals(
                List.of(
                        "INSTANCE_ID PORT INSTANCE_ID=0 PORT=3000 env.PORT=3000 NODE_APP_INSTANCE=false",
                        "INSTANCE_ID PORT INSTANCE_ID=1 PORT=3001 env.PORT=3001 NODE_APP_INSTANCE=false"),
                vars);
    }

    /** Resurrect falls back to the .bak of a corrupt dump, and the corrupt text does not stay. */
    @EachManager
    void resurrectFromTheBakOfACorruptDumpLeavesNoCorruptDump(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.ok("start", "idle.js", "--name", "z");
        m.ok("save");
        m.ok("start", "idle.js", "--name", "y");
        m.ok("save"); // the first save is the .bak now
        Files.writeString(m.dumpFile(), "garbage");
        m.ok("kill");
        m.ok("resurrect");
        m.awaitStatus("z", 1, "online");
        assertView(m, "0 z online restarts=0 instance=0 out=logs/z-out.log");
        assertTrue(
                !Files.exists(m.dumpFile()) || !Files.readString(m.dumpFile()).contains("garbage"),
                m.tool + ": the corrupt dump is still there");
    }

    /** Stop and delete of a file act on those of its apps that are listed, and on none without complaint. */
    @EachManager
    void stopOrDeleteOfAFileWhoseAppsDoNotRunExitsZero(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.write("ecosystem.config.js", "module.exports = { apps: [{ name: 'eco', script: 'idle.js' }] };\n");
        m.ok("start", "idle.js", "--name", "keep");
        String pid = m.ok("pid", "keep").out().strip();
        assertEquals(0, m.cli("stop", "ecosystem.config.js").exit());
        assertEquals(0, m.cli("delete", "ecosystem.config.js").exit());
        assertEquals(1, m.cli("stop", "missing.config.js").exit());
        assertEquals(pid, m.ok("pid", "keep").out().strip());
        assertView(m, "0 keep online restarts=0 instance=0 out=logs/keep-out.log");
    }

    /** Several scripts start one after the other; the first that fails ends the command. */
    @EachManager
    void startOfSeveralScriptsStartsEachInTurn(Manager m) throws Exception {
        for (String name : List.of("a", "b", "c", "d", "e")) {
            m.write(name + ".js", IDLE_JS);
        }
        assertEquals(0, m.cli("start", "a.js", "b.js", "c.js").exit());
        m.awaitStatus("c", 1, "online");
        assertView(
                m,
                "0 a online restarts=0 instance=0 out=logs/a-out.log",
                "1 b online restarts=0 instance=0 out=logs/b-out.log",
                "2 c online restarts=0 instance=0 out=logs/c-out.log");
        assertEquals(1, m.cli("start", "d.js", "missing.js", "e.js").exit());
        m.awaitStatus("d", 1, "online");
        assertTrue(
                m.processes().stream().noneMatch(p -> p.getString("name").equals("e")),
                m.tool + ": e.js comes after the failure");
    }

    /** Init's word picks the short sample for simple, the full one for any other. */
    @EachManager
    void initTakesAnyWord(Manager m) throws Exception {
        Path file = m.scratch.resolve("ecosystem.config.js");
        assertEquals(0, m.cli("init", "anything").exit());
        String full = Files.readString(file);
        assertTrue(full.contains("module.exports") && full.contains("script"), full);
        Files.delete(file);
        assertEquals(0, m.cli("ecosystem", "simple").exit());
        String simple = Files.readString(file);
        assertTrue(simple.contains("module.exports") && simple.contains("script"), simple);
    }

    /** Init over a file that is there writes the sample and succeeds (pm2's e2e cli-actions-1.sh runs it so). */
    @EachManager
    void initOverAnExistingFileWritesTheSample(Manager m) throws Exception {
        Path file = m.write("ecosystem.config.js", "module.exports = { apps: [{ name: 'mine', script: 'x.js' }] };\n");
        assertEquals(0, m.cli("init", "simple").exit());
        String now = Files.readString(file);
        assertTrue(now.contains("module.exports") && !now.contains("'mine'"), now);
    }

    /** PM2_DEEP_MONITORING in a restart's environment sets deep_monitoring, as at a start (pm2's options-via-env.sh). */
    @EachManager
    void deepMonitoringFromTheEnvironmentOfARestart(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.ok("start", "idle.js", "--name", "dm");
        assertNull(m.awaitPm2Env("dm", "online").getValue("deep_monitoring"), m.tool);
        m.ok(Map.of("PM2_DEEP_MONITORING", "true"), "restart", "dm");
        assertEquals(true, m.awaitPm2Env("dm", "online").getValue("deep_monitoring"), m.tool);
    }

    /** A reload renames a cluster app that listens on nothing (pm2's app-config-update.sh). */
    @EachManager
    void reloadRenamesAClusterAppThatListensOnNothing(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.ok("start", "idle.js", "-i", "1");
        m.awaitStatus("idle", 1, "online");
        m.ok("reload", "idle", "--name=new-name");
        m.awaitStatus("new-name", 1, "online");
        m.ok("restart", "new-name");
        assertEquals(
                "new-name online restarts=2",
                m.view(p -> p.getString("name") + " " + Jpm.status(p) + " restarts="
                        + p.getJsonObject("pm2_env").getInteger("restart_time")));
    }

    /** A stop also stops the watching, which a later start leaves off; restart --watch turns it on. */
    @EachManager
    void stopTurnsWatchingOff(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.ok("start", "idle.js", "--name", "w", "--watch");
        assertEquals(true, m.awaitPm2Env("w", "online").getValue("watch"));
        m.ok("stop", "w");
        assertEquals(false, m.awaitPm2Env("w", "stopped").getValue("watch"));
        m.ok("start", "w");
        assertEquals(false, m.awaitPm2Env("w", "online").getValue("watch"));
        m.ok("restart", "w", "--watch");
        assertEquals(true, m.awaitPm2Env("w", "online").getValue("watch"));
    }

    /** A stopped app is saved stopped and stays stopped after a resurrect. */
    @EachManager
    void aStoppedAppStaysStoppedAcrossSaveAndResurrect(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.ok("start", "idle.js", "--name", "d");
        m.ok("start", "idle.js", "--name", "up");
        m.awaitStatus("up", 1, "online");
        m.ok("stop", "d");
        m.ok("save");
        m.ok("kill");
        m.ok("resurrect");
        m.awaitStatus("up", 1, "online");
        assertView(
                m,
                "0 d stopped restarts=0 instance=0 out=logs/d-out.log",
                "1 up online restarts=0 instance=0 out=logs/up-out.log");
    }

    /** pm2's --watch [paths] takes the word after it as a path: one app, watching it. */
    @EachManager
    void watchTakesThePathAfterIt(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        Files.createDirectories(m.scratch.resolve("wdir"));
        m.ok("start", "idle.js", "--name", "c", "--watch", "wdir");
        assertEquals(
                List.of("wdir"),
                m.awaitPm2Env("c", "online").getJsonArray("watch").getList());
        assertEquals(1, m.processes().size(), m.tool + ": one app, not a second running wdir");
    }

    /** pm2's cron restarts the app whatever its state, so it starts an app that was stopped. */
    @EachManager
    void cronRestartStartsAStoppedApp(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.ok("start", "idle.js", "--name", "cr", "--cron-restart", "*/2 * * * * *");
        m.awaitStatus("cr", 1, "online");
        m.ok("stop", "cr");
        // the stop has returned, so nothing of cr runs: a run seen after it was started by the cron
        JsonObject again = m.awaitStatus("cr", 1, "online").get(0);
        assertTrue(again.getInteger("pid") > 0, again.encode());
    }

    /**
     * pm2's PM2_PID_FILE_PATH (the daemon's pid there, removed when it stops) and
     * PM2_KILL_USE_MESSAGE (every app stopped by a 'shutdown' message), from the environment of the
     * command that starts the daemon.
     */
    @EachManager
    void pm2sDaemonVariablesAreRead(Manager m) throws Exception {
        m.writeLines(
                "msg.js",
                "process.on('message', (m) => { if (m === 'shutdown') { console.log('bye via message'); process.exit(0); } });",
                "process.on('SIGINT', () => { console.log('got SIGINT'); process.exit(0); });",
                // busy at start, as a big app's require()s are: the stop below comes before node runs its
                // event loop, and the message must wait for it (jpm's channel refused it then, and sent SIGINT)
                "const end = Date.now() + 1000; while (Date.now() < end) {}",
                "setInterval(() => {}, 1000);");
        Path pidFile = m.scratch.resolveSibling("daemon.pid");
        m.ok(Map.of("PM2_PID_FILE_PATH", pidFile.toString(), "PM2_KILL_USE_MESSAGE", "true"), "ping");
        long daemon = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(
                ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false),
                m.tool + ": pid " + daemon + " runs");

        // a kill_timeout longer than the busy start: the message, not SIGKILL, must end it
        m.ok("start", "msg.js", "--kill-timeout", "20000");
        m.ok("stop", "msg");
        awaitLog(m, "logs/msg-out.log", "bye via message");
        assertTrue(!Files.readString(m.home.resolve("logs/msg-out.log")).contains("got SIGINT"));

        m.ok("kill");
        Jpm.await(m.tool + ": the pid file removed", () -> Files.exists(pidFile) ? null : true);
    }

    private static JsonObject named(Manager m, String name) {
        return m.processes().stream()
                .filter(p -> p.getString("name").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(m.tool + ": no app named " + name));
    }

    /** pm2 merges the flags given to an app that exists into its options; the next run takes them. */
    @EachManager
    void optionsGivenToAnExistingAppApplyFromItsNextRun(Manager m) throws Exception {
        m.write("argv.js", ARGV_JS);
        m.ok("start", "argv.js", "--name", "app");
        m.awaitStatus("app", 1, "online");

        m.ok("restart", "app", "--node-args=--max-old-space-size=100");
        JsonObject env = m.awaitPm2Env("app", "online");
        assertEquals(
                List.of("--max-old-space-size=100"),
                env.getJsonArray("node_args").getList());
        awaitLog(m, "logs/app-out.log", "run --max-old-space-size=100 |");

        // a new name; the log and pid files stay where they were
        m.ok("restart", "app", "--name", "renamed");
        env = m.awaitPm2Env("renamed", "online");
        assertView(m, "0 renamed online restarts=2 instance=0 out=logs/app-out.log");
        assertEquals("pids/app-0.pid", m.inHome(env.getString("pm_pid_path")));

        m.ok("restart", "renamed", "--cron-restart", "0 3 * * *", "--max-memory-restart", "200M");
        env = m.awaitPm2Env("renamed", "online");
        assertEquals("0 3 * * *", env.getString("cron_restart"));
        assertEquals(200L * 1024 * 1024, env.getLong("max_memory_restart"));

        m.ok("reload", "renamed", "--node-args=--max-old-space-size=120");
        awaitLog(m, "logs/app-out.log", "run --max-old-space-size=120 |");
        assertEquals(
                List.of("--max-old-space-size=120"),
                named(m, "renamed")
                        .getJsonObject("pm2_env")
                        .getJsonArray("node_args")
                        .getList());

        // start of a stopped app takes the flags too; --watch switches its watching (off since the stop)
        m.ok("stop", "renamed");
        m.ok("start", "renamed", "--node-args=--max-old-space-size=90", "--watch");
        env = m.awaitPm2Env("renamed", "online");
        assertEquals(4, env.getInteger("restart_time"), "a start of a stopped app is no restart");
        assertEquals(true, env.getValue("watch"));
        awaitLog(m, "logs/app-out.log", "run --max-old-space-size=90 |");

        m.ok("restart", "renamed", "--kill-timeout", "5000", "--no-autorestart", "--", "a", "b");
        env = m.awaitPm2Env("renamed", "online");
        assertEquals(5, env.getInteger("restart_time"));
        assertEquals(5000, env.getInteger("kill_timeout"));
        assertEquals(false, env.getValue("autorestart"));
        assertEquals(List.of("a", "b"), env.getJsonArray("args").getList());
        assertEquals(
                List.of("--max-old-space-size=90"),
                env.getJsonArray("node_args").getList());
        awaitLog(m, "logs/app-out.log", "run --max-old-space-size=90 | a b");
    }
}
