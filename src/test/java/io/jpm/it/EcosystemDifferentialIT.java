package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Differential scenarios of the shapes real ecosystem files take (each one a pattern found in
 * public repositories' files that jpm once read differently from pm2; the fixtures are written
 * here, not copied): run word for word against jpm, and against pm2 itself with {@code PM2_DIFF=1},
 * and held to the same view of {@code jlist} (name, status, restarts, exec mode, folder, script,
 * interpreter, env). Paths in the view are relative to the scenario's scratch folder.
 */
class EcosystemDifferentialIT {
    private static final String IDLE_JS = "console.log('up', process.pid, JSON.stringify(process.argv.slice(2)));\n"
            + "setInterval(() => {}, 1000);\nprocess.on('SIGINT', () => process.exit(0));\n";

    /** One line per process in pm_id order: name, status, restarts, mode, folder, script, interpreter, the env keys asked. */
    private static String view(Manager m, String... envKeys) {
        return m.view(p -> {
            JsonObject env = p.getJsonObject("pm2_env");
            return p.getString("name") + " " + env.getString("status") + " restarts=" + env.getValue("restart_time")
                    + " " + env.getString("exec_mode") + " cwd=" + inScratch(m, env.getString("pm_cwd")) + " script="
                    + inScratch(m, env.getString("pm_exec_path")) + " interpreter="
                    + Path.of(String.valueOf(env.getValue("exec_interpreter"))).getFileName()
                    + Manager.envValues(p, envKeys);
        });
    }

    private static String inScratch(Manager m, String path) {
        if (path == null) {
            return null;
        }
        String scratch = m.scratch.toString();
        return path.equals(scratch)
                ? "."
                : path.startsWith(scratch + "/") ? path.substring(scratch.length() + 1) : path;
    }

    /** Waits until no process is launching or waiting, then gives the view. */
    private static String settled(Manager m, int processes, String... envKeys) {
        return Jpm.await(m.tool + ": " + processes + " processes settled", () -> {
            List<JsonObject> all = m.processes();
            boolean settled = all.size() == processes && all.stream().allMatch(p -> "online".equals(Jpm.status(p)));
            return settled ? view(m, envKeys) : null;
        });
    }

    /** Asserts the settled view with {@code envKey}: these lines, a process each. */
    private static void assertSettled(Manager m, String envKey, String... lines) {
        assertEquals(String.join("\n", lines), settled(m, lines.length, envKey));
    }

    @EachManager
    void strayKeysCmdObjectsInEnvAndJavaScriptInAJsonFileRunAsPm2RunsThem(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        // keys pm2 does not know (its own fixtures carry such), `cmd` for script, an object in env, an
        // expression where JSON has a number, and a chokidar option jpm does not act on
        m.writeLines(
                "process.json",
                "{ \"apps\": [",
                "  { \"name\": \"stray\", \"script\": \"idle.js\", \"instance\": 2, \"max\": 3, \"options\": { \"x\": 1 }, \"attach\": true },",
                "  { \"name\": \"by-cmd\", \"cmd\": \"idle.js\", \"env\": { \"CONF\": { \"db\": [1, 2] }, \"N\": 3 } },",
                "  { \"name\": \"computed\", \"script\": \"idle.js\", \"exec_mode\": \"fork\", \"instances\": 1 + 1,",
                "    \"watch_options\": { \"useFsEvents\": false } }",
                "] }");
        Jpm.Result started = m.cli("start", "process.json");
        assertEquals(0, started.exit(), started.toString());
        assertSettled(
                m,
                "CONF",
                "stray online restarts=0 fork_mode cwd=. script=idle.js interpreter=node CONF=null",
                "by-cmd online restarts=0 fork_mode cwd=. script=idle.js interpreter=node CONF={\"db\":[1,2]}",
                "computed online restarts=0 fork_mode cwd=. script=idle.js interpreter=node CONF=null",
                "computed online restarts=0 fork_mode cwd=. script=idle.js interpreter=node CONF=null");
    }

    @EachManager
    void aFileInASubfolderResolvesScriptAndCwdFromWhereTheCommandRuns(Manager m) throws Exception {
        Files.createDirectories(m.scratch.resolve("config"));
        Files.createDirectories(m.scratch.resolve("dist"));
        Files.createDirectories(m.scratch.resolve("services/worker"));
        m.write("dist/server.js", IDLE_JS);
        m.write("services/worker/index.js", IDLE_JS);
        m.writeLines(
                "config/ecosystem.config.js",
                "module.exports = { apps: [",
                "  { name: 'web', script: './dist/server.js', env: { WHERE: process.cwd() } },",
                "  { name: 'worker', script: 'index.js', cwd: 'services/worker' },",
                "] };");
        assertEquals(0, m.cli("start", "config/ecosystem.config.js").exit());
        String view = settled(m, 2, "WHERE");
        assertEquals(
                String.join(
                        "\n",
                        "web online restarts=0 fork_mode cwd=. script=dist/server.js interpreter=node WHERE="
                                + m.scratch,
                        "worker online restarts=0 fork_mode cwd=services/worker script=services/worker/index.js interpreter=node WHERE=null"),
                view);
    }

    @EachManager
    void scriptsWithoutAnExtensionRunWithNode(Manager m) throws Exception {
        Files.createDirectories(m.scratch.resolve("bin"));
        // express-generator's bin/www committed without its executable bit, one with node's #! line,
        // and npm itself (a node script on PATH) with node_args
        m.write("bin/www", "var port = process.env.PORT;\n" + IDLE_JS);
        Path shebang = m.write("bin/serve", "#!/usr/bin/env node\n" + IDLE_JS);
        Files.setPosixFilePermissions(shebang, PosixFilePermissions.fromString("rwxr-xr-x"));
        m.write(
                "package.json",
                "{ \"name\": \"www\", \"version\": \"1.0.0\", \"scripts\": { \"idle\": \"node bin/serve\" } }\n");
        m.writeLines(
                "ecosystem.config.js",
                "module.exports = { apps: [",
                "  { name: 'www', script: './bin/www' },",
                "  { name: 'serve', script: 'bin/serve' },",
                "  { name: 'npm-run', script: 'npm', args: 'run idle', node_args: '--max-old-space-size=96' },",
                "] };");
        assertEquals(0, m.cli("start", "ecosystem.config.js").exit());
        String view = settled(m, 3);
        String npm = m.processes().stream()
                .filter(p -> p.getString("name").equals("npm-run"))
                .findFirst()
                .orElseThrow()
                .getJsonObject("pm2_env")
                .getString("pm_exec_path");
        assertEquals(
                String.join(
                        "\n",
                        "www online restarts=0 fork_mode cwd=. script=bin/www interpreter=node",
                        "serve online restarts=0 fork_mode cwd=. script=bin/serve interpreter=node",
                        "npm-run online restarts=0 fork_mode cwd=. script=" + npm + " interpreter=node"),
                view);
        assertTrue(npm.endsWith("/npm") || npm.endsWith("/npm-cli.js"), npm);
        List<Object> nodeArgs = m.processes().stream()
                .filter(p -> p.getString("name").equals("npm-run"))
                .findFirst()
                .orElseThrow()
                .getJsonObject("pm2_env")
                .getJsonArray("node_args")
                .getList();
        assertEquals(List.of("--max-old-space-size=96"), nodeArgs);
    }

    @EachManager
    void aStopTurnsWatchingOffAndARestartOfTheFileTurnsItBackOn(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.write("app-watch.json", "{ apps: [{ script: 'idle.js', name: 'http', watch: true }] }\n");
        m.ok("start", "app-watch.json");
        Jpm.await(m.tool + ": watching", () -> watch(m).equals("online watch=true") ? true : null);
        m.ok("stop", "app-watch.json");
        Jpm.await(m.tool + ": stopped, not watching", () -> watch(m).equals("stopped watch=false") ? true : null);
        m.ok("restart", "app-watch.json");
        Jpm.await(m.tool + ": the file's watch again", () -> watch(m).equals("online watch=true") ? true : null);
    }

    @EachManager
    void aFolderAsScriptRunsItsIndexAndIncrementVarWithoutABaseCountsFromZero(Manager m) throws Exception {
        Files.createDirectories(m.scratch.resolve("dist"));
        m.write("dist/index.js", IDLE_JS);
        m.writeLines(
                "ecosystem.config.js",
                "module.exports = { apps: [",
                "  { name: 'built', script: './dist' },",
                "  { name: 'ports', script: './dist/index.js', instances: 2, exec_mode: 'fork', increment_var: 'PORT' },",
                "] };");
        assertEquals(0, m.cli("start", "ecosystem.config.js").exit());
        assertSettled(
                m,
                "PORT",
                "built online restarts=0 fork_mode cwd=. script=dist interpreter=node PORT=null",
                "ports online restarts=0 fork_mode cwd=. script=dist/index.js interpreter=node PORT=0",
                "ports online restarts=0 fork_mode cwd=. script=dist/index.js interpreter=node PORT=1");
    }

    @EachManager
    void onlyNarrowsEveryVerbOnAFileToThoseApps(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        m.write(
                "all.json",
                "{ \"apps\": [{ \"name\": \"echo\", \"script\": \"idle.js\" },"
                        + " { \"name\": \"child\", \"script\": \"idle.js\", \"instances\": 2, \"exec_mode\": \"fork\" }] }\n");
        m.ok("start", "all.json", "--only", "echo");
        m.awaitStatus("echo", 1, "online");
        m.ok("start", "all.json", "--only", "child");
        m.awaitStatus("child", 2, "online");
        m.ok("restart", "all.json", "--only", "child");
        Jpm.await(
                m.tool + ": child restarted once, echo not",
                () -> restarts(m).equals("echo=0 child=1 child=1") ? true : null);
        m.ok("delete", "all.json", "--only", "echo");
        Jpm.await(m.tool + ": echo deleted", () -> restarts(m).equals("child=1 child=1") ? true : null);
        m.ok("stop", "all.json", "--only", "child");
        m.awaitStatus("child", 2, "stopped");
    }

    private static String restarts(Manager m) {
        return m.processes().stream()
                .sorted(Comparator.comparingInt(p -> p.getInteger("pm_id")))
                .map(p -> p.getString("name") + "=" + p.getJsonObject("pm2_env").getValue("restart_time"))
                .collect(Collectors.joining(" "));
    }

    private static String watch(Manager m) {
        JsonObject env = m.processes().get(0).getJsonObject("pm2_env");
        return env.getString("status") + " watch=" + env.getValue("watch");
    }

    @EachManager
    void anEnvNameMergesTheDeploySectionsEnvAndATildeIsTheCallersHome(Manager m) throws Exception {
        m.write("idle.js", IDLE_JS);
        Path home = Files.createDirectories(m.scratch.resolve("home"));
        m.writeLines(
                "ecosystem.config.js",
                "module.exports = {",
                "  apps: [{ name: 'api', script: 'idle.js', out_file: '~/api.out.log', env: { A: 'app' },",
                "           env_production: { B: 'production' } }],",
                "  deploy: { production: { user: 'u', host: ['h'], ref: 'origin/main', repo: 'r', path: '/srv/api',",
                "                          env: { D: 'deploy' } } },",
                "};");
        assertEquals(
                0,
                m.cli(Map.of("HOME", home.toString()), "start", "ecosystem.config.js", "--env", "production")
                        .exit());
        assertEquals(
                "api online restarts=0 fork_mode cwd=. script=idle.js interpreter=node A=app B=production D=deploy",
                settled(m, 1, "A", "B", "D"));
        String out = m.processes().get(0).getJsonObject("pm2_env").getString("pm_out_log_path");
        assertEquals(home.resolve("api.out.log").toString(), out);
        Jpm.await(m.tool + ": the app's line in ~/api.out.log", () -> {
            try {
                return Files.readString(home.resolve("api.out.log")).contains("up ") ? true : null;
            } catch (IOException e) {
                return null;
            }
        });
    }
}
