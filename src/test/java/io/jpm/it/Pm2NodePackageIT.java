package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * clients/node (the jpm-pm2 package) as a pm2 user gets it: packed with {@code npm pack},
 * installed from the tarball, and required by a pm2 tool written for pm2 (the fixture
 * pm2-tool/index.js, in the style of pm2-slack and pm2-syslog) with only its require line changed:
 * its bus, its restart, and a packet sent to the app and answered on the bus.
 */
class Pm2NodePackageIT {
    private static final Path PACKAGE = Path.of("clients", "node").toAbsolutePath();
    private static final String APP = "tool-app";

    /**
     * pm2 7.0.4's bus for one {@code pm2.restart(app)} of a forked app, measured with the same
     * tool run under pm2 (PM2_HOME private, {@code pm2 start app.js --name app}, then
     * {@code node index.js app}; four runs gave the same sequence).
     */
    private static final List<String> PM2_RESTART_EVENTS = List.of("exit", "exit", "online", "restart");

    @Test
    void aPm2ToolRunsAgainstJpmWithOnlyItsRequireChanged() throws Exception {
        assumeTrue(available("node"), "node is not on PATH");
        assumeTrue(available("npm"), "npm is not on PATH");
        try (Jpm jpm = new Jpm()) {
            Path project = installPackage(jpm);
            Path original = Jpm.fixture("pm2-tool/index.js");
            List<String> lines = Files.readAllLines(original);
            List<String> ported = lines.stream()
                    .map(l -> l.replace("require('pm2')", "require('jpm-pm2')"))
                    .toList();
            assertEquals(1, changedLines(lines, ported), "the port changes the require line only");
            Path tool = Files.write(project.resolve("index.js"), ported);

            jpm.ok("start", Jpm.fixture("pm2-tool/app.js").toString(), "--name", APP);
            ProcessBuilder node = new ProcessBuilder("node", tool.toString(), APP).directory(project.toFile());
            node.environment().put("JPM_HOME", jpm.home.toString());
            Jpm.Result run = Jpm.run(node, jpm.scratch, "node index.js " + APP);

            assertEquals(0, run.exit(), run::toString);
            assertTrue(run.out().contains("list " + APP + " online\n"), run::toString);
            assertEquals(PM2_RESTART_EVENTS, events(run.out()), run::toString);
            // pm2's process fields and `at` on every process:event
            assertTrue(run.out().contains("event restart " + APP + " 0 number\n"), run::toString);
            assertTrue(run.out().contains("restarted " + APP + "\n"), run::toString);
            assertTrue(run.out().contains("log " + APP + " hello from app\n"), run::toString);
            assertTrue(run.out().contains("describe " + APP + " restarts=1\n"), run::toString);
            // sendDataToProcessId reaches the app's process.on('message'); its process.send comes back as process:msg
            assertTrue(run.out().contains("sent true\n"), run::toString);
            assertTrue(
                    run.out().contains("msg " + APP + " {\"echo\":{\"hello\":\"app\"},\"topic\":\"greeting\"}\n"),
                    run::toString);
        }
    }

    /** jpm.cmd.sendData refuses what it cannot deliver with one line naming the process or the field. */
    @Test
    void sendDataNamesWhatItCannotDeliver() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", "/bin/sleep", "--name", "not-node", "--", "100");
            String admin = RawBridge.token(jpm.home, "token");
            try (RawBridge bridge = new RawBridge(jpm.home)) {
                JsonObject packet = new JsonObject().put("topic", "t").put("data", new JsonObject());
                assertRefused(
                        bridge.request(
                                "jpm.cmd.sendData",
                                new JsonObject().put("pm_id", 0).put("packet", packet),
                                admin),
                        10,
                        "Process with ID <0> has no IPC channel open (only a Node app hears process.on('message'))");
                assertRefused(
                        bridge.request(
                                "jpm.cmd.sendData",
                                new JsonObject().put("pm_id", 9).put("packet", packet),
                                admin),
                        11,
                        "Process with ID <9> unknown.");
                assertRefused(
                        bridge.request(
                                "jpm.cmd.sendData",
                                new JsonObject().put("pm_id", "0").put("packet", packet),
                                admin),
                        10,
                        "field 'pm_id' must be a whole number, not \"0\"");
                assertRefused(
                        bridge.request(
                                "jpm.cmd.sendData",
                                new JsonObject().put("pm_id", 0).put("packet", "x"),
                                admin),
                        10,
                        "field 'packet' must be an object, not \"x\"");
            }
        }
    }

    private static void assertRefused(JsonObject reply, int code, String message) {
        assertEquals("err", reply.getString("type"), reply::encode);
        assertEquals(code, reply.getInteger("failureCode"), reply::encode);
        assertEquals(message, reply.getString("message"), reply::encode);
    }

    /**
     * The package's own tests (node --test): pm2's event names for each of jpm's command sequences
     * (events.test.js), and against a real daemon, the JPM_HOME of this test
     * (JPM_NODE_TEST_HOME): pm2's calls as pm2's own tests make them (api.test.js), and the bus
     * following the daemon through `jpm kill`, a SIGKILL and an update (bus.test.js, in a home of
     * its own beside this one).
     */
    @Test
    void thePackagesOwnTestsPass() throws Exception {
        assumeTrue(available("node"), "node is not on PATH");
        try (Jpm jpm = new Jpm()) {
            jpm.ok("ping");
            ProcessBuilder node = new ProcessBuilder(
                            "node",
                            "--test",
                            "--test-concurrency=1",
                            "test/events.test.js",
                            "test/api.test.js",
                            "test/bus.test.js")
                    .directory(PACKAGE.toFile());
            node.environment().put("JPM_NODE_TEST_HOME", jpm.home.toString());
            node.environment().put("JPM_BIN", Jpm.CLI.get(0));
            node.environment().put("JPM_BRIDGE_PORT", "0");
            Jpm.Result run = Jpm.run(node, jpm.scratch, "node --test clients/node/test/");
            assertEquals(0, run.exit(), run::toString);
            assertTrue(run.out().contains("\n# fail 0\n") && !run.out().contains("\n# pass 0\n"), run::toString);
            assertTrue(run.out().contains("\n# skipped 0\n") || !isRoot(), run::toString);
        }
    }

    /**
     * What pm2's own programmatic tests (compat/pm2-programmatic.sh) found missing, call by call
     * (clients/node/test/pm2suite.test.js), against a real daemon: in a run of its own, as the
     * package's other tests take most of one run's time.
     */
    @Test
    void whatPm2sProgrammaticTestsFoundPasses() throws Exception {
        assumeTrue(available("node"), "node is not on PATH");
        try (Jpm jpm = new Jpm()) {
            jpm.ok("ping");
            ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-concurrency=1", "test/pm2suite.test.js")
                    .directory(PACKAGE.toFile());
            node.environment().put("JPM_NODE_TEST_HOME", jpm.home.toString());
            node.environment().put("JPM_BIN", Jpm.CLI.get(0));
            node.environment().put("JPM_BRIDGE_PORT", "0");
            Jpm.Result run = Jpm.run(node, jpm.scratch, "node --test clients/node/test/pm2suite.test.js");
            assertEquals(0, run.exit(), run::toString);
            assertTrue(run.out().contains("\n# fail 0\n") && run.out().contains("\n# pass 8\n"), run::toString);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** npm pack of clients/node: the tarball a user installs (jpm-pm2-&lt;version&gt;.tgz). */
    static Path pack(Jpm jpm) throws IOException {
        Path packed = Files.createDirectories(jpm.scratch.resolve("packed"));
        Jpm.Result pack = Jpm.run(
                new ProcessBuilder("npm", "pack", "--pack-destination", packed.toString()).directory(PACKAGE.toFile()),
                jpm.scratch,
                "npm pack");
        assertEquals(0, pack.exit(), pack::toString);
        try (var files = Files.list(packed)) {
            return files.filter(f -> f.toString().endsWith(".tgz")).findFirst().orElseThrow();
        }
    }

    /** npm pack of clients/node, installed from its tarball into a project of its own (no registry). */
    private static Path installPackage(Jpm jpm) throws IOException {
        Path tarball = pack(jpm);
        Path project = Files.createDirectories(jpm.scratch.resolve("tool"));
        Files.writeString(project.resolve("package.json"), "{\"private\":true}\n");
        Jpm.Result install = Jpm.run(
                new ProcessBuilder("npm", "install", "--offline", "--no-audit", "--no-fund", tarball.toString())
                        .directory(project.toFile()),
                jpm.scratch,
                "npm install " + tarball);
        assertEquals(0, install.exit(), install::toString);
        return project;
    }

    /** The process:event names the tool printed, in order. */
    private static List<String> events(String out) {
        List<String> events = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("event ")) {
                events.add(line.split(" ")[1]);
            }
        }
        return events;
    }

    private static int changedLines(List<String> before, List<String> after) {
        int changed = 0;
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).equals(after.get(i))) {
                changed++;
            }
        }
        return changed;
    }

    static boolean available(String command) throws InterruptedException {
        try {
            return new ProcessBuilder(command, "--version")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
