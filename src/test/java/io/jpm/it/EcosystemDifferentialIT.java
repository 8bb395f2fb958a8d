package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    static Stream<String> managers() {
        return DifferentialIT.managers();
    }

    /** One line per process in pm_id order: name, status, restarts, mode, folder, script, interpreter, the env keys asked. */
    private static String view(Manager m, String... envKeys) {
        List<String> lines = new ArrayList<>();
        m.processes().stream()
                .sorted(Comparator.comparingInt(p -> p.getInteger("pm_id")))
                .forEach(p -> {
                    JsonObject env = p.getJsonObject("pm2_env");
                    StringBuilder line = new StringBuilder()
                            .append(p.getString("name"))
                            .append(' ')
                            .append(env.getString("status"))
                            .append(" restarts=")
                            .append(env.getValue("restart_time"))
                            .append(' ')
                            .append(env.getString("exec_mode"))
                            .append(" cwd=")
                            .append(inScratch(m, env.getString("pm_cwd")))
                            .append(" script=")
                            .append(inScratch(m, env.getString("pm_exec_path")))
                            .append(" interpreter=")
                            .append(Path.of(String.valueOf(env.getValue("exec_interpreter")))
                                    .getFileName());
                    for (String key : envKeys) {
                        line.append(' ')
                                .append(key)
                                .append('=')
                                .append(env.getJsonObject("env", new JsonObject())
                                        .getValue(key));
                    }
                    lines.add(line.toString());
                });
        return String.join("\n", lines);
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

    @ParameterizedTest
    @MethodSource("managers")
    void strayKeysCmdObjectsInEnvAndJavaScriptInAJsonFileRunAsPm2RunsThem(String tool) throws Exception {
        try (Manager m = Manager.of(tool)) {
            m.write("idle.js", IDLE_JS);
            // keys pm2 does not know (its own fixtures carry such), `cmd` for script, an object in env, an
            // expression where JSON has a number, and a chokidar option jpm does not act on
            m.write(
                    "process.json",
                    String.join(
                            "\n",
                            "{ \"apps\": [",
                            "  { \"name\": \"stray\", \"script\": \"idle.js\", \"instance\": 2, \"max\": 3, \"options\": { \"x\": 1 }, \"attach\": true },",
                            "  { \"name\": \"by-cmd\", \"cmd\": \"idle.js\", \"env\": { \"CONF\": { \"db\": [1, 2] }, \"N\": 3 } },",
                            "  { \"name\": \"computed\", \"script\": \"idle.js\", \"exec_mode\": \"fork\", \"instances\": 1 + 1,",
                            "    \"watch_options\": { \"useFsEvents\": false } }",
                            "] }"));
            Jpm.Result started = m.cli("start", "process.json");
            assertEquals(0, started.exit(), started.toString());
            assertEquals(
                    String.join(
                            "\n",
                            "stray online restarts=0 fork_mode cwd=. script=idle.js interpreter=node CONF=null",
                            "by-cmd online restarts=0 fork_mode cwd=. script=idle.js interpreter=node CONF={\"db\":[1,2]}",
                            "computed online restarts=0 fork_mode cwd=. script=idle.js interpreter=node CONF=null",
                            "computed online restarts=0 fork_mode cwd=. script=idle.js interpreter=node CONF=null"),
                    settled(m, 4, "CONF"));
        }
    }

    @ParameterizedTest
    @MethodSource("managers")
    void aFileInASubfolderResolvesScriptAndCwdFromWhereTheCommandRuns(String tool) throws Exception {
        try (Manager m = Manager.of(tool)) {
            Files.createDirectories(m.scratch.resolve("config"));
            Files.createDirectories(m.scratch.resolve("dist"));
            Files.createDirectories(m.scratch.resolve("services/worker"));
            m.write("dist/server.js", IDLE_JS);
            m.write("services/worker/index.js", IDLE_JS);
            m.write(
                    "config/ecosystem.config.js",
                    String.join(
                            "\n",
                            "module.exports = { apps: [",
                            "  { name: 'web', script: './dist/server.js', env: { WHERE: process.cwd() } },",
                            "  { name: 'worker', script: 'index.js', cwd: 'services/worker' },",
                            "] };"));
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
    }

    @ParameterizedTest
    @MethodSource("managers")
    void scriptsWithoutAnExtensionRunWithNode(String tool) throws Exception {
        try (Manager m = Manager.of(tool)) {
            Files.createDirectories(m.scratch.resolve("bin"));
            // express-generator's bin/www committed without its executable bit, one with node's #! line,
            // and npm itself (a node script on PATH) with node_args
            m.write("bin/www", "var port = process.env.PORT;\n" + IDLE_JS);
            Path shebang = m.write("bin/serve", "#!/usr/bin/env node\n" + IDLE_JS);
            Files.setPosixFilePermissions(shebang, PosixFilePermissions.fromString("rwxr-xr-x"));
            m.write(
                    "package.json",
                    "{ \"name\": \"www\", \"version\": \"1.0.0\", \"scripts\": { \"idle\": \"node bin/serve\" } }\n");
            m.write(
                    "ecosystem.config.js",
                    String.join(
                            "\n",
                            "module.exports = { apps: [",
                            "  { name: 'www', script: './bin/www' },",
                            "  { name: 'serve', script: 'bin/serve' },",
                            "  { name: 'npm-run', script: 'npm', args: 'run idle', node_args: '--max-old-space-size=96' },",
                            "] };"));
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
    }

    @ParameterizedTest
    @MethodSource("managers")
    void aStopTurnsWatchingOffAndARestartOfTheFileTurnsItBackOn(String tool) throws Exception {
        try (Manager m = Manager.of(tool)) {
            m.write("idle.js", IDLE_JS);
            m.write("app-watch.json", "{ apps: [{ script: 'idle.js', name: 'http', watch: true }] }\n");
            m.ok("start", "app-watch.json");
            Jpm.await(tool + ": watching", () -> watch(m).equals("online watch=true") ? true : null);
            m.ok("stop", "app-watch.json");
            Jpm.await(tool + ": stopped, not watching", () -> watch(m).equals("stopped watch=false") ? true : null);
            m.ok("restart", "app-watch.json");
            Jpm.await(tool + ": the file's watch again", () -> watch(m).equals("online watch=true") ? true : null);
        }
    }

    @ParameterizedTest
    @MethodSource("managers")
    void aFolderAsScriptRunsItsIndexAndIncrementVarWithoutABaseCountsFromZero(String tool) throws Exception {
        try (Manager m = Manager.of(tool)) {
            Files.createDirectories(m.scratch.resolve("dist"));
            m.write("dist/index.js", IDLE_JS);
            m.write(
                    "ecosystem.config.js",
                    String.join(
                            "\n",
                            "module.exports = { apps: [",
                            "  { name: 'built', script: './dist' },",
                            "  { name: 'ports', script: './dist/index.js', instances: 2, exec_mode: 'fork', increment_var: 'PORT' },",
                            "] };"));
            assertEquals(0, m.cli("start", "ecosystem.config.js").exit());
            assertEquals(
                    String.join(
                            "\n",
                            "built online restarts=0 fork_mode cwd=. script=dist interpreter=node PORT=null",
                            "ports online restarts=0 fork_mode cwd=. script=dist/index.js interpreter=node PORT=0",
                            "ports online restarts=0 fork_mode cwd=. script=dist/index.js interpreter=node PORT=1"),
                    settled(m, 3, "PORT"));
        }
    }

    @ParameterizedTest
    @MethodSource("managers")
    void onlyNarrowsEveryVerbOnAFileToThoseApps(String tool) throws Exception {
        try (Manager m = Manager.of(tool)) {
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
                    tool + ": child restarted once, echo not",
                    () -> restarts(m).equals("echo=0 child=1 child=1") ? true : null);
            m.ok("delete", "all.json", "--only", "echo");
            Jpm.await(tool + ": echo deleted", () -> restarts(m).equals("child=1 child=1") ? true : null);
            m.ok("stop", "all.json", "--only", "child");
            m.awaitStatus("child", 2, "stopped");
        }
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

    @ParameterizedTest
    @MethodSource("managers")
    void anEnvNameMergesTheDeploySectionsEnvAndATildeIsTheCallersHome(String tool) throws Exception {
        try (Manager m = Manager.of(tool)) {
            m.write("idle.js", IDLE_JS);
            Path home = Files.createDirectories(m.scratch.resolve("home"));
            m.write(
                    "ecosystem.config.js",
                    String.join(
                            "\n",
                            "module.exports = {",
                            "  apps: [{ name: 'api', script: 'idle.js', out_file: '~/api.out.log', env: { A: 'app' },",
                            "           env_production: { B: 'production' } }],",
                            "  deploy: { production: { user: 'u', host: ['h'], ref: 'origin/main', repo: 'r', path: '/srv/api',",
                            "                          env: { D: 'deploy' } } },",
                            "};"));
            assertEquals(
                    0,
                    m.cli(Map.of("HOME", home.toString()), "start", "ecosystem.config.js", "--env", "production")
                            .exit());
            assertEquals(
                    "api online restarts=0 fork_mode cwd=. script=idle.js interpreter=node A=app B=production D=deploy",
                    settled(m, 1, "A", "B", "D"));
            String out = m.processes().get(0).getJsonObject("pm2_env").getString("pm_out_log_path");
            assertEquals(home.resolve("api.out.log").toString(), out);
            Jpm.await(tool + ": the app's line in ~/api.out.log", () -> {
                try {
                    return Files.readString(home.resolve("api.out.log")).contains("up ") ? true : null;
                } catch (IOException e) {
                    return null;
                }
            });
        }
    }
}
